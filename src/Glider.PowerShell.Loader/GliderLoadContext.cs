using System;
using System.IO;
using System.Reflection;
using System.Runtime.Loader;

namespace Glider.PowerShell.Loader
{
    /// <summary>
    /// The load context that holds GliderPS.dll and everything it ships. Assemblies found beside this one load here;
    /// anything else (System.Management.Automation, System.Text.Json, the rest of the runtime) falls through to the
    /// default context, so the host's own copies are shared and never loaded twice.
    /// </summary>
    public sealed class GliderLoadContext : AssemblyLoadContext
    {
        private const string ModuleAssemblyFileName = "GliderPS.dll";
        private const string ClientAssemblyName = "Glider.Client";
        private static readonly object Gate = new object();
        private static GliderLoadContext? instance;
        private static Assembly? moduleAssembly;

        private readonly string assemblyDirectory;

        private GliderLoadContext(string assemblyDirectory)
            : base("GliderPS", isCollectible: false)
        {
            this.assemblyDirectory = assemblyDirectory;
        }

        /// <summary>
        /// True once an earlier import in this process loaded the module assembly: only then can module objects of
        /// that import linger, and the loader script spends time looking for them.
        /// </summary>
        public static bool IsModuleAssemblyLoaded
        {
            get
            {
                lock (Gate)
                {
                    return moduleAssembly is not null;
                }
            }
        }

        /// <summary>
        /// The GliderPS cmdlet assembly, loaded once per process: a Remove-Module / Import-Module cycle gets the same
        /// assembly back (a second copy would give two incompatible sets of the same types).
        /// </summary>
        public static Assembly LoadModuleAssembly()
        {
            lock (Gate)
            {
                if (moduleAssembly is null)
                {
                    string directory = Path.GetDirectoryName(typeof(GliderLoadContext).Assembly.Location)
                        ?? throw new InvalidOperationException("GliderPS.Loader has no location on disk.");
                    instance = new GliderLoadContext(directory);
                    moduleAssembly = instance.LoadFromAssemblyPath(Path.Combine(directory, ModuleAssemblyFileName));
                }

                return moduleAssembly;
            }
        }

        /// <summary>
        /// The client core (models and exceptions). PowerShell resolves a type literal such as
        /// [Glider.Client.Errors.GliderRateLimitException] only in the default context or in assemblies imported as
        /// modules, so the loader script imports this one too, or users could not catch our exceptions by type.
        /// </summary>
        public static Assembly LoadClientAssembly()
        {
            LoadModuleAssembly();
            return instance!.LoadFromAssemblyName(new AssemblyName(ClientAssemblyName));
        }

        protected override Assembly? Load(AssemblyName assemblyName)
        {
            if (assemblyName.Name is null)
            {
                return null;
            }

            // The host's assemblies are never shipped beside us, so a file here is always ours to load.
            string candidate = Path.Combine(assemblyDirectory, assemblyName.Name + ".dll");
            return File.Exists(candidate) ? LoadFromAssemblyPath(candidate) : null;
        }
    }
}
