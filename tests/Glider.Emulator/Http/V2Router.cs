using System;

namespace Glider.Emulator.Http
{
    /// <summary>
    /// Matches /v2 routes on the decoded raw segments. Hand-written rather than route templates, because
    /// templates would bind ids from Kestrel's decoded path, which is exactly what the contract forbids.
    /// </summary>
    internal static class V2Router
    {
        public static bool IsV2(string[] segments) => segments.Length >= 1 && segments[0] == "v2";

        public static V2Route Match(string method, string[] s)
        {
            if (!IsV2(s))
            {
                return new V2Route(V2Endpoint.NoSuchRoute);
            }

            return s.Length switch
            {
                2 when s[1] == "whoami" => Only("GET", method, new V2Route(V2Endpoint.WhoAmI)),
                2 when s[1] == "scopes" => Only("GET", method, new V2Route(V2Endpoint.Scopes)),
                2 when s[1] == "portfolios" => Only("GET", method, new V2Route(V2Endpoint.ListPortfolios)),
                3 when s[1] == "portfolios" => Only("GET", method, new V2Route(V2Endpoint.GetPortfolio, s[2])),
                4 when s[1] == "portfolios" && s[3] == "rebalance" => Only("POST", method, new V2Route(V2Endpoint.Rebalance, s[2])),
                4 when s[1] == "portfolios" && s[3] == "stop" => Only("POST", method, new V2Route(V2Endpoint.Stop, s[2])),
                4 when s[1] == "portfolios" && s[3] == "start" => Only("POST", method, new V2Route(V2Endpoint.Start, s[2])),
                5 when s[1] == "portfolios" && s[3] == "operations" => Only("GET", method, new V2Route(V2Endpoint.GetOperation, s[2], s[4])),
                _ => new V2Route(V2Endpoint.NoSuchRoute),
            };
        }

        /// <summary>The portfolio id of a /v2/portfolios/{id}... target, for fault filters, whatever the route.</summary>
        public static string? PortfolioIdOf(string[] s) => s.Length >= 3 && s[0] == "v2" && s[1] == "portfolios" ? s[2] : null;

        private static V2Route Only(string allowed, string method, V2Route route) =>
            string.Equals(method, allowed, StringComparison.Ordinal) ? route : new V2Route(V2Endpoint.MethodNotAllowed, route.PortfolioId, route.OperationId, allowed);
    }
}
