namespace Glider.Client.Models
{
    /// <summary>Which operation to follow: a portfolio id and an opaque operation id.</summary>
    public sealed class OperationReference
    {
        public OperationReference(string portfolioId, string operationId)
        {
            PortfolioId = portfolioId;
            OperationId = operationId;
        }

        public string PortfolioId { get; }
        public string OperationId { get; }

        public override string ToString() => OperationId;
    }
}
