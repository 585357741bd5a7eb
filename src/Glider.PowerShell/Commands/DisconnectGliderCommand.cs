using System.Management.Automation;

namespace Glider.PowerShell.Commands
{
    /// <summary>
    /// Forgets this runspace's default connection. The pooled client is kept: a connection object passed to
    /// another runspace may still be using it.
    /// </summary>
    [Cmdlet(VerbsCommunications.Disconnect, "Glider", HelpUri = HelpLinks.HelpFolder + "Disconnect-Glider.md")]
    [OutputType(typeof(void))]
    public sealed class DisconnectGliderCommand : PSCmdlet
    {
        protected override void EndProcessing()
        {
            GliderConnection? current = GliderSession.Default;
            GliderSession.Default = null;
            NonPromptingStreams.Verbose(this, current == null ? "Not connected; nothing to do." : $"Disconnected from {current}.");
        }
    }
}
