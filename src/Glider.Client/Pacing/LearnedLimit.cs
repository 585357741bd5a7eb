using System;

namespace Glider.Client.Pacing
{
    /// <summary>
    /// A limit the connection learned from 429s alone: the global per-IP layer counts every route, yet routes without a
    /// tier send no rate-limit headers, so its window is seen only when it refuses. A refusal's headers give the limit
    /// and the window's reset; two refusals give the window's length. From then on the connection's share of that
    /// limit is counted per window across every route, so the next windows end without a 429. Not thread-safe: the
    /// gate calls it under its lock.
    /// </summary>
    /// <remarks>
    /// The share starts at the limit. Other processes on the same IP (Hybrid Runbook Workers, parallel jobs) spend the
    /// same counter: a refusal in a window where our share was not used up means they took part of it, and the share
    /// becomes what the server let us have in that window. A window that ends with the share used and no refusal grows
    /// it by one, so a share given up to a process that has since finished is slowly taken back: at most one 429 a
    /// window for the probe.
    /// </remarks>
    internal sealed class LearnedLimit
    {
        private long limit;
        private long share;
        private TimeSpan? length;
        private DateTimeOffset lastRefusalReset = DateTimeOffset.MinValue;
        private DateTimeOffset windowStart = DateTimeOffset.MinValue;
        private DateTimeOffset? windowEnd;
        private long budget;
        private long accepted;
        private long generation;
        private bool refusedInWindow;

        public bool IsKnown => limit > 0;

        /// <summary>The window an attempt sent now is counted in (for <see cref="Accepted"/>).</summary>
        public long Generation => generation;

        public DateTimeOffset? ExhaustedUntil(DateTimeOffset now, TimeSpan longestHold)
        {
            if (limit == 0 || windowEnd == null || now >= windowEnd.Value || now < windowStart || budget > 0)
            {
                return null;
            }

            return windowEnd.Value - now > longestHold ? now + longestHold : windowEnd.Value;
        }

        public void CountSend(DateTimeOffset now)
        {
            if (limit == 0)
            {
                return;
            }

            if (windowEnd != null && now >= windowEnd.Value)
            {
                if (!refusedInWindow && budget <= 0 && share < limit)
                {
                    share++;
                }

                // Fixed windows follow one another; after a quiet spell the next one starts with this send.
                DateTimeOffset next = windowEnd.Value;
                windowStart = now - next < length!.Value ? next : now;
                windowEnd = windowStart + length.Value;
                StartWindow();
            }

            budget--;
        }

        /// <summary>An answer other than a refusal to an attempt counted in window <paramref name="sentInGeneration"/>.</summary>
        public void Accepted(long sentInGeneration)
        {
            if (sentInGeneration == generation)
            {
                accepted++;
            }
        }

        /// <summary>A platform 429 whose headers describe a counter no route reports on its own answers.</summary>
        public void Refused(long refusedLimit, DateTimeOffset resetAt, long sentInGeneration)
        {
            if (refusedLimit <= 0)
            {
                return;
            }

            if (refusedLimit != limit)
            {
                limit = refusedLimit;
                share = refusedLimit;
                length = null;
                lastRefusalReset = DateTimeOffset.MinValue;
            }
            else if (sentInGeneration == generation && !refusedInWindow && budget > 0 && windowEnd != null)
            {
                share = Math.Max(1, accepted);
            }

            if (resetAt <= windowStart && sentInGeneration != generation)
            {
                return; // a late refusal from a window already replaced
            }

            if (resetAt > lastRefusalReset && lastRefusalReset != DateTimeOffset.MinValue)
            {
                TimeSpan between = resetAt - lastRefusalReset;
                length = length == null || between < length.Value ? between : length;
            }

            lastRefusalReset = resetAt;
            refusedInWindow = true;
            if (resetAt > windowStart)
            {
                // The refused window ends at the reset; the next one starts then.
                windowStart = resetAt;
                windowEnd = length == null ? (DateTimeOffset?)null : resetAt + length.Value;
                StartWindow();
            }
        }

        private void StartWindow()
        {
            budget = share;
            accepted = 0;
            refusedInWindow = false;
            generation++;
        }
    }
}
