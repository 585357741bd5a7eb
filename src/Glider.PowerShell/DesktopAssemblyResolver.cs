#if !NET
using System;
using System.IO;
using System.Management.Automation;
using System.Reflection;

namespace Glider.PowerShell
{
    /// <summary>
    /// Windows PowerShell 5.1 only (the netstandard2.0 build). .NET Framework binds strong-named references by exact
    /// version, and a module cannot ship binding redirects, so System.Text.Json's dependencies (System.Memory,
    /// System.Runtime.CompilerServices.Unsafe, Microsoft.Bcl.AsyncInterfaces, ...) would fail to load whenever two of
    /// them disagree on a version. This hands out the copy shipped beside GliderPS.dll for any such request instead.
    /// Not verified here (no Windows PowerShell on our machines): designed from the .NET Framework binding rules.
    /// </summary>
    public sealed class DesktopAssemblyResolver : IModuleAssemblyInitializer
    {
        private static readonly object Gate = new object();
        private static bool registered;
        private static readonly string ModuleDirectory =
            Path.GetDirectoryName(typeof(DesktopAssemblyResolver).Assembly.Location) ?? string.Empty;

        public void OnImport()
        {
            lock (Gate)
            {
                if (!registered)
                {
                    AppDomain.CurrentDomain.AssemblyResolve += ResolveFromModuleDirectory;
                    registered = true;
                }
            }
        }

        private static Assembly? ResolveFromModuleDirectory(object? sender, ResolveEventArgs args)
        {
            string? name = new AssemblyName(args.Name).Name;
            if (string.IsNullOrEmpty(name))
            {
                return null;
            }

            string candidate = Path.Combine(ModuleDirectory, name + ".dll");
            return File.Exists(candidate) ? Assembly.LoadFrom(candidate) : null;
        }
    }
}
#endif
