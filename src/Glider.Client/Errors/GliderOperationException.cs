using System;
using Glider.Client.Models;

namespace Glider.Client.Errors
{
    /// <summary>
    /// An operation that ended failed or cancelled, or was still unfinished when the wait timed out. Derives from
    /// GliderException so a runbook's catch [Glider.Client.Errors.GliderException] sees every Glider failure.
    /// </summary>
    public sealed class GliderOperationException : GliderException
    {
        internal GliderOperationException(string message, string portfolioId, string operationId, Operation? operation, Exception? cause = null)
            : base(message, cause)
        {
            PortfolioId = portfolioId;
            OperationId = operationId;
            Operation = operation;
            CorrelationId = operation?.CorrelationId;
            RequestId = operation?.RequestId;
        }

        public string PortfolioId { get; }
        public string OperationId { get; }
        /// <summary>The last state seen; null when a timed-out operation was never polled successfully.</summary>
        public Operation? Operation { get; }
        public string? State => Operation?.State;
        /// <summary>The server's error text on failed and cancelled operations.</summary>
        public string? OperationError => Operation?.Error;
    }
}
