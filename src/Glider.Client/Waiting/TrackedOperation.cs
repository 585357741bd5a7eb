using System;
using Glider.Client.Errors;
using Glider.Client.Models;

namespace Glider.Client.Waiting
{
    /// <summary>The waiter's state for one (de-duplicated) operation. Only the wait loop's thread touches it.</summary>
    internal sealed class TrackedOperation
    {
        public TrackedOperation(OperationReference reference, DateTimeOffset? deadline)
        {
            Reference = reference;
            Deadline = deadline;
        }

        public OperationReference Reference { get; }
        /// <summary>When this operation's wait ends unfinished: its arrival plus the wait's Timeout; null for none.</summary>
        public DateTimeOffset? Deadline { get; }
        public Operation? LastKnown { get; set; }
        /// <summary>When the poll in flight (or the last one) was sent; the next is due one PollInterval later.</summary>
        public DateTimeOffset LastPollStartedAt { get; set; }
        /// <summary>When the current run of failed polls began; null after a successful poll.</summary>
        public DateTimeOffset? FailingSince { get; set; }
        /// <summary>The last failed poll's error, while polls are failing; the cause a timeout reports.</summary>
        public GliderException? LastFailure { get; set; }
        public bool IsDone { get; set; }
        /// <summary>What a progress bar counts this operation as: "waiting", the last state polled, "timed out" or "poll failed".</summary>
        public string ProgressState { get; set; } = WaitingState;

        public const string WaitingState = "waiting";
    }
}
