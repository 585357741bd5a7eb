using System.Management.Automation;
using Glider.Client.Models;

namespace Glider.PowerShell.Commands
{
    /// <summary>One poll of one operation; a RebalanceSubmission or Operation pipes in by property name.</summary>
    [Cmdlet(VerbsCommon.Get, "GliderOperation", HelpUri = HelpLinks.HelpFolder + "Get-GliderOperation.md")]
    [OutputType(typeof(Operation))]
    public sealed class GetGliderOperationCommand : GliderCmdletBase
    {
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [GliderIdTransformation("PortfolioId")]
        [ValidateGliderId]
        [ArgumentCompleter(typeof(PortfolioIdCompleter))]
        public string PortfolioId { get; set; } = string.Empty;

        /// <summary>Opaque; sent back byte for byte (it may contain a literal %3A).</summary>
        [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
        [GliderIdTransformation("OperationId")]
        [ValidateGliderId]
        public string OperationId { get; set; } = string.Empty;

        protected override void ProcessRecord()
        {
            var reference = new OperationReference(PortfolioId, OperationId);
            if (TryRun(token => Client.GetOperationAsync(reference.PortfolioId, reference.OperationId, token), reference, out Operation operation))
            {
                WriteObject(operation);
            }
        }
    }
}
