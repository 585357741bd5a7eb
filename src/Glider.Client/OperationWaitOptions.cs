using System;

namespace Glider.Client
{
    public sealed class OperationWaitOptions
    {
        /// <summary>Time between two polls of the same operation; the documented cadence is 2-5 s.</summary>
        public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(2);
        /// <summary>Null waits forever.</summary>
        public TimeSpan? Timeout { get; set; }
        /// <summary>Return as soon as one operation is terminal.</summary>
        public bool Any { get; set; }
        /// <summary>Polls in flight at once across all operations.</summary>
        public int MaxConcurrentPolls { get; set; } = 32;
        /// <summary>
        /// An operation whose polls keep failing transiently (each poll already retried by the client) stays in the wait
        /// and is polled again every PollInterval, until it has failed for this long without one success; then it is
        /// reported through OnPollFailed. The wait's Timeout, when shorter, ends it first (OnTimedOut).
        /// </summary>
        public TimeSpan PollFailureGracePeriod { get; set; } = TimeSpan.FromMinutes(5);
    }
}
