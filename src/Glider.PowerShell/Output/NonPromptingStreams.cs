using System.Management.Automation;

namespace Glider.PowerShell
{
    /// <summary>
    /// Verbose, warning and debug lines that never prompt. For a compiled cmdlet, PowerShell turns -Debug into the
    /// "Inquire" preference for the verbose and warning streams (and, in Windows PowerShell, for the debug stream
    /// too): every such line would ask "Continue with this operation?", and under -NonInteractive (Azure Automation,
    /// CI) fail the command, often after a request had gone out. -Debug is asked for to see more, never to be asked;
    /// so while it is in force those lines go to the debug stream instead, which PowerShell 7 shows without a prompt.
    /// </summary>
    internal static class NonPromptingStreams
    {
        public static void Verbose(PSCmdlet cmdlet, string text)
        {
            if (DebugWouldInquire(cmdlet, "Verbose"))
            {
                Debug(cmdlet, "VERBOSE: " + text);
                return;
            }

            cmdlet.WriteVerbose(text);
        }

        public static void Warning(PSCmdlet cmdlet, string text)
        {
            if (DebugWouldInquire(cmdlet, "WarningAction"))
            {
                Debug(cmdlet, "WARNING: " + text);
                return;
            }

            cmdlet.WriteWarning(text);
        }

        public static void Debug(PSCmdlet cmdlet, string text)
        {
#if NETSTANDARD2_0
            // Windows PowerShell (the only host of this build) inquires on the debug stream itself under -Debug, and
            // offers no public way to write a debug record without that; the host's debug line shows the same text.
            if (DebugBound(cmdlet) && cmdlet.Host?.UI != null)
            {
                cmdlet.Host.UI.WriteDebugLine(text);
                return;
            }
#endif
            cmdlet.WriteDebug(text);
        }

        /// <summary>Whether verbose lines are wanted: -Verbose, or -Debug without -Verbose:$false.</summary>
        public static bool VerboseWanted(PSCmdlet cmdlet, bool verboseShown) => verboseShown || DebugWouldInquire(cmdlet, "Verbose");

        private static bool DebugWouldInquire(PSCmdlet cmdlet, string ownParameter) =>
            DebugBound(cmdlet) && !cmdlet.MyInvocation.BoundParameters.ContainsKey(ownParameter);

        private static bool DebugBound(PSCmdlet cmdlet) =>
            cmdlet.MyInvocation.BoundParameters.TryGetValue("Debug", out object? value)
            && (value is SwitchParameter flag ? flag.ToBool() : LanguagePrimitives.IsTrue(value));
    }
}
