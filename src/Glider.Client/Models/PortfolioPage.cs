using System.Collections.Generic;

namespace Glider.Client.Models
{
    /// <summary>One page of GET /v2/portfolios; NextCursor is null on the last page.</summary>
    internal sealed class PortfolioPage
    {
        public PortfolioPage(IReadOnlyList<Portfolio> portfolios, string? nextCursor)
        {
            Portfolios = portfolios;
            NextCursor = nextCursor;
        }

        public IReadOnlyList<Portfolio> Portfolios { get; }
        public string? NextCursor { get; }
    }
}
