using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using Glider.Client;
using Glider.Client.Models;

namespace Glider.PowerShell.Commands
{
    /// <summary>Pauses the rebalance schedule (POST /stop; idempotent) and emits the portfolio as the API returns it.</summary>
    [Cmdlet(VerbsLifecycle.Suspend, "GliderPortfolio", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, HelpUri = HelpLinks.HelpFolder + "Suspend-GliderPortfolio.md")]
    [OutputType(typeof(Portfolio))]
    public sealed class SuspendGliderPortfolioCommand : ScheduleChangeCmdlet
    {
        private protected override string ChangeDescription => "Pause the rebalance schedule";

        private protected override Task<Portfolio> ChangeAsync(GliderClient client, string portfolioId, CancellationToken cancellationToken) =>
            client.StopScheduleAsync(portfolioId, cancellationToken);
    }
}
