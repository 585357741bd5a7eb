using System;
using System.Collections.Generic;
using System.Management.Automation;
using Glider.Client;
using Glider.Client.Models;

namespace Glider.PowerShell.Commands
{
    /// <summary>
    /// Gathers every piped operation, then waits for all of them in one poll loop. Each is emitted as soon as it ends;
    /// failed and cancelled ones also get a non-terminating error, so -ErrorAction Stop fails a runbook.
    /// </summary>
    [Cmdlet(VerbsLifecycle.Wait, "GliderOperation")]
    [OutputType(typeof(Operation))]
    public sealed class WaitGliderOperationCommand : GliderCmdletBase
    {
        private readonly List<OperationReference> pending = new List<OperationReference>();

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

        /// <summary>Seconds to wait for all operations; unfinished ones then get GliderOperationTimeout. Default: no limit.</summary>
        [Parameter]
        [ValidateRange(1, OperationWaitOptions.MaxTimeoutSeconds)]
        public int Timeout { get; set; }

        [Parameter]
        [ValidateRange(1, OperationWaitOptions.MaxPollIntervalSeconds)]
        public int PollIntervalSec { get; set; } = 2;

        /// <summary>Return as soon as one operation has ended; the others are left running and not reported.</summary>
        [Parameter]
        public SwitchParameter Any { get; set; }

        protected override void ProcessRecord() => pending.Add(new OperationReference(PortfolioId, OperationId, SubmittedAt));

        protected override void EndProcessing()
        {
            int? timeout = MyInvocation.BoundParameters.ContainsKey(nameof(Timeout)) ? Timeout : (int?)null;
            WaitForOperations(pending, timeout, PollIntervalSec, Any);
        }
    }
}
