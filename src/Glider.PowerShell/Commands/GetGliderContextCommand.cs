using System.Management.Automation;

namespace Glider.PowerShell.Commands
{
    /// <summary>The runspace's Connect-Glider connection, or nothing (the GLIDER_API_KEY fallback is resolved per call).</summary>
    [Cmdlet(VerbsCommon.Get, "GliderContext", HelpUri = HelpLinks.HelpFolder + "Get-GliderContext.md")]
    [OutputType(typeof(GliderConnection))]
    public sealed class GetGliderContextCommand : PSCmdlet
    {
        protected override void EndProcessing()
        {
            GliderConnection? current = GliderSession.Default;
            if (current != null)
            {
                WriteObject(current);
            }
        }
    }
}
