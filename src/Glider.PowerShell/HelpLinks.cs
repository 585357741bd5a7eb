namespace Glider.PowerShell
{
    /// <summary>
    /// Where Get-Help -Online sends a user: each cmdlet's help source in the repository (docs/help/Verb-Noun.md), the
    /// page the MAML is generated from, so the online page never says something the console help does not.
    /// </summary>
    internal static class HelpLinks
    {
        public const string HelpFolder = "https://github.com/gliderps/GliderPS/blob/main/docs/help/";
    }
}
