using System;

namespace Glider.Client.Models
{
    /// <summary>An asynchronous operation (a rebalance run and its kin).</summary>
    public sealed class Operation
    {
        public Operation(
            string operationId,
            string portfolioId,
            string? kind,
            string? state,
            DateTimeOffset? createdAt,
            DateTimeOffset? updatedAt,
            DateTimeOffset? finishedAt,
            string? error,
            ResponseTrace trace)
        {
            OperationId = operationId;
            PortfolioId = portfolioId;
            Kind = kind;
            State = state;
            CreatedAt = createdAt;
            UpdatedAt = updatedAt;
            FinishedAt = finishedAt;
            Error = error;
            CorrelationId = trace.CorrelationId;
            RequestId = trace.RequestId;
        }

        public string OperationId { get; }
        public string PortfolioId { get; }
        /// <summary>withdraw, rebalance, bridge, swap, or whatever new kind the API sends.</summary>
        public string? Kind { get; }
        /// <summary>accepted, running, retrying, awaiting_user, completed, failed, cancelled, or a new state (never terminal).</summary>
        public string? State { get; }
        public DateTimeOffset? CreatedAt { get; }
        public DateTimeOffset? UpdatedAt { get; }
        public DateTimeOffset? FinishedAt { get; }
        /// <summary>The server's message on failed and cancelled operations.</summary>
        public string? Error { get; }
        public bool IsTerminal => OperationStates.IsTerminal(State);
        public string? CorrelationId { get; }
        public string? RequestId { get; }

        public override string ToString() => $"{OperationId} ({State ?? "unknown"})";
    }
}
