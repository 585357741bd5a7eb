using System;
using System.Collections.Generic;
using System.Management.Automation;
using Glider.Client.Models;

namespace Glider.PowerShell.Commands
{
    /// <summary>
    /// Starts a one-off rebalance per portfolio. Emits the submission (pipe it to Wait-GliderOperation), or with -Wait
    /// waits for all of them at once and emits each finished Operation, exactly as Wait-GliderOperation would.
    /// </summary>
    [Cmdlet(VerbsLifecycle.Invoke, "GliderRebalance", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = SubmitSet)]
    [OutputType(typeof(RebalanceSubmission), ParameterSetName = new[] { SubmitSet })]
    [OutputType(typeof(Operation), ParameterSetName = new[] { WaitSet })]
    public sealed class InvokeGliderRebalanceCommand : GliderCmdletBase
    {
        private const string SubmitSet = "Submit";
        private const string WaitSet = "Wait";

        private readonly List<OperationReference> submitted = new List<OperationReference>();

        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [ValidateGliderId]
        public string[] PortfolioId { get; set; } = Array.Empty<string>();

        [Parameter(ParameterSetName = WaitSet, Mandatory = true)]
        public SwitchParameter Wait { get; set; }

        /// <summary>Seconds to wait for all operations; unfinished ones then get GliderOperationTimeout. Default: no limit.</summary>
        [Parameter(ParameterSetName = WaitSet)]
        [ValidateRange(1, int.MaxValue)]
        public int Timeout { get; set; }

        [Parameter(ParameterSetName = WaitSet)]
        [ValidateRange(1, int.MaxValue)]
        public int PollIntervalSec { get; set; } = 2;

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
                    submitted.Add(new OperationReference(submission.PortfolioId, submission.OperationId));
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
