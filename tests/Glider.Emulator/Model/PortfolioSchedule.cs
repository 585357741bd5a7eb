using System;

namespace Glider.Emulator.Model
{
    /// <summary>A portfolio's rebalance schedule; mutated only under the owning portfolio's lock.</summary>
    internal sealed class PortfolioSchedule
    {
        public const string Active = "active";
        public const string Paused = "paused";

        public string Status { get; set; } = Active;
        public string Frequency { get; set; } = "daily";
        public long IntervalMs { get; set; }
        public DateTimeOffset? NextDueAt { get; set; }
        public DateTimeOffset? LastRebalanceAt { get; set; }
    }
}
