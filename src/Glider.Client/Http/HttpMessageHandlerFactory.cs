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
            RequireTls12OnNetFramework(handler);
            return handler;
#endif
        }

#if !NET
        /// <summary>
        /// Windows PowerShell 5.1 often runs with ServicePointManager defaults of SSL3/TLS 1.0, which the API refuses.
        /// Asking for TLS 1.2 on this handler (not process-wide through ServicePointManager) fixes that without
        /// changing anything else in the user's session.
        /// </summary>
        private static void RequireTls12OnNetFramework(HttpClientHandler handler)
        {
            if (!System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription.StartsWith(".NET Framework", StringComparison.OrdinalIgnoreCase)) return;
            try
            {
                handler.SslProtocols = System.Security.Authentication.SslProtocols.Tls12;
            }
            catch (PlatformNotSupportedException)
            {
                // Left to the framework's defaults.
            }
            catch (NotSupportedException)
            {
            }
        }
#endif
    }
}
