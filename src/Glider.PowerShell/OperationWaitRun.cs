using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using System.Text;
using Glider.Client;
using Glider.Client.Errors;
using Glider.Client.Models;

namespace Glider.PowerShell
{
    /// <summary>
    /// One wait for many operations, shared by Wait-GliderOperation and Invoke-GliderRebalance -Wait so both behave
    /// the same. The waiter calls back on pool threads; this only records state and queues the writes, which run on
    /// the pipeline thread. Each operation is written as soon as it ends, not when the last one does.
    /// </summary>
    internal sealed class OperationWaitRun : IOperationWaitObserver
    {
        private const int ProgressActivityId = 71;
        private const string ProgressActivity = "Waiting for Glider operations";
        private static readonly TimeSpan ProgressInterval = TimeSpan.FromMilliseconds(250);

        private readonly GliderAsyncCmdlet cmdlet;
        private readonly TimeSpan? timeout;
        private readonly object gate = new object();
        private readonly Dictionary<string, string> states = new Dictionary<string, string>(StringComparer.Ordinal);
        private readonly Stopwatch sinceProgress = new Stopwatch();
        private bool progressDirty = true;
        private bool progressShown;

        private OperationWaitRun(GliderAsyncCmdlet cmdlet, IEnumerable<OperationReference> operations, TimeSpan? timeout)
        {
            this.cmdlet = cmdlet;
            this.timeout = timeout;
            foreach (OperationReference reference in operations)
            {
                states[Key(reference.PortfolioId, reference.OperationId)] = "waiting";
            }
        }

        /// <summary>The same operation piped twice (an in-flight rebalance answers with its existing id) is waited once.</summary>
        public static IReadOnlyList<OperationReference> Distinct(IEnumerable<OperationReference> operations)
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            return operations.Where(o => seen.Add(Key(o.PortfolioId, o.OperationId))).ToList();
        }

        /// <summary>Starts the wait; run it with the cmdlet's pump, passing FlushProgress as the idle callback.</summary>
        public static OperationWaitRun Create(GliderAsyncCmdlet cmdlet, IReadOnlyList<OperationReference> operations, OperationWaitOptions options) =>
            new OperationWaitRun(cmdlet, operations, options.Timeout);

        public void OnPolled(Operation operation) => Record(operation);

        public void OnFinished(Operation operation)
        {
            Record(operation);
            cmdlet.Post(() =>
            {
                cmdlet.WriteObject(operation);
                if (!string.Equals(operation.State, OperationStates.Completed, StringComparison.Ordinal))
                {
                    cmdlet.WriteError(GliderErrorMapper.OperationFinishedUnsuccessfully(operation));
                }
            });
        }

        public void OnPollFailed(OperationReference operation, GliderException error)
        {
            Record(operation, "poll failed");
            cmdlet.Post(() => cmdlet.WriteGliderError(error, operation));
        }

        public void OnTimedOut(OperationReference operation, Operation? lastKnown)
        {
            Record(operation, "timed out");
            TimeSpan limit = timeout ?? TimeSpan.Zero;
            cmdlet.Post(() => cmdlet.WriteError(GliderErrorMapper.OperationTimedOut(operation, lastKnown, limit)));
        }

        /// <summary>Pipeline thread only. At most one progress record per interval, whatever the poll rate.</summary>
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
                int finished = states.Values.Count(IsDone);
                percent = states.Count == 0 ? 100 : finished * 100 / states.Count;
                var counts = new StringBuilder();
                foreach (IGrouping<string, string> group in states.Values.GroupBy(s => s, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal))
                {
                    counts.Append(counts.Length == 0 ? string.Empty : ", ").Append(group.Key).Append(": ").Append(group.Count().ToString(CultureInfo.InvariantCulture));
                }

                status = $"{finished} of {states.Count} finished ({counts})";
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

        private static bool IsDone(string state) =>
            OperationStates.IsTerminal(state) || state == "poll failed" || state == "timed out";

        private static string Key(string portfolioId, string operationId) => portfolioId + "\n" + operationId;

        private void Record(Operation operation) => Record(new OperationReference(operation.PortfolioId, operation.OperationId), operation.State ?? "unknown");

        private void Record(OperationReference operation, string state)
        {
            lock (gate)
            {
                states[Key(operation.PortfolioId, operation.OperationId)] = state;
                progressDirty = true;
            }
        }
    }
}
