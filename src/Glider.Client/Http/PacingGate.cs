using System;
using System.Collections.Generic;
using System.Globalization;
using System.Threading;
using System.Threading.Tasks;

namespace Glider.Client.Http
{
    /// <summary>
    /// The one gate every attempt of a connection passes before it is sent, whichever cmdlet or runspace sends it.
    /// It holds new attempts while the platform limiter has said "not before RetryAt" (a 429), and while the current
    /// rate-limit window is known to be used up (X-RateLimit-Remaining / X-RateLimit-Reset), so that a burst of
    /// concurrent requests waits once, together, instead of each one running into its own 429.
    /// </summary>
    /// <remarks>
    /// The window's remaining budget is estimated from each answer: the server counted requests in the order they
    /// reached it, so the attempts sent after the answered one are not in its Remaining yet and are subtracted. The
    /// estimate is then decremented per send. Once the window's reset has passed nothing is known of the next one, and
    /// attempts go until an answer says otherwise. Resets are compared with the local clock; one further away than
    /// <see cref="LongestHold"/> is not believed (a skewed clock must not park a connection).
    /// X-RateLimit-Reset is in whole seconds, rounded up, so it can be up to a second late; holding a one-second window
    /// until it would halve the rate. When an answer shows that our own attempt opened the window (Remaining is Limit
    /// minus one), the window is known to have started while that attempt travelled, and its end is taken as that start
    /// plus the whole seconds the header implies, plus half the round trip as a margin.
    /// </remarks>
    internal sealed class PacingGate
    {
        /// <summary>Released attempts are spread over up to this much, so a held burst does not land in one instant.</summary>
        public static readonly TimeSpan MaxJitter = TimeSpan.FromMilliseconds(100);

        /// <summary>No hold from the rate-limit headers lasts longer than this.</summary>
        public static readonly TimeSpan LongestHold = TimeSpan.FromMinutes(5);

        private readonly TimeProvider clock;
        private readonly Func<double> nextRandom;
        private readonly object sync = new object();
        private DateTimeOffset retryAt = DateTimeOffset.MinValue;
        private DateTimeOffset windowResetAt = DateTimeOffset.MinValue;
        private DateTimeOffset windowReportedReset = DateTimeOffset.MinValue;
        private long windowBudget = long.MaxValue;
        private long sent;
        private readonly Dictionary<long, long> sentAt = new Dictionary<long, long>();

        public PacingGate(TimeProvider clock, Func<double> nextRandom)
        {
            this.clock = clock;
            this.nextRandom = nextRandom;
        }

        /// <summary>When attempts may go again, if they are held now; for tests and traces.</summary>
        public DateTimeOffset? HeldUntil
        {
            get
            {
                lock (sync)
                {
                    DateTimeOffset? until = HoldEnd(clock.GetUtcNow());
                    return until;
                }
            }
        }

        /// <summary>Waits until an attempt may be sent; returns its send sequence number (for <see cref="ObserveWindow"/>).</summary>
        public ValueTask<long> EnterAsync(CancellationToken cancellationToken) => EnterAsync(null, cancellationToken);

