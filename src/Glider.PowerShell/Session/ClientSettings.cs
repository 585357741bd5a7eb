using System;
using System.Globalization;

namespace Glider.PowerShell
{
    /// <summary>
    /// What Connect-Glider lets a user tune about a client. Part of a cached client's identity: two connections with the
    /// same key but different timeouts must not share one client.
    /// </summary>
    internal sealed class ClientSettings
    {
        public const int DefaultRequestTimeoutSeconds = 30;
        public const int DefaultMaxRetryCount = 4;

        public static readonly ClientSettings Default = new ClientSettings(DefaultRequestTimeoutSeconds, DefaultMaxRetryCount);

        public ClientSettings(int requestTimeoutSeconds, int maxRetryCount)
        {
            RequestTimeout = TimeSpan.FromSeconds(requestTimeoutSeconds);
            MaxRetryAttempts = maxRetryCount;
        }

        public TimeSpan RequestTimeout { get; }
        public int MaxRetryAttempts { get; }

        public override string ToString() =>
            string.Format(CultureInfo.InvariantCulture, "timeout={0}s;retries={1}", (int)RequestTimeout.TotalSeconds, MaxRetryAttempts);
    }
}
