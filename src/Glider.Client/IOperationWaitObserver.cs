using Glider.Client.Errors;
using Glider.Client.Models;

namespace Glider.Client
{
    /// <summary>
    /// What OperationWaiter reports. Called from thread-pool threads: an implementation must not touch a PowerShell
    /// host from here, only queue what it is told.
    /// </summary>
    public interface IOperationWaitObserver
    {
        /// <summary>Every successful poll, terminal or not (for progress).</summary>
        void OnPolled(Operation operation);
        /// <summary>Exactly once per operation that reached completed, failed or cancelled.</summary>
        void OnFinished(Operation operation);
        /// <summary>Exactly once per operation dropped from the wait because polling it failed for good (404, retries spent).</summary>
        void OnPollFailed(OperationReference operation, GliderException error);
        /// <summary>Exactly once per operation still unfinished when the timeout ran out; lastKnown is null if never polled.</summary>
        void OnTimedOut(OperationReference operation, Operation? lastKnown);
    }
}
