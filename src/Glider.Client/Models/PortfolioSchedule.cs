using System;

namespace Glider.Client.Models
{
    /// <summary>A portfolio's rebalance schedule.</summary>
    public sealed class PortfolioSchedule
    {
        public PortfolioSchedule(string? status, string? frequency, TimeSpan? interval, DateTimeOffset? nextDueAt, DateTimeOffset? lastRebalanceAt)
        {
            Status = status;
            Frequency = frequency;
            Interval = interval;
            NextDueAt = nextDueAt;
            LastRebalanceAt = lastRebalanceAt;
        }

        /// <summary>"active" or "paused" today; kept as the API's string so a new value never breaks a script.</summary>
        public string? Status { get; }
        public string? Frequency { get; }
        public TimeSpan? Interval { get; }
        public DateTimeOffset? NextDueAt { get; }
        public DateTimeOffset? LastRebalanceAt { get; }

        public override string ToString() => $"{Status ?? "unknown"} {Frequency}".Trim();
    }
}
