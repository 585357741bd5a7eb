using System;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using Glider.Client;
using Glider.Client.Models;

namespace Glider.PowerShell
{
    /// <summary>
    /// What Suspend- and Resume-GliderPortfolio share: ids from the pipeline, one confirmation per id in input order,
    /// up to -ThrottleLimit idempotent POSTs in flight, each portfolio the API returns written as it arrives. They
    /// differ only in the request and the confirmation text.
    /// </summary>
    public abstract class ScheduleChangeCmdlet : GliderCmdletBase
    {
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [GliderIdTransformation("PortfolioId")]
        [ValidateGliderId]
        [ArgumentCompleter(typeof(PortfolioIdCompleter))]
        public string[] PortfolioId { get; set; } = Array.Empty<string>();

        /// <summary>Requests in flight at once.</summary>
        [Parameter]
        [ValidateRange(1, RequestThrottle.Max)]
        public int ThrottleLimit { get; set; } = RequestThrottle.Default;

        /// <summary>The -WhatIf / -Confirm text for one portfolio.</summary>
        private protected abstract string ChangeDescription { get; }

        private protected abstract Task<Portfolio> ChangeAsync(GliderClient client, string portfolioId, CancellationToken cancellationToken);

        protected override void ProcessRecord() => Engine.Stage(
            () =>
            {
                foreach (string id in PortfolioId)
                {
                    if (ShouldProcess(id, ChangeDescription))
                    {
                        Engine.Fan(token => ChangeAsync(Client, id, token), id, ThrottleLimit, startsRun: false, WriteObject);
                    }
                }

                Engine.WriteArrived();
            },
            null);

        protected override void EndProcessing() => Engine.Stage(() => Engine.Drain(null), null);
    }
}
