using System;

namespace Glider.Client.Models
{
    /// <summary>What POST /rebalance answers: the operation to follow. Pipes into Get-/Wait-GliderOperation by property name.</summary>
    public sealed class RebalanceSubmission
    {
        public RebalanceSubmission(string portfolioId, string operationId, DateTimeOffset? submittedAt, ResponseTrace trace)
        {
            PortfolioId = portfolioId;
            OperationId = operationId;
            SubmittedAt = submittedAt;
            CorrelationId = trace.CorrelationId;
            RequestId = trace.RequestId;
        }

        public string PortfolioId { get; }
        /// <summary>Opaque; passed back byte for byte.</summary>
        public string OperationId { get; }
        public DateTimeOffset? SubmittedAt { get; }
        public string? CorrelationId { get; }
        public string? RequestId { get; }

        public override string ToString() => OperationId;
    }
}
