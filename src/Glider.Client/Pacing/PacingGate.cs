using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Glider.Client.Http;

namespace Glider.Client.Pacing
{
    /// <summary>
    /// The one gate every attempt of a connection passes before it is sent, whichever cmdlet or runspace sends it.
    /// It holds every attempt while the platform limiter has said "not before RetryAt" (a 429: either layer may have
    /// refused, and the docs ask for at least that wait), and holds a route's attempts while that route's rate-limit
    /// window is known to be used up (X-RateLimit-Remaining / -Reset), so that a burst waits once, together, instead of
    /// each request running into its own 429.
    /// </summary>
    /// <remarks>
    /// The API groups routes into tiers it does not publish; a route's headers describe its tier, not the connection.
    /// So the gate keeps one window estimate per route (<see cref="ApiRoute"/>), fed only by that route's answers and
    /// consulted only by that route's attempts; when an answer names its counter, the routes that name the same
    /// counter share one estimate. Routes whose answers carry no headers are paced only by 429s.
    /// </remarks>
    internal sealed class PacingGate
    {
        /// <summary>Released attempts are spread over up to this much, so a held burst does not land in one instant.</summary>
        public static readonly TimeSpan MaxJitter = TimeSpan.FromMilliseconds(100);

        /// <summary>No Retry-After holds the connection longer than this (a skewed clock must not park it for days).</summary>
        public static readonly TimeSpan LongestHold = TimeSpan.FromMinutes(5);

        private readonly TimeProvider clock;
        private readonly Func<double> nextRandom;
        private readonly TimeSpan longestWindowHold;
        private readonly object sync = new object();
        private readonly Dictionary<ApiRoute, RateWindow> windowOfRoute = new Dictionary<ApiRoute, RateWindow>();
        private readonly Dictionary<string, RateWindow> namedWindows = new Dictionary<string, RateWindow>(StringComparer.Ordinal);
        private readonly LearnedLimit learned = new LearnedLimit();
        private DateTimeOffset retryAt = DateTimeOffset.MinValue;

        /// <param name="longestWindowHold">
        /// The longest a route is held on the strength of its headers alone: the longest a call waits for a Retry-After
        /// (MaxRetryDelay), so that a hold from headers never turns into a failure the server might not have given.
        /// </param>
        public PacingGate(TimeProvider clock, Func<double> nextRandom, TimeSpan longestWindowHold)
        {
            this.clock = clock;
            this.nextRandom = nextRandom;
            this.longestWindowHold = longestWindowHold;
        }

        /// <summary>When the route's attempts may go again, if they are held now; for tests and traces.</summary>
        public DateTimeOffset? HeldUntil(ApiRoute route)
        {
            lock (sync)
            {
                return HoldEnd(WindowOf(route), clock.GetUtcNow());
            }
        }

        /// <summary>
        /// How many of the route's attempts a caller may keep in flight (see <see cref="RateWindow.SuggestedInFlight"/>);
        /// floor while the connection paces by a limit learned from refusals, whose budget is shared by every route.
        /// </summary>
        public int SuggestedInFlight(ApiRoute route, int floor, int ceiling)
        {
            lock (sync)
            {
                DateTimeOffset now = clock.GetUtcNow();
                if (learned.IsKnown || retryAt > now)
                {
                    return floor;
                }

                return WindowOf(route).SuggestedInFlight(now, floor, ceiling);
            }
        }

        /// <summary>
        /// Waits until an attempt of the route may be sent. A hold that lasts past the caller's deadline throws
        /// <see cref="HeldPastDeadlineException"/> at once instead of waiting for nothing.
        /// </summary>
        public async ValueTask<PacingTicket> EnterAsync(ApiRoute route, DateTimeOffset? deadline, CancellationToken cancellationToken)
        {
            while (true)
            {
                TimeSpan wait;
                lock (sync)
                {
                    DateTimeOffset now = clock.GetUtcNow();
                    RateWindow window = WindowOf(route);
                    DateTimeOffset? until = HoldEnd(window, now);
                    if (until == null)
                    {
                        learned.CountSend(now);
                        return new PacingTicket(route, window, window.CountSend(now), learned.Generation, now, clock.GetTimestamp());
                    }

                    if (deadline != null && until.Value > deadline.Value)
                    {
                        throw new HeldPastDeadlineException(until.Value);
                    }

                    wait = until.Value - now + TimeSpan.FromTicks((long)(nextRandom() * MaxJitter.Ticks));
                }

                await TimeProviderCompat.Delay(clock, wait, cancellationToken).ConfigureAwait(false);
            }
        }

