using System;
using System.Net.Http;
using System.Security;

namespace Glider.Client.Tests.Support
{
    internal static class TestClients
    {
        public const string Key = "gldr_sk_test_SECRET_9f8e7d6c5b4a";
        public const string LocalBase = "http://127.0.0.1:5099";

        public static SecureString Secure(string value)
        {
            var secure = new SecureString();
            foreach (char c in value)
            {
                secure.AppendChar(c);
            }

            secure.MakeReadOnly();
            return secure;
        }

        /// <summary>A client over a fake handler, with millisecond retry delays so retry tests stay fast.</summary>
        public static GliderClient Create(HttpMessageHandler handler, Action<GliderClientOptions>? configure = null, string key = Key)
        {
            var options = new GliderClientOptions
            {
                BaseUri = new Uri(LocalBase),
                InnerHandler = handler,
                RetryBaseDelay = TimeSpan.FromMilliseconds(1),
                MaxRetryDelay = TimeSpan.FromSeconds(5),
                RequestTimeout = TimeSpan.FromSeconds(10),
            };
            configure?.Invoke(options);
            return new GliderClient(options, Secure(key));
        }
    }
}
