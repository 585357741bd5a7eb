using System;
using System.Management.Automation;
using Glider.Client;
using Glider.Client.Models;

namespace Glider.PowerShell.Commands
{
    /// <summary>
    /// Waits for every piped operation in one poll loop, starting on each as soon as it arrives, so the first ones are
    /// emitted while later ones are still being submitted upstream. Each is emitted as soon as it ends; failed and
    /// cancelled ones also get a non-terminating error, so -ErrorAction Stop fails a runbook.
    /// </summary>
    [Cmdlet(VerbsLifecycle.Wait, "GliderOperation", HelpUri = HelpLinks.HelpFolder + "Wait-GliderOperation.md")]
    [OutputType(typeof(Operation))]
    public sealed class WaitGliderOperationCommand : GliderCmdletBase
    {
        private PipelineWait? wait;

        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [GliderIdTransformation("PortfolioId")]
        [ValidateGliderId]
        [ArgumentCompleter(typeof(PortfolioIdCompleter))]
        public string PortfolioId { get; set; } = string.Empty;

        [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
        [GliderIdTransformation("OperationId")]
        [ValidateGliderId]
        public string OperationId { get; set; } = string.Empty;

        /// <summary>
        /// When the rebalance was submitted; bound from Invoke-GliderRebalance's output. The first poll of a fresh
        /// submission is sent one interval after it (never later than one interval from now), not at once.
        /// </summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        public DateTimeOffset? SubmittedAt { get; set; }

        /// <summary>Seconds to wait for each operation, from when it arrived; unfinished ones then get GliderOperationTimeout. Default: no limit.</summary>
        [Parameter]
        [ValidateRange(1, OperationWaitOptions.MaxTimeoutSeconds)]
        public int Timeout { get; set; }

        [Parameter]
        [ValidateRange(1, OperationWaitOptions.MaxPollIntervalSeconds)]
        public int PollIntervalSec { get; set; } = 2;

        /// <summary>
        /// Return the first operation to end; the others, and any that arrive afterwards, are left running and not reported.
        /// </summary>
        [Parameter]
        public SwitchParameter Any { get; set; }

        private protected override void OnBeginProcessing()
        {
            int? timeout = MyInvocation.BoundParameters.ContainsKey(nameof(Timeout)) ? Timeout : (int?)null;
            wait = BeginWait(timeout, PollIntervalSec, Any);
        }

        protected override void ProcessRecord() => Engine.Stage(
            () =>
            {
                wait!.Add(new OperationReference(PortfolioId, OperationId, SubmittedAt));
                Engine.WriteArrived();
                wait.FlushProgress();
            },
            StopWaiting);

        protected override void EndProcessing() => Engine.Stage(() => wait!.Finish(null), StopWaiting);

        private void StopWaiting(ErrorRecord? stopping) => wait?.Cancel();
    }
}
