using System;
using System.Management.Automation;
using Glider.Client.Models;

namespace Glider.PowerShell.Commands
{
    /// <summary>Pauses the rebalance schedule (POST /stop; idempotent) and emits the portfolio as the API returns it.</summary>
    [Cmdlet(VerbsLifecycle.Suspend, "GliderPortfolio", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(Portfolio))]
    public sealed class SuspendGliderPortfolioCommand : GliderCmdletBase
    {
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [ValidateGliderId]
        [ArgumentCompleter(typeof(PortfolioIdCompleter))]
        public string[] PortfolioId { get; set; } = Array.Empty<string>();

        protected override void ProcessRecord()
        {
            foreach (string id in PortfolioId)
            {
                if (ShouldProcess(id, "Pause the rebalance schedule")
                    && TryRun(token => Client.StopScheduleAsync(id, token), id, out Portfolio portfolio))
                {
                    WriteObject(portfolio);
                }
            }
        }
    }
}
