using System;
using System.Management.Automation;
using Glider.Client.Models;

namespace Glider.PowerShell.Commands
{
    /// <summary>
    /// Resumes the rebalance schedule (POST /start; idempotent) and emits the portfolio as the API returns it. The API
    /// makes the next rebalance due at once, so the confirmation text says so.
    /// </summary>
    [Cmdlet(VerbsLifecycle.Resume, "GliderPortfolio", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(Portfolio))]
    public sealed class ResumeGliderPortfolioCommand : GliderCmdletBase
    {
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [ValidateGliderId]
        [ArgumentCompleter(typeof(PortfolioIdCompleter))]
        public string[] PortfolioId { get; set; } = Array.Empty<string>();

        protected override void ProcessRecord()
        {
            foreach (string id in PortfolioId)
            {
                if (ShouldProcess(id, "Resume the rebalance schedule (the next scheduled rebalance becomes due now)")
                    && TryRun(token => Client.StartScheduleAsync(id, token), id, out Portfolio portfolio))
                {
                    WriteObject(portfolio);
                }
            }
        }
    }
}
