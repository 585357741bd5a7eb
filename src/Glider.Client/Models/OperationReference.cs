using System;

namespace Glider.Client.Models
{
    /// <summary>Which operation to follow: a portfolio id and an opaque operation id.</summary>
    public sealed class OperationReference
    {
        public OperationReference(string portfolioId, string operationId)
            : this(portfolioId, operationId, submittedAt: null)
        {
        }

        public OperationReference(string portfolioId, string operationId, DateTimeOffset? submittedAt)
        {
            PortfolioId = portfolioId;
            OperationId = operationId;
            SubmittedAt = submittedAt;
        }

        public string PortfolioId { get; }
        public string OperationId { get; }

        /// <summary>
        /// When the API accepted the rebalance (its submittedAt), if known. A run just submitted cannot have ended yet,
        /// so the waiter sends its first poll one interval after this instead of at once.
        /// </summary>
        public DateTimeOffset? SubmittedAt { get; }

        public override string ToString() => OperationId;
    }
}
