using System.Threading.Tasks;
using Glider.Client.Models;
using Glider.Client.Waiting;

namespace Glider.Client
{
    /// <summary>
    /// A running wait that operations are added to as they become known (a pipeline feeding Wait-GliderOperation), so
    /// the first ones are polled, and reported, while later ones are still being submitted.
    /// </summary>
    internal sealed class OperationWaitSession
    {
        private readonly WaitRun run;

        internal OperationWaitSession(WaitRun run, Task completion)
        {
            this.run = run;
            Completion = completion;
        }

        /// <summary>Ends when every added operation has been reported (after CompleteAdding), or the wait was cancelled or satisfied (Any).</summary>
        public Task Completion { get; }

        /// <summary>For tests with a fake clock: the loop sleeps until a poll or deadline is due, nothing in flight.</summary>
        internal bool IsWaitingForTime => run.IsWaitingForTime;

        /// <summary>True once the wait no longer takes operations (Any was satisfied, or it was cancelled).</summary>
        public bool HasEnded => run.HasEnded;

        /// <summary>
        /// Adds an operation; its Timeout starts now. False when it is already in this wait or the wait has ended.
        /// Throws ArgumentException for an id the API cannot be asked about. Call from one thread at a time.
        /// </summary>
        public bool Add(OperationReference reference) => run.Add(reference);

        /// <summary>No more operations: the wait completes once the last one added has ended.</summary>
        public void CompleteAdding() => run.CompleteAdding();
    }
}
