using System;
using Glider.Emulator.Http;

namespace Glider.Emulator.Faults
{
    /// <summary>Which requests a fault rule applies to; every present criterion must hold.</summary>
    internal sealed record FaultFilter(string? Method, string? PathContains, string? PortfolioId, V2Endpoint? Route = null)
    {
        public bool Matches(string method, string rawPath, string? portfolioId, V2Endpoint route) =>
            (Method is null || string.Equals(Method, method, StringComparison.OrdinalIgnoreCase))
            && (PathContains is null || rawPath.Contains(PathContains, StringComparison.Ordinal))
            && (PortfolioId is null || string.Equals(PortfolioId, portfolioId, StringComparison.Ordinal))
            && (Route is null || Route == route);
    }
}
