using System;

namespace Glider.Emulator.State
{
    /// <summary>
    /// The platform layer in front of the API: a global window that every request counts in, then the window of
    /// the route's tier, if it has one. Unknown and missing keys share one bucket each (per-key bucketing), so a
    /// client spraying random keys cannot grow the table.
    /// </summary>
    internal sealed class PlatformRateLimiter
    {
        private readonly FixedWindowCounters _counters = new();

        public PlatformAdmission Admit(RateLimitPolicy policy, TierLimit? tier, string bucket, DateTimeOffset now)
        {
            // The global layer sits in front: what it refuses never reaches the tier, and what the tier refuses
            // has already counted globally.
            var global = _counters.Check("global\n" + bucket, now, policy.GlobalLimit, policy.GlobalWindowSeconds);
            if (!global.Allowed)
            {
                return new PlatformAdmission(RateLimitPolicy.GlobalLayer, global);
            }
            if (tier is null)
            {
                return new PlatformAdmission(null, policy.HeaderScope == RateLimitHeaderScope.All ? global : null);
            }

            var tierWindow = _counters.Check("tier\n" + tier.Name + "\n" + bucket, now, tier.Limit, tier.WindowSeconds);
            if (!tierWindow.Allowed)
            {
                return new PlatformAdmission(tier.Name, tierWindow);
            }
            return new PlatformAdmission(null, Tighter(tierWindow, global));
        }

        public void Clear() => _counters.Clear();

        /// <summary>
        /// The window with fewer requests left after this one. On a tie the tier's: the contract says the headers
        /// describe the tier when both layers apply.
        /// </summary>
        private static RateLimitDecision Tighter(RateLimitDecision tier, RateLimitDecision global) =>
            global.Remaining < tier.Remaining ? global : tier;
    }
}
