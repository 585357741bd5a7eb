using System.Management.Automation;

namespace Glider.PowerShell.Commands
{
    /// <summary>
    /// Makes a connection for -Connection and writes it, leaving the runspace's default connection as it was: one
    /// script can hold a connection per tenant while Connect-Glider's stays the default.
    /// </summary>
    [Cmdlet(VerbsCommon.New, "GliderConnection", DefaultParameterSetName = ApiKeySet, HelpUri = HelpLinks.HelpFolder + "New-GliderConnection.md")]
    [OutputType(typeof(GliderConnection))]
    public sealed class NewGliderConnectionCommand : GliderConnectCmdlet
    {
        protected override void EndProcessing()
        {
            GliderConnection connection = CreateConnection();
            WriteVerbose($"New connection (the default connection is unchanged): {connection}.");
            WriteObject(connection);
        }
    }
}
