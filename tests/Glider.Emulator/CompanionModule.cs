using System;
using System.IO;

namespace Glider.Emulator
{
    /// <summary>
    /// The GliderPS.Emulator PowerShell module travels inside the tool, beside this assembly, so that the module a
    /// user imports always matches the emulator it starts; --module-path tells them where it is.
    /// </summary>
    internal static class CompanionModule
    {
        public const string Name = "GliderPS.Emulator";

        public static string ManifestPath => Path.Combine(AppContext.BaseDirectory, Name, Name + ".psd1");
    }
}
