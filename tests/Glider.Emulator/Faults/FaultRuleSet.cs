using System.Collections.Generic;
using System.Threading;

namespace Glider.Emulator.Faults
{
    /// <summary>
    /// The active rules, oldest first. Readers take a snapshot array without locking, so the common case
    /// (no rules at all) costs one volatile read.
    /// </summary>
    internal sealed class FaultRuleSet
    {
        private readonly object _writeGate = new();
        private FaultRule[] _rules = System.Array.Empty<FaultRule>();
        private int _nextId;

        public string NextId() => "fault_" + Interlocked.Increment(ref _nextId).ToString(System.Globalization.CultureInfo.InvariantCulture);

        public void Add(FaultRule rule)
        {
            lock (_writeGate)
            {
                var rules = new List<FaultRule>(_rules.Length + 1);
                foreach (var existing in _rules)
                {
                    if (!existing.IsExhausted)
                    {
                        rules.Add(existing);
                    }
                }
                rules.Add(rule);
                Volatile.Write(ref _rules, rules.ToArray());
            }
        }

        public void Clear()
        {
            lock (_writeGate)
            {
                Volatile.Write(ref _rules, System.Array.Empty<FaultRule>());
            }
        }

        public IReadOnlyList<FaultRule> Snapshot() => Volatile.Read(ref _rules);

        /// <summary>The oldest rule that matches the request and fires, or null.</summary>
        public FaultRule? Pick(string method, string rawPath, string? portfolioId, Http.V2Endpoint route)
        {
            var rules = Volatile.Read(ref _rules);
            foreach (var rule in rules)
            {
                if (rule.Filter.Matches(method, rawPath, portfolioId, route) && rule.TryFire())
                {
                    return rule;
                }
            }
            return null;
        }
    }
}
