using Glider.Client.Errors;
using Glider.Client.Models;

namespace Glider.Client.Waiting
{
    /// <summary>How one poll ended; produced on a pool thread, consumed by the wait loop.</summary>
    internal sealed class PollResult
    {
        private PollResult(TrackedOperation tracked, Operation? operation, GliderException? error)
        {
            Tracked = tracked;
            Operation = operation;
            Error = error;
        }

        public TrackedOperation Tracked { get; }
        public Operation? Operation { get; }
        public GliderException? Error { get; }
        /// <summary>Neither an answer nor an error: the poll was cancelled because the wait is ending.</summary>
        public bool WasCancelled => Operation == null && Error == null;

        public static PollResult Polled(TrackedOperation tracked, Operation operation) => new PollResult(tracked, operation, null);
        public static PollResult Failed(TrackedOperation tracked, GliderException error) => new PollResult(tracked, null, error);
        public static PollResult Cancelled(TrackedOperation tracked) => new PollResult(tracked, null, null);
    }
}
