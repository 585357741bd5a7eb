#if !NET
using System;
using System.IO;
using System.Management.Automation;

namespace Glider.PowerShell
{
    /// <summary>
    /// Windows PowerShell 5.1 only (the netstandard2.0 build). .NET Framework binds strong-named references by exact
    /// version, and a module cannot ship binding redirects, so System.Text.Json's dependencies (System.Memory,
    /// System.Runtime.CompilerServices.Unsafe, Microsoft.Bcl.AsyncInterfaces, ...) would fail to load whenever two of
    /// them disagree on a version. This answers such failed binds with the copy shipped beside GliderPS.dll, on the
    /// terms of <see cref="DesktopAssemblyResolution.Decide"/>: always for our own assemblies, for anyone else's only
    /// when our copy is at least the version asked for, so that no other module is handed an older assembly.
    /// </summary>
    public sealed class DesktopAssemblyResolver : IModuleAssemblyInitializer
    {
        private static readonly object Gate = new object();
        private static DesktopAssemblyResolution? registered;

        public void OnImport()
        {
            lock (Gate)
            {
                if (registered == null)
                {
                    string moduleDirectory = Path.GetDirectoryName(typeof(DesktopAssemblyResolver).Assembly.Location) ?? string.Empty;
                    registered = new DesktopAssemblyResolution(moduleDirectory);
                    AppDomain.CurrentDomain.AssemblyResolve += registered.Resolve;
                }
            }
        }
    }
}
#endif
