using System;

namespace Glider.Emulator.Model
{
    /// <summary>
    /// One of tenant Acme Capital's portfolios as a seed file gives it. Only the id is required; every omitted field
    /// takes the value the numbered seed would give the portfolio at the same position.
    /// </summary>
    internal sealed record PortfolioSeed(
        string Id,
        string? StrategyId = null,
        string? ScheduleStatus = null,
        string? Frequency = null,
        string? OwnerAccountId = null,
        DateTimeOffset? LastRebalanceAt = null)
    {
        /// <summary>The schedule status that means "no schedule" (the API's schedule: null).</summary>
        public const string NoSchedule = "none";
    }
}
