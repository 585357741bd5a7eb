namespace Glider.Client.Models
{
    /// <summary>Filters of GET /v2/portfolios. Null means "not filtered".</summary>
    internal sealed class PortfolioQuery
    {
        public string? Status { get; set; }
        public string? StrategyId { get; set; }
        public string? OwnerAccountId { get; set; }
        /// <summary>Page size, 1..200.</summary>
        public int Limit { get; set; } = 200;
    }
}
