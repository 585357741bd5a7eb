using System;

namespace Glider.Emulator.Http
{
    /// <summary>The words the command line and the control API use for the bucketing and the header scope.</summary>
    internal static class RateLimitModeNames
    {
        public const string PerKey = "per-key";
        public const string PerIp = "per-ip";
        public const string AllRoutes = "all";
        public const string TieredOnly = "tiered-only";

        public static string Of(RateLimitBucketing bucketing) => bucketing == RateLimitBucketing.PerIp ? PerIp : PerKey;

        public static string Of(RateLimitHeaderScope scope) => scope == RateLimitHeaderScope.TieredOnly ? TieredOnly : AllRoutes;

        public static bool TryParseBucketing(string text, out RateLimitBucketing bucketing)
        {
            if (string.Equals(text, PerKey, StringComparison.OrdinalIgnoreCase))
            {
                bucketing = RateLimitBucketing.PerKey;
                return true;
            }
            if (string.Equals(text, PerIp, StringComparison.OrdinalIgnoreCase))
            {
                bucketing = RateLimitBucketing.PerIp;
                return true;
            }
            bucketing = default;
            return false;
        }

        public static bool TryParseHeaderScope(string text, out RateLimitHeaderScope scope)
        {
            if (string.Equals(text, AllRoutes, StringComparison.OrdinalIgnoreCase))
            {
                scope = RateLimitHeaderScope.All;
                return true;
            }
            if (string.Equals(text, TieredOnly, StringComparison.OrdinalIgnoreCase))
            {
                scope = RateLimitHeaderScope.TieredOnly;
                return true;
            }
            scope = default;
            return false;
        }
    }
}
