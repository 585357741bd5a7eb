using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Reflection.Emit;
using Glider.PowerShell;
using Xunit;

namespace Glider.Client.Tests
{
    /// <summary>
    /// The resolver in a real AppDomain.AssemblyResolve round: a module folder holding version 2.0 of an assembly, and
    /// a neighbour (here the test, which is not in that folder) asking the AppDomain for other versions of it.
    /// </summary>
    public class DesktopAssemblyResolveRoundTests
    {
        private const string ProbeName = "Glider.ResolverProbe";

        [Fact]
        public void ANeighbourAskingForANewerVersionIsRefusedAndOneAskingForAnOlderGetsOurCopy()
        {
            string module = Path.Combine(Path.GetTempPath(), "gliderps-resolver-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(module);
            WriteAssembly(module, ProbeName, new Version(2, 0, 0, 0));
            var resolution = new DesktopAssemblyResolution(module);
            var asked = new List<string>();
            ResolveEventHandler handler = (sender, args) =>
            {
                if (!args.Name.StartsWith(ProbeName + ",", StringComparison.Ordinal))
                {
                    return null;
                }

                lock (asked)
                {
                    asked.Add(args.Name);
                }

                return resolution.Resolve(sender, args);
            };
            AppDomain.CurrentDomain.AssemblyResolve += handler;
            try
            {
                Assert.ThrowsAny<IOException>(() => Assembly.Load(ProbeName + ", Version=3.0.0.0, Culture=neutral, PublicKeyToken=null"));
                Assert.Contains(asked, name => name.Contains("Version=3.0.0.0"));
                Assert.DoesNotContain(AppDomain.CurrentDomain.GetAssemblies(), a => !a.IsDynamic && a.GetName().Name == ProbeName);

                Assembly older = Assembly.Load(ProbeName + ", Version=1.0.0.0, Culture=neutral, PublicKeyToken=null");

                Assert.Equal(new Version(2, 0, 0, 0), older.GetName().Version);
                Assert.Equal(Path.Combine(module, ProbeName + ".dll"), older.Location);
                Assert.Contains(asked, name => name.Contains("Version=1.0.0.0"));
            }
            finally
            {
                AppDomain.CurrentDomain.AssemblyResolve -= handler;
            }
        }

        [Fact]
        public void TheShippedSetIsReadFromTheFolderByFileName()
        {
            string module = Path.Combine(Path.GetTempPath(), "gliderps-shipped-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(module);
            try
            {
                WriteAssembly(module, "Glider.ShippedProbe", new Version(1, 2, 3, 4));
                File.Copy(Path.Combine(module, "Glider.ShippedProbe.dll"), Path.Combine(module, "Renamed.dll"));
                File.WriteAllText(Path.Combine(module, "native.dll"), "not an assembly");

                IReadOnlyDictionary<string, AssemblyName> shipped = DesktopAssemblyResolution.ReadShipped(module);

                Assert.Equal(new[] { "Glider.ShippedProbe" }, shipped.Keys.ToArray());
                Assert.Equal(new Version(1, 2, 3, 4), shipped["Glider.ShippedProbe"].Version);
            }
            finally
            {
                Directory.Delete(module, recursive: true);
            }
        }

        /// <summary>Writes an unsigned assembly with one empty type to folder/name.dll.</summary>
        private static void WriteAssembly(string folder, string name, Version version)
        {
            var assemblyName = new AssemblyName(name) { Version = version };
            AssemblyBuilder builder = AppDomain.CurrentDomain.DefineDynamicAssembly(assemblyName, AssemblyBuilderAccess.Save, folder);
            ModuleBuilder module = builder.DefineDynamicModule(name, name + ".dll");
            module.DefineType(name + ".Marker", TypeAttributes.Public | TypeAttributes.Class).CreateType();
            builder.Save(name + ".dll");
        }
    }
}
