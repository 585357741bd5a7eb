using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using Glider.Client;
using Glider.Client.Models;

namespace Glider.PowerShell.Commands
{
    /// <summary>
    /// Resumes the rebalance schedule (POST /start; idempotent) and emits the portfolio as the API returns it. The API
    /// makes the next rebalance due at once, so the confirmation text says so.
    /// </summary>
    [Cmdlet(VerbsLifecycle.Resume, "GliderPortfolio", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, HelpUri = HelpLinks.HelpFolder + "Resume-GliderPortfolio.md")]
    [OutputType(typeof(Portfolio))]
    public sealed class ResumeGliderPortfolioCommand : ScheduleChangeCmdlet
    {
        private protected override string ChangeDescription => "Resume the rebalance schedule (the next scheduled rebalance becomes due now)";

        private protected override Task<Portfolio> ChangeAsync(GliderClient client, string portfolioId, CancellationToken cancellationToken) =>
            client.StartScheduleAsync(portfolioId, cancellationToken);
    }
}
