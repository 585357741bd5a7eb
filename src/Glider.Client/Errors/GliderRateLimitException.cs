using System;

namespace Glider.Client.Errors
{
    /// <summary>Which layer answered 429.</summary>
    public enum RateLimitSource
    {
        /// <summary>The per-portfolio cooldown between manual rebalances (API_004 envelope).</summary>
        RebalanceCooldown,
        /// <summary>The platform's per-IP or per-tier limiter (its own body shape).</summary>
        Platform,
    }

    /// <summary>429: try again no earlier than RetryAt.</summary>
    public sealed class GliderRateLimitException : GliderApiException
    {
        public GliderRateLimitException(string message, RateLimitSource source, TimeSpan retryAfter, DateTimeOffset retryAt, string? apiErrorCode, string? serverMessage, string? correlationId, string? requestId)
            : base(message, 429, apiErrorCode, serverMessage, correlationId, requestId)
        {
            LimitSource = source;
            RetryAfter = retryAfter;
            RetryAt = retryAt;
        }

        public RateLimitSource LimitSource { get; }
        public TimeSpan RetryAfter { get; }
        public DateTimeOffset RetryAt { get; }
        public bool IsRebalanceCooldown => LimitSource == RateLimitSource.RebalanceCooldown;
        public override bool IsTransient => true;
    }
}