        /// <summary>
        /// As <see cref="EnterAsync(CancellationToken)"/>, for a caller that has a deadline: a hold that lasts past it
        /// throws <see cref="HeldPastDeadlineException"/> at once instead of waiting for nothing.
        /// </summary>
        public async ValueTask<long> EnterAsync(DateTimeOffset? deadline, CancellationToken cancellationToken)
        {
            while (true)
            {
                TimeSpan wait;
                lock (sync)
                {
                    DateTimeOffset now = clock.GetUtcNow();
                    DateTimeOffset? until = HoldEnd(now);
                    if (until == null)
                    {
                        if (windowResetAt > now && windowBudget != long.MaxValue)
                        {
                            windowBudget--;
                        }

                        sentAt[++sent] = clock.GetTimestamp();
                        return sent;
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

        /// <summary>A platform 429: nothing of this connection goes before retryAt.</summary>
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
        /// What an answer said of the current window (its X-RateLimit-Limit, -Remaining and -Reset headers), for the
        /// attempt that was sent as number <paramref name="sequence"/>. Answers that are not the platform's window (the
        /// cooldown 429 reuses the headers for the cooldown) must not be passed here, but must still be
        /// <see cref="Forget"/>-ed.
        /// </summary>
        public void ObserveWindow(long sequence, string? limitHeader, string? remainingHeader, string? resetHeader)
        {
            long sentTimestamp = Forget(sequence);
            if (!long.TryParse(remainingHeader, NumberStyles.None, CultureInfo.InvariantCulture, out long remaining))
            {
                return;
            }

            if (!long.TryParse(resetHeader, NumberStyles.None, CultureInfo.InvariantCulture, out long resetSeconds))
            {
                return;
            }

            DateTimeOffset resetAt;
            try
            {
                resetAt = DateTimeOffset.FromUnixTimeSeconds(resetSeconds);
            }
            catch (ArgumentOutOfRangeException)
            {
                return;
            }

            DateTimeOffset now = clock.GetUtcNow();
            if (resetAt <= now || resetAt - now > LongestHold)
            {
                return;
            }

            DateTimeOffset windowEnd = resetAt;
            if (sentTimestamp != 0
                && long.TryParse(limitHeader, NumberStyles.None, CultureInfo.InvariantCulture, out long limit)
                && remaining == limit - 1)
            {
                TimeSpan roundTrip = clock.GetElapsedTime(sentTimestamp);
                DateTimeOffset openedAt = now - roundTrip + TimeSpan.FromTicks(roundTrip.Ticks / 2);
                long wholeSeconds = (long)Math.Floor((resetAt - openedAt).TotalSeconds);
                if (wholeSeconds >= 1)
                {
                    DateTimeOffset estimate = openedAt + TimeSpan.FromSeconds(wholeSeconds) + TimeSpan.FromTicks(roundTrip.Ticks / 2);
                    if (estimate < windowEnd)
                    {
                        windowEnd = estimate;
                    }
                }
            }

            lock (sync)
            {
                if (resetAt < windowReportedReset)
                {
                    return; // a late answer from a window that has already been replaced
                }

                long estimate = remaining - (sent - sequence);
                if (resetAt > windowReportedReset || windowBudget == long.MaxValue)
                {
                    windowReportedReset = resetAt;
                    windowResetAt = windowEnd;
                    windowBudget = estimate;
                }
                else
                {
                    if (estimate < windowBudget)
                    {
                        windowBudget = estimate;
                    }

                    if (windowEnd < windowResetAt)
                    {
                        windowResetAt = windowEnd;
                    }
                }
            }
        }

        /// <summary>The attempt has ended; returns when it was sent (a timestamp), or 0 if unknown.</summary>
        public long Forget(long sequence)
        {
            lock (sync)
            {
                if (!sentAt.TryGetValue(sequence, out long timestamp))
                {
                    return 0;
                }

                sentAt.Remove(sequence);
                return timestamp;
            }
        }

        private DateTimeOffset? HoldEnd(DateTimeOffset now)
        {
            if (retryAt > now)
            {
                return retryAt;
            }

            if (windowResetAt > now && windowBudget != long.MaxValue && windowBudget <= 0)
            {
                return windowResetAt;
            }

            if (windowResetAt <= now)
            {
                windowBudget = long.MaxValue; // the window is over: nothing known of the next
            }

            return null;
        }
    }

    /// <summary>The gate holds the connection's requests past the caller's deadline; nothing was sent.</summary>
    internal sealed class HeldPastDeadlineException : Exception
    {
        public HeldPastDeadlineException(DateTimeOffset until)
            : base("The connection's requests are held past the caller's deadline.")
        {
            Until = until;
        }

        public DateTimeOffset Until { get; }
    }
}
