using System;
using Glider.Client.Errors;

namespace Glider.Client.Http
{
    /// <summary>
    /// How long to wait before the next attempt, or null to stop and hand the last error to the caller.
    /// A server-given wait (Retry-After / retryAfter) is a floor; jitter is only added on top of it. Without one, the
    /// wait is exponential backoff with full jitter. No wait passes the caller's deadline or MaxRetryDelay: if the
    /// server's floor alone would, the caller gets the error at once (a 429 carries RetryAt) instead of a long sleep.
    /// </summary>
    internal sealed class RetryDelayPlanner
    {
        private readonly TimeSpan baseDelay;
        private readonly TimeSpan maxDelay;
        private readonly Func<double> nextRandom;

        /// <summary>No single wait is longer than a day, whatever the options say (timers cannot take much more).</summary>
        public static readonly TimeSpan LongestWait = TimeSpan.FromHours(24);

        public RetryDelayPlanner(TimeSpan baseDelay, TimeSpan maxDelay, Func<double> nextRandom)
        {
            this.maxDelay = maxDelay > LongestWait ? LongestWait : maxDelay;
            this.baseDelay = baseDelay > this.maxDelay ? this.maxDelay : baseDelay;
            this.nextRandom = nextRandom;
        }

        /// <param name="retryIndex">0 before the first retry, 1 before the second, ...</param>
        public TimeSpan? Plan(GliderException error, int retryIndex, DateTimeOffset now, DateTimeOffset? deadline)
        {
            TimeSpan floor = (error as GliderApiException)?.ServerRetryAfter ?? TimeSpan.Zero;
            TimeSpan limit = maxDelay;
            if (deadline != null)
            {
                TimeSpan remaining = deadline.Value - now;
                if (remaining <= TimeSpan.Zero)
                {
                    return null;
                }

                if (remaining < limit)
                {
                    limit = remaining;
                }
            }
            if (floor > limit)
            {
                return null;
            }

            TimeSpan jittered = TimeSpan.FromTicks((long)(nextRandom() * ExponentialCeiling(retryIndex).Ticks));
            TimeSpan delay = floor + jittered;
            return delay > limit ? limit : delay;
        }

        private TimeSpan ExponentialCeiling(int retryIndex)
        {
            // base * 2^retryIndex, computed in doubles so a large index cannot overflow, then capped.
            double ticks = baseDelay.Ticks * Math.Pow(2, Math.Min(retryIndex, 30));
            return ticks >= maxDelay.Ticks ? maxDelay : TimeSpan.FromTicks((long)ticks);
        }
    }
}
