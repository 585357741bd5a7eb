using System.Collections.Generic;

namespace Glider.Emulator
{
    /// <summary>
    /// One tier of the platform limiter: every route in it counts against one fixed window per bucket, so a
    /// client that spreads its requests over the tier's routes gains nothing. Routes are named as the router
    /// names them (ListPortfolios, GetPortfolio, Rebalance, GetOperation, Stop, Start, WhoAmI, Scopes).
    /// </summary>
    public sealed class RateLimitTier
    {
        /// <summary>Shown in stats and in the request log's rateLimitedBy; "global" is taken by the global layer.</summary>
        public string Name { get; set; } = string.Empty;

        public IList<string> Routes { get; set; } = new List<string>();

        /// <summary>Requests per window before the tier answers 429.</summary>
        public int Limit { get; set; }

        public double WindowSeconds { get; set; }
    }
}
