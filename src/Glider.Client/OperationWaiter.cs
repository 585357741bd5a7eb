using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Glider.Client.Models;

namespace Glider.Client
{
    /// <summary>
    /// Waits for many operations in one poll loop (not one after another). Every operation given ends in exactly one of
    /// OnFinished, OnPollFailed or OnTimedOut — unless the wait is cancelled (OperationCanceledException) or, with Any,
    /// returns after the first OnFinished.
    /// </summary>
    public sealed class OperationWaiter
    {
        public OperationWaiter(GliderClient client)
        {
            throw new NotImplementedException();
        }

        public Task WaitAsync(IReadOnlyList<OperationReference> operations, OperationWaitOptions options, IOperationWaitObserver observer, CancellationToken cancellationToken)
            => throw new NotImplementedException();
    }
}
