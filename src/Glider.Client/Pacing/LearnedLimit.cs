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
        private DateTimeOffset? firstSendAt;
        private DateTimeOffset? windowEnd;
        private long budget;
        private long accepted;
        private long generation;
        private long growth = 1;
        private TimeSpan smoothedRoundTrip;

        public bool IsKnown => limit > 0;

        /// <summary>The window an attempt sent now is counted in (for <see cref="Accepted"/>).</summary>
        public long Generation => generation;

        public DateTimeOffset? ExhaustedUntil(DateTimeOffset now, TimeSpan longestHold)
        {
            if (limit == 0 || windowEnd == null || now >= windowEnd.Value || budget > 0)
            {
                return null;
            }

            return windowEnd.Value - now > longestHold ? now + longestHold : windowEnd.Value;
        }

        /// <summary>
        /// Counts a send. A window is taken to begin with our first send after the previous one ended: a server whose
        /// windows start with the first request it counts then agrees with us exactly, and one whose windows are aligned
        /// to the clock began a little earlier, so ours ends a little late: slower by that little, never a 429.
        /// </summary>
        public void CountSend(DateTimeOffset now)
        {
            if (limit == 0)
            {
                return;
            }

            if (windowEnd != null && now >= windowEnd.Value)
            {
                // Every refusal starts a window of its own, so this one ended without any: take more next time, one
                // at first and twice as many after each further quiet window, so that the share given up to a process
                // that has since finished comes back in a few windows, while two processes still competing probe by
                // one or two a window.
                if (budget <= 0 && share < limit)
                {
                    share = Math.Min(limit, share + growth);
                    growth = Math.Min(limit, growth * 2);
                }

                StartWindow();
            }

            if (firstSendAt == null)
            {
                // The server counts a request when it arrives, up to a round trip after we sent it: ending our window
                // a round trip late keeps the first send of the next from reaching the server before its window ends.
                firstSendAt = now;
                windowEnd = now + length + smoothedRoundTrip;
            }

            budget--;
        }

        /// <summary>An answer other than a refusal to an attempt counted in window <paramref name="sentInGeneration"/>.</summary>
        public void Accepted(long sentInGeneration, TimeSpan roundTrip)
        {
            smoothedRoundTrip = smoothedRoundTrip == TimeSpan.Zero
                ? roundTrip
                : TimeSpan.FromTicks((smoothedRoundTrip.Ticks * 7 + roundTrip.Ticks) / 8);

            if (sentInGeneration == generation)
            {
                accepted++;
            }
        }

        /// <summary>A platform 429 whose headers describe a counter no route reports on its own answers.</summary>
        public void Refused(long refusedLimit, DateTimeOffset resetAt, long sentInGeneration, DateTimeOffset sentAt)
        {
            if (refusedLimit <= 0 || (limit != 0 && sentInGeneration != generation))
            {
                return; // nothing to learn, or a late refusal from a window already replaced
            }

            if (refusedLimit != limit)
            {
                limit = refusedLimit;
                share = refusedLimit;
                length = null;
            }
            else
            {
                // Refused with our share not spent: someone else spent part of the counter, unless the refused attempt
                // went out in our window's first round trip, where it may have reached the end of the server's last one.
                if (budget > 0 && windowEnd != null && firstSendAt != null && sentAt - firstSendAt.Value > smoothedRoundTrip)
                {
                    share = Math.Max(1, accepted);
                }

                growth = 1;

                if (firstSendAt != null && resetAt > firstSendAt.Value)
                {
                    LearnLength(resetAt - firstSendAt.Value);
                }
            }

            // The next window starts with our first send after the refusal (which waits for its Retry-After anyway).
            StartWindow();
        }

        /// <summary>
        /// The reset is whole seconds rounded up, and the window began with our first send in it: the whole seconds
        /// between the two are the window's length (a window shorter than a second is taken as measured).
        /// </summary>
        private void LearnLength(TimeSpan measured)
        {
            double whole = Math.Floor(measured.TotalSeconds);
            TimeSpan candidate = whole >= 1 ? TimeSpan.FromSeconds(whole) : measured;
            if (length == null || candidate < length.Value)
            {
                length = candidate;
            }
        }

        private void StartWindow()
        {
            budget = share;
            accepted = 0;
            firstSendAt = null;
            windowEnd = null;
            generation++;
        }
    }
}
