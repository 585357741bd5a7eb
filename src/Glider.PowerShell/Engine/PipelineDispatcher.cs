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
            PumpUntil(() => task.IsCompleted, stopping, idle);
        }

        /// <summary>
        /// Runs queued actions until done() holds after everything queued before it held has run. done is read on the
        /// pipeline thread only, so whatever it reads may be changed by the queued actions without locks; whoever makes
        /// it true from another thread must Post (an action or a wake-up), never just set a flag.
        /// </summary>
        public void PumpUntil(Func<bool> done, CancellationToken stopping, Action? idle)
        {
            while (true)
            {
                // Read before draining: whatever was queued before it became true is then run below.
                bool finished = done();
                RunPending();
                if (finished)
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

        /// <summary>Runs what is queued now, without waiting for more.</summary>
        public void RunPending()
        {
            while (queue.TryTake(out Action? action))
            {
                action();
            }
        }

        public void Dispose()
        {
            queue.CompleteAdding();
            queue.Dispose();
        }
    }
}
