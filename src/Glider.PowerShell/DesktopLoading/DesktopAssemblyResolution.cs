using System;
using System.Collections.Generic;
using System.IO;
using System.Reflection;
using System.Threading;

namespace Glider.PowerShell
{
    /// <summary>
    /// The binding decisions behind DesktopAssemblyResolver (Windows PowerShell 5.1), free of PowerShell types so that
    /// the Mono test run compiles this file in and exercises it in a real AssemblyResolve round.
    /// </summary>
    /// <remarks>
    /// The AppDomain is shared with every other module of the session. Handing our older System.Memory to a module that
    /// asked for a newer one would break that module at its first call into the missing API, so a request from outside
    /// the module is answered only when our copy is at least the version asked for; requests from our own assemblies
    /// are always answered, because the versions they were compiled against are exactly the ones we ship or older.
    /// </remarks>
    internal sealed class DesktopAssemblyResolution
    {
        private readonly string moduleDirectory;
        private readonly Lazy<IReadOnlyDictionary<string, AssemblyName>> shipped;

        public DesktopAssemblyResolution(string moduleDirectory)
        {
            this.moduleDirectory = moduleDirectory;
            // Read on the first failed bind, not at import: most sessions never see one, and import time matters.
            shipped = new Lazy<IReadOnlyDictionary<string, AssemblyName>>(() => ReadShipped(moduleDirectory), LazyThreadSafetyMode.ExecutionAndPublication);
        }

        /// <summary>The AppDomain.AssemblyResolve handler: our copy when <see cref="Decide"/> says so, else null.</summary>
        public Assembly? Resolve(object? sender, ResolveEventArgs args)
        {
            AssemblyName requested;
            try
            {
                requested = new AssemblyName(args.Name);
            }
            catch (Exception ex) when (ex is ArgumentException || ex is FileLoadException)
            {
                return null;
            }

            AssemblyName? requesterName = null;
            string? requesterLocation = null;
            Assembly? requester = args.RequestingAssembly;
            if (requester != null && !requester.IsDynamic)
            {
                requesterName = requester.GetName();
                requesterLocation = requester.Location;
            }

            IReadOnlyDictionary<string, AssemblyName> set = shipped.Value;
            if (Decide(requested, requesterName, requesterLocation, moduleDirectory, set) == DesktopBindAnswer.Decline)
            {
                return null;
            }
            return Assembly.LoadFrom(Path.Combine(moduleDirectory, set[requested.Name!].Name + ".dll"));
        }

        /// <summary>
        /// Whether a failed bind for <paramref name="requested"/> is ours to answer with the copy in
        /// <paramref name="shipped"/> (simple name to the shipped assembly's full name). The requester is the assembly
        /// whose reference failed to bind, when the runtime knows it (it does not for Assembly.Load by name).
        /// </summary>
        public static DesktopBindAnswer Decide(
            AssemblyName requested,
            AssemblyName? requesterName,
            string? requesterLocation,
            string moduleDirectory,
            IReadOnlyDictionary<string, AssemblyName> shipped)
        {
            if (string.IsNullOrEmpty(requested.Name) || !shipped.TryGetValue(requested.Name!, out AssemblyName? ours))
            {
                return DesktopBindAnswer.Decline;
            }

            // Same simple name, another publisher or culture: a different assembly, whatever its version.
            if (!SameCulture(requested, ours) || !SamePublicKeyToken(requested, ours))
            {
                return DesktopBindAnswer.Decline;
            }

            if (IsModuleAssembly(requesterName, requesterLocation, moduleDirectory, shipped))
            {
                return DesktopBindAnswer.RequestedByModule;
            }

            // A request without a version (Assembly.Load("System.Memory")) accepts any.
            Version? wanted = requested.Version;
            return wanted == null || (ours.Version != null && ours.Version >= wanted)
                ? DesktopBindAnswer.ShippedVersionSatisfies
                : DesktopBindAnswer.Decline;
        }

        /// <summary>Simple name to full name of every DLL in a module folder; unreadable files are left out.</summary>
        public static IReadOnlyDictionary<string, AssemblyName> ReadShipped(string directory)
        {
            var names = new Dictionary<string, AssemblyName>(StringComparer.OrdinalIgnoreCase);
            if (!Directory.Exists(directory))
            {
                return names;
            }

            foreach (string file in Directory.GetFiles(directory, "*.dll"))
            {
                try
                {
                    AssemblyName name = AssemblyName.GetAssemblyName(file);
                    // Found by file name, so the file must be named after the assembly it holds.
                    if (string.Equals(name.Name, Path.GetFileNameWithoutExtension(file), StringComparison.OrdinalIgnoreCase))
                    {
                        names[name.Name!] = name;
                    }
                }
                catch (Exception ex) when (ex is BadImageFormatException || ex is IOException || ex is UnauthorizedAccessException)
                {
                }
            }
            return names;
        }

        private static bool IsModuleAssembly(AssemblyName? requesterName, string? requesterLocation, string moduleDirectory, IReadOnlyDictionary<string, AssemblyName> shipped)
        {
            if (requesterName?.Name == null || string.IsNullOrEmpty(requesterLocation) || !shipped.ContainsKey(requesterName.Name))
            {
                return false;
            }

            // By location, not by name alone: another module may load its own assembly of the same name.
            string? folder;
            try
            {
                folder = Path.GetDirectoryName(Path.GetFullPath(requesterLocation));
            }
            catch (Exception ex) when (ex is ArgumentException || ex is NotSupportedException || ex is PathTooLongException)
            {
                return false;
            }
            return folder != null && string.Equals(TrimSeparators(folder), TrimSeparators(Path.GetFullPath(moduleDirectory)), StringComparison.OrdinalIgnoreCase);
        }

        private static string TrimSeparators(string path) => path.TrimEnd(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar);

        private static bool SameCulture(AssemblyName requested, AssemblyName ours) =>
            string.IsNullOrEmpty(requested.CultureName) || string.Equals(requested.CultureName, ours.CultureName ?? string.Empty, StringComparison.OrdinalIgnoreCase);

        private static bool SamePublicKeyToken(AssemblyName requested, AssemblyName ours)
        {
            byte[]? wanted = requested.GetPublicKeyToken();
            // A request that names no token (a partial name) constrains nothing; an explicit empty one means unsigned.
            if (wanted == null)
            {
                return true;
            }
            byte[] have = ours.GetPublicKeyToken() ?? Array.Empty<byte>();
            if (wanted.Length != have.Length)
            {
                return false;
            }
            for (int i = 0; i < wanted.Length; i++)
            {
                if (wanted[i] != have[i])
                {
                    return false;
                }
            }
            return true;
        }
    }
}
