using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using Glider.PowerShell;
using Xunit;
using Xunit.Abstractions;

namespace Glider.Client.Tests
{
    /// <summary>
    /// The binding closure of the Windows PowerShell 5.1 build, read from metadata: every assembly reference of every
    /// DLL staged in out/GliderPS/bin/desktop must resolve to a shipped file or to a .NET Framework 4.7.2 assembly, and
    /// every reference whose version differs from the shipped file's (which the Framework would refuse to bind, having
    /// no binding redirect for a module) must be one that DesktopAssemblyResolver answers.
    /// </summary>
    /// <remarks>Needs the staged module (build.ps1 Build or Test stages it before the tests run).</remarks>
    public class DesktopBindingClosureTests
    {
        // Provided by the host, not shipped: Windows PowerShell 5.1 has it in the GAC.
        private static readonly string[] HostAssemblies = { "System.Management.Automation" };

        private readonly ITestOutputHelper output;

        public DesktopBindingClosureTests(ITestOutputHelper output) => this.output = output;

        private sealed record Identity(string Name, Version Version, string Token, string Path);

        private sealed record Reference(Identity From, string Name, Version Version, string Token);

        private sealed record Closure(List<string> Unresolved, List<string> Mismatches, List<string> Uncovered);

        [Fact]
        public void EveryReferenceOfTheDesktopBuildBindsOnTheFramework()
        {
            Closure closure = Check(StagedDesktopDirectory());

            output.WriteLine("Version mismatches (each answered by DesktopAssemblyResolver):");
            foreach (string line in closure.Mismatches)
            {
                output.WriteLine("  " + line);
            }

            Assert.True(closure.Unresolved.Count == 0, "References that bind to nothing:\n" + string.Join("\n", closure.Unresolved));
            Assert.True(closure.Uncovered.Count == 0, "Version mismatches the resolver would not answer:\n" + string.Join("\n", closure.Uncovered));
            // Known today (System.Memory was built against an older Unsafe); if none were left the resolver would be moot.
            Assert.Contains(closure.Mismatches, m => m.EndsWith("System.Memory asks for 4.0.4.1", StringComparison.Ordinal));
        }

