using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using Glider.Client;
using Glider.Client.Errors;
using Glider.Client.Models;

namespace Glider.PowerShell.Commands
{
    /// <summary>
    /// Starts a one-off rebalance per portfolio, up to -ThrottleLimit at once. Emits each submission as its answer
    /// arrives (pipe it to Wait-GliderOperation), or with -Wait puts each accepted run into one poll loop at once and
    /// emits each finished Operation, exactly as Wait-GliderOperation would.
    /// </summary>
    [Cmdlet(VerbsLifecycle.Invoke, "GliderRebalance", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, HelpUri = HelpLinks.HelpFolder + "Invoke-GliderRebalance.md")]
    [OutputType(typeof(RebalanceSubmission), typeof(Operation))]
    public sealed class InvokeGliderRebalanceCommand : GliderCmdletBase
    {
        /// <summary>Key of the stopping error's Exception.Data entry that lists the runs this command started.</summary>
        public const string StartedOperationsKey = "GliderStartedOperations";

        private readonly List<RebalanceSubmission> accepted = new List<RebalanceSubmission>();
        private PipelineWait? wait;

        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [GliderIdTransformation("PortfolioId")]
        [ValidateGliderId]
        [ArgumentCompleter(typeof(PortfolioIdCompleter))]
        public string[] PortfolioId { get; set; } = Array.Empty<string>();

        // Not a mandatory switch of its own parameter set: PowerShell would prompt for it interactively.
        [Parameter]
        public SwitchParameter Wait { get; set; }

        /// <summary>Seconds to wait for each operation, from when its run was accepted; unfinished ones then get GliderOperationTimeout.</summary>
        [Parameter]
        [ValidateRange(1, OperationWaitOptions.MaxTimeoutSeconds)]
        public int Timeout { get; set; }

        [Parameter]
        [ValidateRange(1, OperationWaitOptions.MaxPollIntervalSeconds)]
        public int PollIntervalSec { get; set; } = 2;

        /// <summary>Rebalance requests in flight at once.</summary>
        [Parameter]
        [ValidateRange(1, RequestThrottle.Max)]
        public int ThrottleLimit { get; set; } = RequestThrottle.Default;

        private protected override void OnBeginProcessing()
        {
            // Before any request: a -Timeout that silently does nothing would let a runbook believe it waited.
            if (!Wait && (MyInvocation.BoundParameters.ContainsKey(nameof(Timeout)) || MyInvocation.BoundParameters.ContainsKey(nameof(PollIntervalSec))))
            {
                throw Terminate(GliderErrorMapper.WaitParameterWithoutWait());
            }

            if (Wait)
            {
                int? timeout = MyInvocation.BoundParameters.ContainsKey(nameof(Timeout)) ? Timeout : (int?)null;
                wait = BeginWait(timeout, PollIntervalSec, any: false);
            }
        }

        protected override void ProcessRecord() => Engine.Stage(
            () =>
            {
                GliderClient client = Client;
                SessionOperations runs = StartedRuns;
                foreach (string id in PortfolioId)
                {
                    // Asked here, on the pipeline thread, in input order, before this portfolio's request is sent.
                    if (!ShouldProcess(id, "Start a rebalance"))
                    {
                        continue;
                    }

                    Engine.Fan(token => StartRecordedAsync(client, runs, id, token), id, InFlightLimit(Glider.Client.Pacing.ApiRoute.TriggerRebalance, ThrottleLimit), startsRun: true, OnAccepted);
                }

                Engine.WriteArrived();
                wait?.FlushProgress();
            },
            ReportStartedRuns);

        protected override void EndProcessing() => Engine.Stage(
            () =>
            {
                if (wait == null)
                {
                    Engine.Drain(null);
                }
                else
                {
                    PipelineWait running = wait;
                    running.Finish(() => Engine.Drain(running.FlushProgress));
                }
            },
            ReportStartedRuns);

        /// <summary>
        /// The POST, recorded in the session's record on whatever thread it ends, so that a run is recorded even when the
        /// pipeline that asked for it has been torn down before the answer came.
        /// </summary>
        private static async Task<RebalanceSubmission> StartRecordedAsync(GliderClient client, SessionOperations runs, string portfolioId, CancellationToken token)
        {
            object slot = runs.Sending(portfolioId, CommandName);
            try
            {
                RebalanceSubmission submission = await client.StartRebalanceAsync(portfolioId, token).ConfigureAwait(false);
                runs.Accepted(slot, submission);
                return submission;
            }
            catch (OperationCanceledException)
            {
                runs.Unanswered(slot, "The request was cancelled before the API answered.");
                throw;
            }
            catch (GliderException ex) when (GliderErrorMapper.MayHaveStartedRun(ex) && !(ex is GliderApiException))
            {
                runs.Unanswered(slot, ex.Message);
                throw;
            }
            catch (Exception)
            {
                // The API answered with an error, or the request was refused before it was sent: nothing started.
                runs.Refused(slot);
                throw;
            }
        }

        private const string CommandName = "Invoke-GliderRebalance";

        private void OnAccepted(RebalanceSubmission submission)
        {
            accepted.Add(submission);
            WriteVerbose($"Portfolio {submission.PortfolioId}: rebalance submitted as operation {submission.OperationId}.");
            if (wait != null)
            {
                wait.Add(new OperationReference(submission.PortfolioId, submission.OperationId, submission.SubmittedAt));
            }
            else
            {
                WriteObject(submission);
            }
        }

        /// <summary>
        /// The command is ending with an error while runs it started may still be going: name them in that error (and
        /// hand them over in its Exception.Data), so that a runbook that stops here still knows what the API started.
        /// </summary>
        private void ReportStartedRuns(ErrorRecord? stopping)
        {
            wait?.Cancel();
            if (stopping == null || accepted.Count == 0)
            {
                return;
            }

            // With -Wait, a run is reported once its ending was written (tracked on this thread, after the write): the
            // rest, and only the rest, are handed over here. Without -Wait each was written as it was accepted.
            var named = new HashSet<string>(StringComparer.Ordinal);
            RebalanceSubmission[] started = accepted
                .Where(s => wait == null || !wait.WasReported(s.PortfolioId, s.OperationId))
                .Where(s => named.Add(s.PortfolioId + "\n" + s.OperationId))
                .ToArray();
            if (started.Length == 0)
            {
                return;
            }

            const int Named = 10;
            string names = string.Join(", ", started.Take(Named).Select(s => $"{s.PortfolioId} (operation {s.OperationId})"));
            string more = started.Length > Named ? $" and {started.Length - Named} more" : string.Empty;
            string sentence = wait == null
                ? $"Before it stopped, this command had started {started.Length} rebalance(s), written to the output as they were accepted: {names}{more}."
                : $"Before it stopped, this command had started {started.Length} rebalance(s) that are still running and were not waited for: {names}{more}. Wait for them with Wait-GliderOperation (they are in this error's Exception.Data['{StartedOperationsKey}']).";
            StoppingError.Append(stopping, sentence, StartedOperationsKey, started);
        }
    }
}
