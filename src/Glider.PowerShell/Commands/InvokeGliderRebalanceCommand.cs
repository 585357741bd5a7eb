using System;
using System.Collections.Generic;
using System.Management.Automation;
using Glider.Client;
using Glider.Client.Models;

namespace Glider.PowerShell.Commands
{
    /// <summary>
    /// Starts a one-off rebalance per portfolio. Emits the submission (pipe it to Wait-GliderOperation), or with -Wait
    /// waits for all of them at once and emits each finished Operation, exactly as Wait-GliderOperation would.
    /// </summary>
    [Cmdlet(VerbsLifecycle.Invoke, "GliderRebalance", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(RebalanceSubmission), typeof(Operation))]
    public sealed class InvokeGliderRebalanceCommand : GliderCmdletBase
    {

        private readonly List<OperationReference> submitted = new List<OperationReference>();

        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [GliderIdTransformation("PortfolioId")]
        [ValidateGliderId]
        [ArgumentCompleter(typeof(PortfolioIdCompleter))]
        public string[] PortfolioId { get; set; } = Array.Empty<string>();

        // Not a mandatory switch of its own parameter set: PowerShell would prompt for it interactively.
        [Parameter]
        public SwitchParameter Wait { get; set; }

        /// <summary>Seconds to wait for all operations; unfinished ones then get GliderOperationTimeout. Default: no limit.</summary>
        [Parameter]
        [ValidateRange(1, OperationWaitOptions.MaxTimeoutSeconds)]
        public int Timeout { get; set; }

        [Parameter]
        [ValidateRange(1, OperationWaitOptions.MaxPollIntervalSeconds)]
        public int PollIntervalSec { get; set; } = 2;

        private protected override void OnBeginProcessing()
        {
            // Before any request: a -Timeout that silently does nothing would let a runbook believe it waited.
            if (!Wait && (MyInvocation.BoundParameters.ContainsKey(nameof(Timeout)) || MyInvocation.BoundParameters.ContainsKey(nameof(PollIntervalSec))))
            {
                throw Terminate(GliderErrorMapper.WaitParameterWithoutWait());
            }
        }

        protected override void ProcessRecord()
        {
            foreach (string id in PortfolioId)
            {
                if (!ShouldProcess(id, "Start a rebalance"))
                {
                    continue;
                }

                if (!TryRun(token => Client.StartRebalanceAsync(id, token), id, out RebalanceSubmission submission))
                {
                    continue;
                }

                WriteVerbose($"Portfolio {submission.PortfolioId}: rebalance submitted as operation {submission.OperationId}.");
                if (Wait)
                {
                    submitted.Add(new OperationReference(submission.PortfolioId, submission.OperationId, submission.SubmittedAt));
                }
                else
                {
                    WriteObject(submission);
                }
            }
        }

        protected override void EndProcessing()
        {
            if (Wait)
            {
                int? timeout = MyInvocation.BoundParameters.ContainsKey(nameof(Timeout)) ? Timeout : (int?)null;
                WaitForOperations(submitted, timeout, PollIntervalSec, any: false);
            }
        }
    }
}
