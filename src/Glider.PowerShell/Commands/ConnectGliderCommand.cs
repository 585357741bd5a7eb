using System.Management.Automation;

namespace Glider.PowerShell.Commands
{
    /// <summary>
    /// Makes the runspace's default connection. The key comes from -ApiKey, -Credential's password (an Azure
    /// Automation credential asset) or GLIDER_API_KEY; it stays a SecureString inside the client and is never
    /// written anywhere. For a second tenant's connection that must not replace the default: New-GliderConnection.
    /// </summary>
    [Cmdlet(VerbsCommunications.Connect, "Glider", DefaultParameterSetName = ApiKeySet, HelpUri = HelpLinks.HelpFolder + "Connect-Glider.md")]
    [OutputType(typeof(GliderConnection))]
    public sealed class ConnectGliderCommand : GliderConnectCmdlet
    {
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void EndProcessing()
        {
            GliderConnection connection = CreateConnection();
            GliderSession.Default = connection;
            WriteVerbose($"Connected: {connection}.");
            if (PassThru)
            {
                WriteObject(connection);
            }
        }
    }
}
