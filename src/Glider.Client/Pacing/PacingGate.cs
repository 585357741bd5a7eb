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
                        return new PacingTicket(route, window, window.CountSend(now), clock.GetTimestamp());
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

        /// <summary>A platform 429: nothing of this connection goes before <paramref name="until"/>.</summary>
        public void HoldUntil(DateTimeOffset until)
        {
            DateTimeOffset now = clock.GetUtcNow();
            if (until - now > LongestHold)
            {
                until = now + LongestHold;
            }

            lock (sync)
            {
                if (until > retryAt)
                {
                    retryAt = until;
                }
            }
        }

        /// <summary>
        /// What the answer to <paramref name="ticket"/>'s attempt said of its window. The cooldown 429 reuses the headers
        /// for the cooldown and must not be passed here.
        /// </summary>
        public void Observe(PacingTicket ticket, RateLimitReading? reading)
        {
            if (reading == null)
            {
                return;
            }

            DateTimeOffset now = clock.GetUtcNow();
            TimeSpan roundTrip = clock.GetElapsedTime(ticket.SentTimestamp);
            lock (sync)
            {
                RateWindow window = ticket.Window;
                if (reading.Bucket != null)
                {
                    if (!namedWindows.TryGetValue(reading.Bucket, out RateWindow? named))
                    {
                        named = new RateWindow();
                        namedWindows.Add(reading.Bucket, named);
                    }

                    windowOfRoute[ticket.Route] = named;
                    window = named;
                }

                window.Observe(reading, ticket, now, roundTrip, longestWindowHold);
            }
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

            return window.ExhaustedUntil(now);
        }
    }
}
