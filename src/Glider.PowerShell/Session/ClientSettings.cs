using System;
using System.Globalization;
using Glider.Client;

namespace Glider.PowerShell
{
    /// <summary>
    /// What Connect-Glider lets a user tune about a client. Part of a cached client's identity: two connections with the
    /// same key but different timeouts or proxies must not share one client.
    /// </summary>
    internal sealed class ClientSettings
    {
        public const int DefaultRequestTimeoutSeconds = 30;
        public const int DefaultMaxRetryCount = 4;

        public static readonly ClientSettings Default = new ClientSettings(DefaultRequestTimeoutSeconds, DefaultMaxRetryCount, ProxySettings.SystemDefault);

        public ClientSettings(int requestTimeoutSeconds, int maxRetryCount, ProxySettings proxy)
        {
            RequestTimeout = TimeSpan.FromSeconds(requestTimeoutSeconds);
            MaxRetryAttempts = maxRetryCount;
            Proxy = proxy;
        }

        public TimeSpan RequestTimeout { get; }
        public int MaxRetryAttempts { get; }
        public ProxySettings Proxy { get; }

        /// <summary>The cache's key for these settings. Holds the proxy password: never show it.</summary>
        public string CacheKey() =>
            string.Format(CultureInfo.InvariantCulture, "timeout={0}s;retries={1};{2}", (int)RequestTimeout.TotalSeconds, MaxRetryAttempts, Proxy.CacheKey());

        public override string ToString() =>
            string.Format(CultureInfo.InvariantCulture, "timeout={0}s;retries={1}", (int)RequestTimeout.TotalSeconds, MaxRetryAttempts);
    }
}
