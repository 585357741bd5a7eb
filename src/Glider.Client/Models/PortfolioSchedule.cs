using System;

namespace Glider.Client.Models
{
    /// <summary>
    /// A portfolio's rebalance schedule. The interval is held as the API sends it, in whole milliseconds (IntervalMs),
    /// not as a TimeSpan: PowerShell's ConvertTo-Json expands a TimeSpan property into fifteen fields, and a runbook that
    /// exports portfolios wants the number. GliderPS.Types.ps1xml adds the TimeSpan back as Interval for PowerShell users;
    /// C# callers have <see cref="GetInterval"/>.
    /// </summary>
    public sealed class PortfolioSchedule
    {
        public PortfolioSchedule(string? status, string? frequency, TimeSpan? interval, DateTimeOffset? nextDueAt, DateTimeOffset? lastRebalanceAt)
        {
            Status = status;
            Frequency = frequency;
            IntervalMs = interval.HasValue ? (long)interval.Value.TotalMilliseconds : (long?)null;
            NextDueAt = nextDueAt;
            LastRebalanceAt = lastRebalanceAt;
        }

        public string? Status { get; }
        public string? Frequency { get; }
        /// <summary>Time between two scheduled rebalances, in milliseconds (the API's intervalMs).</summary>
        public long? IntervalMs { get; }
        public DateTimeOffset? NextDueAt { get; }
        public DateTimeOffset? LastRebalanceAt { get; }

        /// <summary>IntervalMs as a TimeSpan. A method, not a property, so serializers that walk properties skip it.</summary>
        public TimeSpan? GetInterval() => IntervalMs.HasValue ? TimeSpan.FromMilliseconds(IntervalMs.Value) : (TimeSpan?)null;

        public override string ToString() => $"{Status ?? "unknown"} {Frequency}".Trim();
    }
}
