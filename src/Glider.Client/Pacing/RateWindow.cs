using System;

namespace Glider.Client.Pacing
{
    /// <summary>
    /// The estimate of one rate-limit counter (a route's, or a named bucket's): how many more attempts its current
    /// window lets through, and until when. Read from every answer that carries the counter's headers, counted down per
    /// send, and forgotten when the window ends. Not thread-safe: the gate calls it under its lock.
    /// </summary>
    internal sealed class RateWindow
    {
        private const long Unknown = long.MaxValue;

        private long budget = Unknown;
        private DateTimeOffset endsAt = DateTimeOffset.MinValue;
        private DateTimeOffset reportedReset = DateTimeOffset.MinValue;
        private long sent;
        private long readingSequence;
        private TimeSpan smoothedRoundTrip;

        /// <summary>The limit this counter's own answers (not its refusals) last reported; null if they send none.</summary>
        public long? ReportedLimit { get; private set; }

        /// <summary>
        /// Whether this window, as its own answers last described it and still current, is the counter an answer with
        /// this limit and reset describes.
        /// </summary>
        public bool Describes(long? limit, DateTimeOffset resetAt, DateTimeOffset now) =>
            limit != null && ReportedLimit == limit && reportedReset == resetAt && endsAt > now;

        /// <summary>When the window is known to be used up, its end; otherwise null.</summary>
        public DateTimeOffset? ExhaustedUntil(DateTimeOffset now) =>
            budget != Unknown && budget <= 0 && endsAt > now ? endsAt : (DateTimeOffset?)null;

        /// <summary>
        /// How many attempts may be in flight on this route to use what the window shows: the rate it allows (budget
        /// over the time left) times the round trip, never more than the budget itself, between floor and ceiling;
        /// floor when the window says nothing.
        /// </summary>
        public int SuggestedInFlight(DateTimeOffset now, int floor, int ceiling)
        {
            if (budget == Unknown || endsAt <= now || smoothedRoundTrip <= TimeSpan.Zero || budget <= floor)
            {
                return floor;
            }

            double rate = budget / Math.Max((endsAt - now).TotalSeconds, 0.001);
            double wanted = Math.Ceiling(rate * smoothedRoundTrip.TotalSeconds);
            return (int)Math.Max(floor, Math.Min(Math.Min(ceiling, budget), wanted));
        }

        /// <summary>Counts an attempt that is being sent; returns its place in this window's send order.</summary>
        public long CountSend(DateTimeOffset now)
        {
            if (budget != Unknown && endsAt > now)
            {
                budget--;
            }

            return ++sent;
        }

        /// <summary>
        /// Takes what an answer said. The server counted requests in the order they reached it, so the attempts of this
        /// window sent after the answered one are not in its Remaining yet and are subtracted; the result replaces the
        /// estimate, so the server's figure wins over our count whichever is higher (a header that never moves, requests
        /// of another process on the same key). Only an answer to an attempt sent before the one that gave the current
        /// estimate, from a window that ended earlier, is stale and ignored: a later attempt's earlier reset is another,
        /// tighter layer describing the route now (the headers show whichever of tier and global is tighter).
        /// </summary>
        public void Observe(RateLimitReading reading, PacingTicket ticket, DateTimeOffset now, TimeSpan roundTrip, TimeSpan longestHold, bool isRefusal)
        {
            if (!isRefusal)
            {
                ReportedLimit = reading.Limit;
                smoothedRoundTrip = smoothedRoundTrip == TimeSpan.Zero
                    ? roundTrip
                    : TimeSpan.FromTicks((smoothedRoundTrip.Ticks * 7 + roundTrip.Ticks) / 8);
            }

            if (reading.ResetAt <= now)
            {
                return;
            }

            bool countedHere = ReferenceEquals(ticket.Window, this);
            if (countedHere && reading.ResetAt < reportedReset && ticket.WindowSequence < readingSequence)
            {
                return;
            }

            DateTimeOffset end = EstimatedEnd(reading, countedHere, now, roundTrip);
            // Later answers of the same window carry the same rounded reset: they must not undo the closer estimate
            // made from the answer to the attempt that opened it.
            if (reading.ResetAt == reportedReset && endsAt > now && endsAt < end)
            {
                end = endsAt;
            }

            // A hold from headers is an estimate; past this bound the request goes and the server's own answer (a 429
            // with Retry-After, if the window really is used up) decides.
            if (end - now > longestHold)
            {
                end = now + longestHold;
            }

            budget = countedHere ? reading.Remaining - (sent - ticket.WindowSequence) : reading.Remaining;
            endsAt = end;
            reportedReset = reading.ResetAt;
            if (countedHere)
            {
                readingSequence = ticket.WindowSequence;
            }
        }

        /// <summary>
        /// X-RateLimit-Reset is whole seconds rounded up, so it can be up to a second late; holding a one-second window
        /// until it would halve the rate. When the answer shows that our own attempt opened the window (Remaining is
        /// Limit minus one), the window started while that attempt travelled: its end is that start plus the whole
        /// seconds the header implies, plus half the round trip as a margin.
        /// </summary>
        private static DateTimeOffset EstimatedEnd(RateLimitReading reading, bool countedHere, DateTimeOffset now, TimeSpan roundTrip)
        {
            if (!countedHere || reading.Limit is not long limit || reading.Remaining != limit - 1)
            {
                return reading.ResetAt;
            }

            TimeSpan halfTrip = TimeSpan.FromTicks(roundTrip.Ticks / 2);
            DateTimeOffset openedAt = now - roundTrip + halfTrip;
            long wholeSeconds = (long)Math.Floor((reading.ResetAt - openedAt).TotalSeconds);
            if (wholeSeconds < 1)
            {
                return reading.ResetAt;
            }

            DateTimeOffset estimate = openedAt + TimeSpan.FromSeconds(wholeSeconds) + halfTrip;
            return estimate < reading.ResetAt ? estimate : reading.ResetAt;
        }
    }
}
