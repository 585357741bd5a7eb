using System;
using System.IO;

namespace Glider.Emulator
{
    /// <summary>
    /// What the program prints once it listens. The URL line comes first and alone on its line, because harnesses
    /// read exactly that line; the demo keys follow for the person who started it in a terminal.
    /// </summary>
    internal static class StartupBanner
    {
        public const string UrlPrefix = "GLIDER_EMULATOR_URL=";

        public static void Write(TextWriter output, Uri baseUri)
        {
            output.WriteLine(UrlPrefix + baseUri.GetLeftPart(UriPartial.Authority));
            output.WriteLine("# Demo API keys (any other key is refused with 401):");
            output.WriteLine("#   read-write  " + EmulatorDemoKeys.ReadWrite + "  (Acme Capital)");
            output.WriteLine("#   read-only   " + EmulatorDemoKeys.ReadOnly + "  (Acme Capital)");
            output.WriteLine("#   tenant two  " + EmulatorDemoKeys.OtherTenant + "  (Borealis Treasury)");
            output.WriteLine("# Control API: " + baseUri.GetLeftPart(UriPartial.Authority) + "/_emulator/ (reset, outcomes, faults, requests). Ctrl+C stops it.");
            output.Flush();
        }
    }
}
