using Glider.Client.Errors;
using Glider.Client.Models;

namespace Glider.Client
{
    /// <summary>
    /// What OperationWait reports. Called from thread-pool threads: an implementation must not touch a PowerShell
    /// host from here, only queue what it is told.
    /// </summary>
    internal interface IOperationWaitObserver
    {
        /// <summary>Every successful poll, terminal or not (for progress).</summary>
        void OnPolled(Operation operation);
        /// <summary>Exactly once per operation that reached completed, failed or cancelled.</summary>
        void OnFinished(Operation operation);
        /// <summary>Exactly once per operation dropped from the wait because polling it failed for good (404, retries spent).</summary>
        void OnPollFailed(OperationReference operation, GliderException error);
        /// <summary>
        /// Exactly once per operation still unfinished when its timeout ran out (or certain to be: a 429 asked for a wait
        /// past it). lastKnown is null if no poll succeeded; lastFailure is the error of the last poll when polls were
        /// failing then (the 429, a 503, ...), null otherwise. Both null: the deadline came before the first poll.
        /// </summary>
        void OnTimedOut(OperationReference operation, Operation? lastKnown, GliderException? lastFailure);
    }
}
