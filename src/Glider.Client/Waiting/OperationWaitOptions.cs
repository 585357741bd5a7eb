using System;

namespace Glider.Client
{
    internal sealed class OperationWaitOptions
    {
        /// <summary>The longest PollInterval accepted (a day), in seconds, for callers that validate before calling.</summary>
        public const int MaxPollIntervalSeconds = 24 * 60 * 60;

        /// <summary>
        /// The longest Timeout accepted (a week), in seconds. Timers cannot run past about 24.8 days, and a wait that
        /// silently became "no limit" above that would betray a runbook that asked for one; a week is far below it.
        /// </summary>
        public const int MaxTimeoutSeconds = 7 * 24 * 60 * 60;

        /// <summary>Time between two polls of the same operation; the documented cadence is 2-5 s. At most a day.</summary>
        public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(2);
        /// <summary>How long each operation is waited for, from when it was added. Null waits forever; otherwise at most a week (MaxTimeoutSeconds).</summary>
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
