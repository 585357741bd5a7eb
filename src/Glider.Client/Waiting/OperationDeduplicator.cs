using System.Collections.Generic;
using Glider.Client.Models;

namespace Glider.Client.Waiting
{
    /// <summary>
    /// The one rule for "the same operation": the same portfolio id and operation id, compared byte for byte. An
    /// in-flight rebalance answers a second trigger with its existing id, so the same operation can arrive twice.
    /// </summary>
    internal sealed class OperationDeduplicator
    {
        private readonly HashSet<(string, string)> seen = new HashSet<(string, string)>();
        private readonly object sync = new object();

        /// <summary>True the first time this portfolio + operation is seen.</summary>
        public bool Add(OperationReference reference)
        {
            lock (sync)
            {
                return seen.Add((reference.PortfolioId, reference.OperationId));
            }
        }
    }
}