        /// <summary>
        /// The answer to <paramref name="ticket"/>'s attempt, other than a 429, and what its headers said of its window
        /// (null when it had none). The cooldown 429 reuses the headers for the cooldown and must not be passed here.
        /// </summary>
        public void Observe(PacingTicket ticket, RateLimitReading? reading)
        {
            DateTimeOffset now = clock.GetUtcNow();
            TimeSpan roundTrip = clock.GetElapsedTime(ticket.SentTimestamp);
            lock (sync)
            {
                learned.Accepted(ticket.LearnedGeneration, roundTrip);
                if (reading != null)
                {
                    WindowOf(ticket, reading, now, joinSameCounter: true).Observe(reading, ticket, now, roundTrip, longestWindowHold, isRefusal: false);
                }
            }
        }

        /// <summary>
        /// A platform 429 for <paramref name="ticket"/>'s attempt: every route waits for <paramref name="until"/>; the
        /// refusal's headers describe the refused route's window when that route reports the same limit on its own
        /// answers, and otherwise a layer no route reports (the global one), which the connection learns.
        /// </summary>
        public void Refused(PacingTicket ticket, RateLimitReading? reading, DateTimeOffset until)
        {
            DateTimeOffset now = clock.GetUtcNow();
            TimeSpan roundTrip = clock.GetElapsedTime(ticket.SentTimestamp);
            lock (sync)
            {
                // The hold and what is learned change together: a send slipping in between would open the learned
                // window before the hold, and make it look as long as the hold.
                HoldUntilLocked(until, now);
                if (reading != null)
                {
                    RateWindow window = WindowOf(ticket, reading, now, joinSameCounter: false);
                    if (reading.Limit is long limit && window.ReportedLimit != limit && !AnyWindowDescribes(reading, now))
                    {
                        learned.Refused(limit, reading.ResetAt, ticket.LearnedGeneration, ticket.SentAt);
                    }

                    window.Observe(reading, ticket, now, roundTrip, longestWindowHold, isRefusal: true);
                }
            }
        }

        private void HoldUntilLocked(DateTimeOffset until, DateTimeOffset now)
        {
            if (until - now > LongestHold)
            {
                until = now + LongestHold;
            }

            if (until > retryAt)
            {
                retryAt = until;
            }
        }

        /// <summary>
        /// The window an answer feeds: the counter it names, if it names one; else, for an answer that is not a refusal,
        /// another route's window whose own answers report the same limit and reset (the same counter, e.g. the global
        /// layer reported by every route), which the route then shares; else the route's own. Refusals never join
        /// windows: a 429's headers show whichever layer refused, and joining on them would tie a route to a tier
        /// that is not its own.
        /// </summary>
        private RateWindow WindowOf(PacingTicket ticket, RateLimitReading reading, DateTimeOffset now, bool joinSameCounter)
        {
            RateWindow own = WindowOf(ticket.Route);
            if (reading.Bucket != null)
            {
                if (!namedWindows.TryGetValue(reading.Bucket, out RateWindow? named))
                {
                    named = new RateWindow();
                    namedWindows.Add(reading.Bucket, named);
                }

                windowOfRoute[ticket.Route] = named;
                return named;
            }

            if (joinSameCounter && !own.Describes(reading.Limit, reading.ResetAt, now))
            {
                foreach (RateWindow other in windowOfRoute.Values)
                {
                    if (!ReferenceEquals(other, own) && other.Describes(reading.Limit, reading.ResetAt, now))
                    {
                        windowOfRoute[ticket.Route] = other;
                        return other;
                    }
                }
            }

            return own;
        }

        private bool AnyWindowDescribes(RateLimitReading reading, DateTimeOffset now)
        {
            foreach (RateWindow window in windowOfRoute.Values)
            {
                if (window.Describes(reading.Limit, reading.ResetAt, now))
                {
                    return true;
                }
            }

            return false;
        }

        private RateWindow WindowOf(ApiRoute route)
        {
            if (!windowOfRoute.TryGetValue(route, out RateWindow? window))
            {
                window = new RateWindow();
                windowOfRoute.Add(route, window);
            }

            return window;
        }

        private DateTimeOffset? HoldEnd(RateWindow window, DateTimeOffset now)
        {
            if (retryAt > now)
            {
                return retryAt;
            }

            DateTimeOffset? routeEnd = window.ExhaustedUntil(now);
            DateTimeOffset? learnedEnd = learned.ExhaustedUntil(now, longestWindowHold);
            return routeEnd == null ? learnedEnd : learnedEnd == null || routeEnd.Value > learnedEnd.Value ? routeEnd : learnedEnd;
        }
    }
}