        [Fact]
        public void AReferenceToAnAssemblyThatIsNotShippedIsReported()
        {
            // The checker itself: the staged set less System.Memory leaves its users' references dangling.
            string copy = Path.Combine(Path.GetTempPath(), "gliderps-closure-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(copy);
            try
            {
                foreach (string file in Directory.GetFiles(StagedDesktopDirectory(), "*.dll").Where(f => Path.GetFileName(f) != "System.Memory.dll"))
                {
                    File.Copy(file, Path.Combine(copy, Path.GetFileName(file)));
                }

                Closure closure = Check(copy);

                Assert.Contains(closure.Unresolved, u => u.Contains("-> System.Memory ", StringComparison.Ordinal));
            }
            finally
            {
                Directory.Delete(copy, recursive: true);
            }
        }

        private static Closure Check(string moduleDirectory)
        {
            Dictionary<string, Identity> shipped = Directory.GetFiles(moduleDirectory, "*.dll").Select(Read).Select(r => r.Identity)
                .ToDictionary(i => i.Name, StringComparer.OrdinalIgnoreCase);
            Dictionary<string, Identity> framework = FrameworkAssemblies();
            IReadOnlyDictionary<string, AssemblyName> shippedNames = DesktopAssemblyResolution.ReadShipped(moduleDirectory);
            var closure = new Closure(new List<string>(), new List<string>(), new List<string>());

            foreach (Reference reference in Directory.GetFiles(moduleDirectory, "*.dll").SelectMany(f => Read(f).References))
            {
                string text = $"{reference.From.Name} {reference.From.Version} -> {reference.Name} {reference.Version} ({Token(reference.Token)})";
                if (shipped.TryGetValue(reference.Name, out Identity? ours))
                {
                    if (ours.Token != reference.Token)
                    {
                        closure.Unresolved.Add(text + $": the shipped file has public key token {Token(ours.Token)}");
                    }
                    else if (ours.Version != reference.Version)
                    {
                        closure.Mismatches.Add($"{reference.Name} {ours.Version} shipped, {reference.From.Name} asks for {reference.Version}");
                        var requested = new AssemblyName($"{reference.Name}, Version={reference.Version}, Culture=neutral, PublicKeyToken={Token(reference.Token)}");
                        DesktopBindAnswer answer = DesktopAssemblyResolution.Decide(
                            requested, new AssemblyName($"{reference.From.Name}, Version={reference.From.Version}"), reference.From.Path, moduleDirectory, shippedNames);
                        if (answer == DesktopBindAnswer.Decline)
                        {
                            closure.Uncovered.Add(text);
                        }
                    }
                }
                else if (framework.TryGetValue(reference.Name, out Identity? inbox))
                {
                    // The Framework unifies a reference to one of its own assemblies up to its version, never down.
                    if (inbox.Token != reference.Token || inbox.Version < reference.Version)
                    {
                        closure.Unresolved.Add(text + $": .NET Framework 4.7.2 has {inbox.Version} ({Token(inbox.Token)})");
                    }
                }
                else if (!HostAssemblies.Contains(reference.Name, StringComparer.Ordinal))
                {
                    closure.Unresolved.Add(text);
                }
            }
            return closure;
        }

        private static Dictionary<string, Identity> FrameworkAssemblies()
        {
            string root = typeof(DesktopBindingClosureTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
                .Single(a => a.Key == "Net472ReferenceAssemblies").Value!;
            Assert.True(File.Exists(Path.Combine(root, "mscorlib.dll")), $"The .NET Framework 4.7.2 reference assemblies are not at {root}.");
            return Directory.GetFiles(root, "*.dll").Concat(Directory.GetFiles(Path.Combine(root, "Facades"), "*.dll"))
                .Where(IsAssembly)
                .Select(f => Read(f).Identity)
                .GroupBy(i => i.Name, StringComparer.OrdinalIgnoreCase)
                .ToDictionary(g => g.Key, g => g.OrderByDescending(i => i.Version).First(), StringComparer.OrdinalIgnoreCase);
        }

        private static bool IsAssembly(string path)
        {
            // The reference folder also holds a few images that are modules or native code.
            using var stream = File.OpenRead(path);
            using var pe = new PEReader(stream);
            return pe.HasMetadata && pe.GetMetadataReader().IsAssembly;
        }

        private static (Identity Identity, List<Reference> References) Read(string path)
        {
            using var stream = File.OpenRead(path);
            using var pe = new PEReader(stream);
            MetadataReader metadata = pe.GetMetadataReader();
            AssemblyDefinition definition = metadata.GetAssemblyDefinition();
            var identity = new Identity(
                metadata.GetString(definition.Name), definition.Version, TokenOf(metadata, definition.PublicKey, isFullKey: true), path);
            var references = new List<Reference>();
            foreach (AssemblyReferenceHandle handle in metadata.AssemblyReferences)
            {
                AssemblyReference reference = metadata.GetAssemblyReference(handle);
                bool fullKey = (reference.Flags & System.Reflection.AssemblyFlags.PublicKey) != 0;
                references.Add(new Reference(identity, metadata.GetString(reference.Name), reference.Version, TokenOf(metadata, reference.PublicKeyOrToken, fullKey)));
            }
            return (identity, references);
        }

        private static string TokenOf(MetadataReader metadata, BlobHandle blob, bool isFullKey)
        {
            if (blob.IsNil)
            {
                return string.Empty;
            }

            byte[] bytes = metadata.GetBlobBytes(blob);
            if (bytes.Length == 0)
            {
                return string.Empty;
            }

            if (!isFullKey)
            {
                return Convert.ToHexString(bytes).ToLowerInvariant();
            }
            // A full public key's token: the last 8 bytes of its SHA-1, reversed.
            byte[] hash = System.Security.Cryptography.SHA1.HashData(bytes);
            return Convert.ToHexString(hash.Skip(hash.Length - 8).Reverse().ToArray()).ToLowerInvariant();
        }

        private static string Token(string token) => token.Length == 0 ? "null" : token;

        private static string StagedDesktopDirectory()
        {
            for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder != null; folder = folder.Parent)
            {
                if (!File.Exists(Path.Combine(folder.FullName, "GliderPS.psd1")))
                {
                    continue;
                }

                string staged = Path.Combine(folder.FullName, "out", "GliderPS", "bin", "desktop");
                Assert.True(File.Exists(Path.Combine(staged, "GliderPS.dll")), $"The module is not staged at {staged}: run 'dotnet pwsh ./build.ps1 Build' first.");
                return staged;
            }
            throw new DirectoryNotFoundException("No GliderPS.psd1 above " + AppContext.BaseDirectory);
        }
    }
}
