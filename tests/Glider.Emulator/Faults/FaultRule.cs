using System;

namespace Glider.Emulator.Faults
{
    /// <summary>One fault rule: which requests it matches, how often it fires, and what it does.</summary>
    internal sealed class FaultRule
    {
        private readonly object _gate = new();
        private readonly Random? _draws;
        private int _remaining;

        public FaultRule(string id, FaultFilter filter, string kind, int? count, double? fraction, int seed, FaultAction action)
        {
            Id = id;
            Filter = filter;
            Kind = kind;
            Count = count;
            Fraction = fraction;
            Action = action;
            _remaining = count ?? 0;
            if (fraction.HasValue)
            {
                _draws = new Random(seed);
            }
        }

        public string Id { get; }
        public FaultFilter Filter { get; }
        public string Kind { get; }
        public int? Count { get; }
        public double? Fraction { get; }
        public FaultAction Action { get; }

        public bool IsExhausted
        {
            get
            {
                lock (_gate)
                {
                    return Count.HasValue && _remaining <= 0;
                }
            }
        }

        /// <summary>
        /// Decides, for a request the filter matched, whether the fault fires. A count is consumed only
        /// when it fires; a fraction draws from the rule's own seeded generator so a run repeats exactly.
        /// </summary>
        public bool TryFire()
        {
            lock (_gate)
            {
                if (Count.HasValue)
                {
                    if (_remaining <= 0)
                    {
                        return false;
                    }

                    _remaining--;
                    return true;
                }
                if (_draws is not null)
                {
                    return _draws.NextDouble() < Fraction!.Value;
                }
                return true;
            }
        }
    }
}
