using System;
using System.Collections.Generic;

namespace Glider.Emulator.Http
{
    /// <summary>
    /// The names a tier lists its routes by: the router's own endpoint names, so configuration, the request
    /// handling and the README speak of the same thing. 404 and 405 answers are no route and so in no tier.
    /// </summary>
    internal static class RateLimitRouteNames
    {
        public static readonly IReadOnlyList<V2Endpoint> Routable = new[]
        {
            V2Endpoint.ListPortfolios,
            V2Endpoint.GetPortfolio,
            V2Endpoint.Rebalance,
            V2Endpoint.GetOperation,
            V2Endpoint.Stop,
            V2Endpoint.Start,
            V2Endpoint.WhoAmI,
            V2Endpoint.Scopes,
        };

        public static string AllNames => string.Join(", ", Routable);

        /// <summary>Case-insensitive, so "listPortfolios" in camelCase JSON means the same route.</summary>
        public static bool TryParse(string name, out V2Endpoint endpoint)
        {
            foreach (var candidate in Routable)
            {
                if (string.Equals(candidate.ToString(), name, StringComparison.OrdinalIgnoreCase))
                {
                    endpoint = candidate;
                    return true;
                }
            }
            endpoint = default;
            return false;
        }
    }
}
