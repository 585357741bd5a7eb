using System;

namespace Glider.Client
{
    public sealed class OperationWaitOptions
    {
        /// <summary>The longest poll interval accepted: the documented cadence is seconds, a day is already absurd.</summary>
        public static readonly TimeSpan LongestPollInterval = TimeSpan.FromHours(24);

        /// <summary>The longest timeout that is a timeout (about 24.8 days, what a timer can hold); longer means none.</summary>
        public static readonly TimeSpan LongestTimeout = TimeSpan.FromMilliseconds(int.MaxValue - 1);

        /// <summary>Time between two polls of the same operation; the documented cadence is 2-5 s.</summary>
        public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(2);
        /// <summary>How long each operation is waited for, from when it was added. Null waits forever.</summary>
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
