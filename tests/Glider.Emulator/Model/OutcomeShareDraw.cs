using System.Collections.Generic;

namespace Glider.Emulator.Model
{
    /// <summary>
    /// Puts each portfolio in one share by a hash of its id and the seed, not by a random draw per run: the same
    /// portfolio ends the same way on every run and in every emulator started with the same scenario, so a
    /// rehearsal that fails is repeatable, and a re-run of a failed portfolio fails again as it would in production
    /// when the cause has not gone away.
    /// </summary>
    internal static class OutcomeShareDraw
    {
        public static OperationOutcome? Pick(IReadOnlyList<OutcomeShare> shares, string portfolioId, int seed)
        {
            if (shares.Count == 0)
            {
                return null;
            }

            var position = UnitInterval(portfolioId, seed);
            var upTo = 0.0;
            foreach (var share in shares)
            {
                upTo += share.Share;
                if (position < upTo)
                {
                    return share.Outcome;
                }
            }
            return null;
        }

        /// <summary>FNV-1a over the id's UTF-16 code units, then the seed, folded to [0, 1).</summary>
        private static double UnitInterval(string portfolioId, int seed)
        {
            unchecked
            {
                var hash = 14695981039346656037UL;
                foreach (var c in portfolioId)
                {
                    hash = (hash ^ c) * 1099511628211UL;
                }
                hash = (hash ^ (uint)seed) * 1099511628211UL;
                // A final avalanche so that ids differing in the last character spread over the whole interval.
                hash ^= hash >> 33;
                hash *= 0xff51afd7ed558ccdUL;
                hash ^= hash >> 33;
                return (hash >> 11) * (1.0 / (1UL << 53));
            }
        }
    }
}
