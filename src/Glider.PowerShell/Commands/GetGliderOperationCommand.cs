using System.Management.Automation;
using Glider.Client.Models;

namespace Glider.PowerShell.Commands
{
    /// <summary>
    /// One poll of one operation (a RebalanceSubmission, Operation or StartedOperation pipes in by property name); with
    /// no ids, the runs this session's commands started, newest first, as last known, without calling the API.
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "GliderOperation", DefaultParameterSetName = SessionSet, HelpUri = HelpLinks.HelpFolder + "Get-GliderOperation.md")]
    [OutputType(typeof(Operation), ParameterSetName = new[] { ByIdSet })]
    [OutputType(typeof(StartedOperation), ParameterSetName = new[] { SessionSet })]
    public sealed class GetGliderOperationCommand : GliderCmdletBase
    {
        private const string SessionSet = "Session";
        private const string ByIdSet = "ById";

        [Parameter(ParameterSetName = ByIdSet, Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [GliderIdTransformation("PortfolioId")]
        [ValidateGliderId]
        [ArgumentCompleter(typeof(PortfolioIdCompleter))]
        public string PortfolioId { get; set; } = string.Empty;

        /// <summary>Opaque; sent back byte for byte (it may contain a literal %3A).</summary>
        [Parameter(ParameterSetName = ByIdSet, Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
        [GliderIdTransformation("OperationId")]
        [ValidateGliderId]
        public string OperationId { get; set; } = string.Empty;

        // The session's record needs no connection; a read resolves it when it is first needed.
        private protected override bool NeedsConnection => false;

        protected override void ProcessRecord()
        {
            if (ParameterSetName != ByIdSet)
            {
                WriteObject(StartedRuns.Newest(), enumerateCollection: true);
                return;
            }

            var reference = new OperationReference(PortfolioId, OperationId);
            if (Engine.TryAwait(Engine.Start(token => Client.GetOperationAsync(reference.PortfolioId, reference.OperationId, token)), reference, out Operation operation))
            {
                StartedRuns.Observe(operation);
                WriteObject(operation);
            }
        }
    }
}
