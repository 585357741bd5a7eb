using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Threading;

namespace Glider.Emulator.State
{
    /// <summary>Counters behind GET /_emulator/stats; lock-free so counting never slows the hot path.</summary>
    internal sealed class EmulatorStats
    {
        private readonly ConcurrentDictionary<string, int> _rebalancesStarted = new(System.StringComparer.Ordinal);
        private readonly ConcurrentDictionary<string, int> _faultsInjected = new(System.StringComparer.Ordinal);
        private readonly ConcurrentDictionary<string, int> _rateLimited = new(System.StringComparer.Ordinal);
        private long _connectionsOpened;
        private long _requests;

        public long ConnectionsOpened => Interlocked.Read(ref _connectionsOpened);
        public long Requests => Interlocked.Read(ref _requests);

        public void ConnectionOpened() => Interlocked.Increment(ref _connectionsOpened);
        public void RequestReceived() => Interlocked.Increment(ref _requests);
        public void RebalanceStarted(string portfolioId) => _rebalancesStarted.AddOrUpdate(portfolioId, 1, (_, n) => n + 1);
        public void FaultInjected(string kind) => _faultsInjected.AddOrUpdate(kind, 1, (_, n) => n + 1);

        /// <summary>A platform 429, counted by the layer that gave it: "global" or the tier's name.</summary>
        public void RateLimited(string layer) => _rateLimited.AddOrUpdate(layer, 1, (_, n) => n + 1);

        public SortedDictionary<string, int> RebalancesStarted() => new(_rebalancesStarted, System.StringComparer.Ordinal);
        public SortedDictionary<string, int> FaultsInjected() => new(_faultsInjected, System.StringComparer.Ordinal);
        public SortedDictionary<string, int> RateLimitedByLayer() => new(_rateLimited, System.StringComparer.Ordinal);

        public void Clear()
        {
            _rebalancesStarted.Clear();
            _faultsInjected.Clear();
            _rateLimited.Clear();
            Interlocked.Exchange(ref _connectionsOpened, 0);
            Interlocked.Exchange(ref _requests, 0);
        }
    }
}
