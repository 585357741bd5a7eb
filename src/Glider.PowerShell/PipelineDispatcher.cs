using System;
using System.Collections.Concurrent;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;

namespace Glider.PowerShell
{
    /// <summary>
    /// Lets the pipeline thread wait for a task while running what pool threads queue for it. PowerShell's Write*
    /// methods may only be called from the pipeline thread, so client callbacks (request traces, wait progress,
    /// finished operations) are posted here and run by Wait, never called directly.
    /// </summary>
    internal sealed class PipelineDispatcher : IDisposable
    {
        // Short enough that a Ctrl+C or a progress refresh is never late by more than this.
        private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(100);
        private static readonly Action Wake = () => { };

        private readonly BlockingCollection<Action> queue = new BlockingCollection<Action>();

        /// <summary>Safe from any thread, including after the cmdlet ended (late callbacks are dropped).</summary>
        public void Post(Action action)
        {
            try
            {
                queue.Add(action);
            }
            catch (ObjectDisposedException)
            {
            }
            catch (InvalidOperationException)
            {
            }
        }

        /// <summary>
        /// Runs queued actions until task has completed and everything it queued has run. A cancelled token ends the
        /// wait at once with PipelineStoppedException, whether or not the task has noticed yet: Ctrl+C must not
        /// depend on how fast the HTTP stack gives up. idle runs on the pipeline thread at least every Tick.
        /// </summary>
        public void Wait(Task task, CancellationToken stopping, Action? idle)
        {
            task.ContinueWith(
                (_, state) => ((PipelineDispatcher)state!).Post(Wake),
                this,
                CancellationToken.None,
                TaskContinuationOptions.ExecuteSynchronously,
                TaskScheduler.Default);

            while (true)
            {
                // Read completion before draining: whatever the task queued before it completed is then run below.
                bool completed = task.IsCompleted;
                while (queue.TryTake(out Action? action))
                {
                    action();
                }

                if (completed)
                {
                    return;
                }

                try
                {
                    if (queue.TryTake(out Action? next, (int)Tick.TotalMilliseconds, stopping))
                    {
                        next();
                    }
                }
                catch (OperationCanceledException) when (stopping.IsCancellationRequested)
                {
                    throw new PipelineStoppedException();
                }

                idle?.Invoke();
            }
        }

        public void Dispose()
        {
            queue.CompleteAdding();
            queue.Dispose();
        }
    }
}
