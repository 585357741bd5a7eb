using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Management.Automation;
using System.Text;
using Glider.Client;
using Glider.Client.Errors;
using Glider.Client.Models;
using Glider.Client.Waiting;

namespace Glider.PowerShell
{
    /// <summary>
    /// The PowerShell side of the client's one wait, shared by Wait-GliderOperation and Invoke-GliderRebalance -Wait:
    /// operations are added as they arrive from the pipeline; the wait calls back on pool threads, and each ending is
    /// posted to the pipeline thread and written there. What has been reported is tracked on the pipeline thread only,
    /// after the write, so a stopping error can name exactly the runs that were not.
    /// </summary>
    internal sealed class PipelineWait : IOperationWaitObserver
    {
        private const int ProgressActivityId = 71;
        private const string ProgressActivity = "Waiting for Glider operations";
        private static readonly TimeSpan ProgressInterval = TimeSpan.FromMilliseconds(250);

        private readonly GliderAsyncCmdlet cmdlet;
        private readonly CommandEngine engine;
        private readonly SessionOperations record;
        private readonly TimeSpan? timeout;
        private readonly OperationWait wait;
        // Pipeline thread only.
        private readonly HashSet<(string, string)> reported = new HashSet<(string, string)>();
        private readonly Stopwatch sinceProgress = new Stopwatch();
        private bool inputComplete;
        private bool progressShown;
        private int progressVersion = -1;
        private int lastPercent = -1;

        private PipelineWait(GliderAsyncCmdlet cmdlet, GliderClient client, OperationWaitOptions options, SessionOperations record)
        {
            this.cmdlet = cmdlet;
            engine = cmdlet.Engine;
            this.record = record;
            timeout = options.Timeout;
            wait = engine.Traced(() => OperationWait.Start(client, options, this, engine.Token));
        }

        /// <summary>Starts the poll loop of this command; add operations as they arrive, then Finish.</summary>
        public static PipelineWait Start(GliderAsyncCmdlet cmdlet, GliderClient client, int? timeoutSeconds, int pollIntervalSeconds, bool any, SessionOperations record)
        {
            var options = new OperationWaitOptions
            {
                PollInterval = TimeSpan.FromSeconds(pollIntervalSeconds),
                Timeout = timeoutSeconds.HasValue ? TimeSpan.FromSeconds(timeoutSeconds.Value) : (TimeSpan?)null,
                Any = any,
            };
            cmdlet.WriteVerbose($"Waiting for operations as they arrive, polling each every {pollIntervalSeconds} s{(timeoutSeconds.HasValue ? $" for at most {timeoutSeconds} s after it arrived" : string.Empty)}.");
            return new PipelineWait(cmdlet, client, options, record);
        }

        /// <summary>Pipeline thread: adds one operation; an id the API cannot be asked about is that item's error.</summary>
        public void Add(OperationReference reference)
        {
            try
            {
                if (!wait.Add(reference) && wait.HasEnded)
                {
                    string why = wait.AnySatisfied ? "the wait has ended (-Any)" : "the wait has ended";
                    cmdlet.WriteVerbose($"Operation {reference.OperationId} of portfolio {reference.PortfolioId} is not waited for: {why}.");
                }
            }
            catch (ArgumentException ex)
            {
                engine.WriteGliderError(ex, reference);
            }
        }

        /// <summary>Pipeline thread: whether this operation's ending was written (to the output or as its error).</summary>
        public bool WasReported(string portfolioId, string operationId) => reported.Contains((portfolioId, operationId));

        /// <summary>Stops polling (a stopping error): the operations go on on the server.</summary>
        public void Cancel() => wait.Cancel();

        /// <summary>No more input: waits until every operation added has been reported, writing each as it ends.</summary>
        public void Finish(Action? beforeEnd)
        {
            try
            {
                beforeEnd?.Invoke();
                inputComplete = true;
                progressVersion = -1; // the percentage can be shown now
                wait.CompleteAdding();
                try
                {
                    engine.Await(wait.Completion, FlushProgress);
                }
                catch (Exception ex) when (ex is GliderException || ex is ArgumentException)
                {
                    // Per-operation failures arrive through the observer; this is the wait itself failing.
                    engine.WriteGliderError(ex, null);
                    engine.WriteArrived();
                }
            }
            finally
            {
                CompleteProgress();
            }
        }

        public void OnPolled(Operation operation) => record.Observe(operation);

        public void OnFinished(Operation operation)
        {
            record.Observe(operation);
            engine.Post(() =>
            {
                cmdlet.WriteObject(operation);
                reported.Add((operation.PortfolioId, operation.OperationId));
                if (!string.Equals(operation.State, OperationStates.Completed, StringComparison.Ordinal))
                {
                    engine.WriteError(GliderErrorMapper.OperationFinishedUnsuccessfully(operation));
                }
            });
        }

        public void OnPollFailed(OperationReference operation, GliderException error)
        {
            engine.Post(() =>
            {
                // Its error names it, whether written or the one that stops the command.
                reported.Add((operation.PortfolioId, operation.OperationId));
                engine.WriteGliderError(error, operation);
            });
        }

        public void OnTimedOut(OperationReference operation, Operation? lastKnown, GliderException? lastFailure)
        {
            if (lastKnown != null)
            {
                record.Observe(lastKnown);
            }

            TimeSpan limit = timeout ?? TimeSpan.Zero;
            engine.Post(() =>
            {
                reported.Add((operation.PortfolioId, operation.OperationId));
                engine.WriteError(GliderErrorMapper.OperationTimedOut(operation, lastKnown, lastFailure, limit));
            });
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

            WaitProgress progress = wait.Progress();
            if (progress.Version == progressVersion)
            {
                return;
            }

            progressVersion = progress.Version;
            var counts = new StringBuilder();
            foreach (KeyValuePair<string, int> state in progress.ByState)
            {
                counts.Append(counts.Length == 0 ? string.Empty : ", ").Append(state.Key).Append(": ").Append(state.Value);
            }

            string status;
            int percent;
            if (inputComplete)
            {
                percent = progress.Added == 0 ? 100 : progress.Ended * 100 / progress.Added;
                percent = Math.Max(percent, lastPercent);
                status = $"{progress.Ended} of {progress.Added} finished ({counts})";
            }
            else
            {
                percent = -1;
                status = $"{progress.Ended} of {progress.Added} received so far finished ({counts}); more are arriving";
            }

            lastPercent = percent;
            cmdlet.WriteProgress(new ProgressRecord(ProgressActivityId, ProgressActivity, status) { PercentComplete = percent });
            progressShown = true;
            sinceProgress.Restart();
        }

        /// <summary>Pipeline thread only: clears the bar, also after Ctrl+C or a stopping error.</summary>
        private void CompleteProgress()
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
    }
}
