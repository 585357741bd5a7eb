using System;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using Glider.Client;
using Glider.Client.Models;

namespace Glider.PowerShell
{
    /// <summary>
    /// What Suspend- and Resume-GliderPortfolio share: ids from the pipeline, one confirmation and one idempotent POST
    /// per id, the portfolio the API returns written as is. They differ only in the request and the confirmation text.
    /// </summary>
    public abstract class ScheduleChangeCmdlet : GliderCmdletBase
    {
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [GliderIdTransformation("PortfolioId")]
        [ValidateGliderId]
        [ArgumentCompleter(typeof(PortfolioIdCompleter))]
        public string[] PortfolioId { get; set; } = Array.Empty<string>();

        /// <summary>The -WhatIf / -Confirm text for one portfolio.</summary>
        private protected abstract string ChangeDescription { get; }

        private protected abstract Task<Portfolio> ChangeAsync(GliderClient client, string portfolioId, CancellationToken cancellationToken);

        protected override void ProcessRecord()
        {
            foreach (string id in PortfolioId)
            {
                if (ShouldProcess(id, ChangeDescription)
                    && TryRun(token => ChangeAsync(Client, id, token), id, out Portfolio portfolio))
                {
                    WriteObject(portfolio);
                }
            }
        }
    }
}
