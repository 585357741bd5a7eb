using System.Collections;
using System.Management.Automation;

namespace Glider.PowerShell
{
    /// <summary>"PowerShell/&lt;PSVersion&gt;" for the User-Agent, from $PSVersionTable (the host's version is not PowerShell's).</summary>
    internal static class PowerShellUserAgent
    {
        public static string Suffix(PSVariableIntrinsics? variables)
        {
            object? table = variables?.GetValue("PSVersionTable");
            if (table is PSObject wrapped)
            {
                table = wrapped.BaseObject;
            }

            object? version = (table as IDictionary)?["PSVersion"];
            return "PowerShell/" + (version?.ToString() ?? "unknown");
        }
    }
}
