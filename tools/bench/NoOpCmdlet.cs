using System.Management.Automation;

namespace GliderBench
{
    /// <summary>
    /// A binary cmdlet that does nothing but bind two string parameters and write one object: what PowerShell itself
    /// charges for every call of a cmdlet shaped like Get-GliderOperation. The per-call benchmark subtracts it to show
    /// how much of Get-GliderOperation's time is the module's own.
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "BenchNothing")]
    public sealed class GetBenchNothingCommand : PSCmdlet
    {
        [Parameter(Mandatory = true, Position = 0)]
        public string PortfolioId { get; set; } = string.Empty;

        [Parameter(Mandatory = true, Position = 1)]
        public string OperationId { get; set; } = string.Empty;

        protected override void ProcessRecord() => WriteObject(OperationId);
    }
}
