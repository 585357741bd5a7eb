using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Glider.Client;
using Glider.Client.Errors;
using Glider.Client.Models;

namespace Glider.PowerShell
{
    /// <summary>
    /// One streaming wait, shared by Wait-GliderOperation and Invoke-GliderRebalance -Wait so both behave the same:
    /// operations are added as they arrive from the pipeline and polled at once by the client's single poll loop. The
    /// loop calls back on pool threads; this only records state and queues the writes, which run on the pipeline
    /// thread. Each operation is written as soon as it ends, not when the last one does.
    /// </summary>
    internal sealed class OperationWaitRun : IOperationWaitObserver, IDisposable
    {
        private const int ProgressActivityId = 71;
        private const string ProgressActivity = "Waiting for Glider operations";
        private const string Waiting = "waiting";
        private static readonly TimeSpan ProgressInterval = TimeSpan.FromMilliseconds(250);

        private readonly GliderAsyncCmdlet cmdlet;
        private readonly TimeSpan? timeout;
        private readonly object gate = new object();
        // Insertion order is arrival order: what a stopping error lists as still running.
        private readonly Dictionary<string, (OperationReference Reference, string State)> states = new Dictionary<string, (OperationReference, string)>(StringComparer.Ordinal);
        private readonly Stopwatch sinceProgress = new Stopwatch();
        private readonly CancellationTokenSource cancellation;
        private readonly OperationWaitSession session;
        private bool inputComplete;
        private bool progressDirty = true;
        private bool progressShown;
        private int lastPercent = -1;

        private OperationWaitRun(GliderAsyncCmdlet cmdlet, GliderClient client, OperationWaitOptions options, CancellationToken stopToken)
        {
            this.cmdlet = cmdlet;
            timeout = options.Timeout;
            cancellation = CancellationTokenSource.CreateLinkedTokenSource(stopToken);
            session = new OperationWaiter(client).Start(options, this, cancellation.Token);
        }

        /// <summary>Starts the poll loop; add operations as they arrive, then Complete.</summary>
        public static OperationWaitRun Start(GliderAsyncCmdlet cmdlet, GliderClient client, OperationWaitOptions options, CancellationToken stopToken) =>
            new OperationWaitRun(cmdlet, client, options, stopToken);

        public Task Completion => session.Completion;

        /// <summary>True once no further operation will be waited for (-Any was satisfied).</summary>
        public bool HasEnded => session.HasEnded;

        /// <summary>Pipeline thread. False when the operation is already in this wait, or the wait has ended.</summary>
        public bool Add(OperationReference reference)
        {
            string key = Key(reference);
            lock (gate)
            {
                // Recorded before the loop can poll it, so that no answer about it arrives before its entry.
                if (states.ContainsKey(key))
                {
                    return false;
                }

                states[key] = (reference, Waiting);
                progressDirty = true;
            }

            bool added = false;
            try
            {
                added = session.Add(reference);
                return added;
            }
            finally
            {
                if (!added)
                {
                    lock (gate)
                    {
                        states.Remove(key);
                    }
                }
            }
        }

        /// <summary>Pipeline thread: the last operation has been added.</summary>
        public void CompleteAdding()
        {
            lock (gate)
            {
                inputComplete = true;
                progressDirty = true;
            }

            session.CompleteAdding();
        }

        /// <summary>Operations added and not yet reported in any way: what a command that stops early leaves running.</summary>
        public IReadOnlyList<OperationReference> Unfinished()
        {
            lock (gate)
            {
                return states.Values.Where(s => !IsDone(s.State)).Select(s => s.Reference).ToList();
            }
        }

        /// <summary>Stops polling (a stopping error): the operations go on on the server, unreported by this wait.</summary>
        public void Cancel() => cancellation.Cancel();

        public void OnPolled(Operation operation) => Record(operation);

        public void OnFinished(Operation operation)
        {
            Record(operation);
            cmdlet.Post(() =>
            {
                cmdlet.WriteObject(operation);
                if (!string.Equals(operation.State, OperationStates.Completed, StringComparison.Ordinal))
                {
                    cmdlet.WriteErrorRecord(GliderErrorMapper.OperationFinishedUnsuccessfully(operation));
                }
            });
        }

        public void OnPollFailed(OperationReference operation, GliderException error)
        {
            Record(operation, "poll failed");
            cmdlet.Post(() => cmdlet.WriteGliderError(error, operation));
        }

        public void OnTimedOut(OperationReference operation, Operation? lastKnown, GliderException? lastFailure)
        {
            Record(operation, "timed out");
            TimeSpan limit = timeout ?? TimeSpan.Zero;
            cmdlet.Post(() => cmdlet.WriteErrorRecord(GliderErrorMapper.OperationTimedOut(operation, lastKnown, lastFailure, limit)));
        }

        /// <summary>
        /// Pipeline thread only. At most one progress record per interval, whatever the poll rate. While input is still
        /// arriving the total is unknown, so the record shows counts only; the percentage appears once the last
        /// operation has arrived, and never goes backwards.
        /// </summary>
        public void FlushProgress()
        {
            if (progressShown && sinceProgress.Elapsed < ProgressInterval)
            {
                return;
            }

            string status;
            int percent;
            lock (gate)
            {
                if (!progressDirty)
                {
                    return;
                }

                progressDirty = false;
                int finished = states.Values.Count(s => IsDone(s.State));
                var counts = new StringBuilder();
                foreach (IGrouping<string, string> group in states.Values.Select(s => s.State).GroupBy(s => s, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal))
                {
                    counts.Append(counts.Length == 0 ? string.Empty : ", ").Append(group.Key).Append(": ").Append(group.Count().ToString(CultureInfo.InvariantCulture));
                }

                if (inputComplete)
                {
                    percent = states.Count == 0 ? 100 : finished * 100 / states.Count;
                    percent = Math.Max(percent, lastPercent);
                    status = $"{finished} of {states.Count} finished ({counts})";
                }
                else
                {
                    percent = -1;
                    status = $"{finished} of {states.Count} received so far finished ({counts}); more are arriving";
                }

                lastPercent = percent;
            }

            cmdlet.WriteProgress(new ProgressRecord(ProgressActivityId, ProgressActivity, status) { PercentComplete = percent });
            progressShown = true;
            sinceProgress.Restart();
        }

        /// <summary>Pipeline thread only: clears the bar, also after Ctrl+C or a stopping error.</summary>
        public void CompleteProgress()
        {
            if (!progressShown)
            {
                return;
            }

            try
            {
                cmdlet.WriteProgress(new ProgressRecord(ProgressActivityId, ProgressActivity, "Done") { RecordType = ProgressRecordType.Completed });
            }
            catch (PipelineStoppedException)
            {
            }
        }

        public void Dispose()
        {
            cancellation.Cancel();
            // The loop ends promptly once cancelled; observe it so its end never surfaces as an unobserved exception.
            session.Completion.ContinueWith(t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
        }

        private static bool IsDone(string state) =>
            OperationStates.IsTerminal(state) || state == "poll failed" || state == "timed out";

        private static string Key(OperationReference reference) => reference.PortfolioId + "\n" + reference.OperationId;

        private void Record(Operation operation) => Record(new OperationReference(operation.PortfolioId, operation.OperationId), operation.State ?? "unknown");

        private void Record(OperationReference operation, string state)
        {
            lock (gate)
            {
                string key = Key(operation);
                if (states.TryGetValue(key, out var entry))
                {
                    states[key] = (entry.Reference, state);
                }

                progressDirty = true;
            }
        }
    }
}
