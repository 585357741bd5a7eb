using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Glider.Client.Models;
using Glider.Client.Waiting;

namespace Glider.Client.Tests.Support
{
    /// <summary>A wait fed a known list at once: what most tests need, built from the one wait the cmdlets use.</summary>
    internal static class WaitAll
    {
        public static async Task RunAsync(GliderClient client, IReadOnlyList<OperationReference> operations, OperationWaitOptions options, IOperationWaitObserver observer, CancellationToken cancellationToken)
        {
            OperationWait wait = OperationWait.Start(client, options, observer, cancellationToken);
            foreach (OperationReference reference in operations)
            {
                wait.Add(reference);
            }

            wait.CompleteAdding();
            await wait.Completion.ConfigureAwait(false);
        }
    }
}
