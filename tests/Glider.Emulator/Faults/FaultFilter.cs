using System;

namespace Glider.Emulator.Faults
{
    /// <summary>Which requests a fault rule applies to; every present criterion must hold.</summary>
    internal sealed record FaultFilter(string? Method, string? PathContains, string? PortfolioId)
    {
        public bool Matches(string method, string rawPath, string? portfolioId) =>
            (Method is null || string.Equals(Method, method, StringComparison.OrdinalIgnoreCase))
            && (PathContains is null || rawPath.Contains(PathContains, StringComparison.Ordinal))
            && (PortfolioId is null || string.Equals(PortfolioId, portfolioId, StringComparison.Ordinal));
    }
}
