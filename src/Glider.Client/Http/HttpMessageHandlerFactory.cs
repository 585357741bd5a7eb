using System;
using System.Net;
using System.Net.Http;

namespace Glider.Client.Http
{
    /// <summary>The pooled handler of one GliderClient: redirects off (the key must never follow one), no cookies.</summary>
    internal static class HttpMessageHandlerFactory
    {
        public static HttpMessageHandler Create()
        {
#if NET
            return new SocketsHttpHandler
            {
                AllowAutoRedirect = false,
                UseCookies = false,
                AutomaticDecompression = DecompressionMethods.GZip | DecompressionMethods.Deflate | DecompressionMethods.Brotli,
                // Recycle connections so that a long-lived session follows DNS changes of the API.
                PooledConnectionLifetime = TimeSpan.FromMinutes(5),
                PooledConnectionIdleTimeout = TimeSpan.FromMinutes(1),
                ConnectTimeout = TimeSpan.FromSeconds(15),
            };
#else
            var handler = new HttpClientHandler
            {
                AllowAutoRedirect = false,
                UseCookies = false,
            };
            if (handler.SupportsAutomaticDecompression)
            {
                handler.AutomaticDecompression = DecompressionMethods.GZip | DecompressionMethods.Deflate;
            }
            return handler;
#endif
        }
    }
}
