using System.Collections.Generic;
using System.IO;
using System.Reflection;
using Glider.PowerShell;
using Xunit;

namespace Glider.Client.Tests
{
    /// <summary>
    /// The Windows PowerShell 5.1 resolver's decisions: our copies go to our own assemblies, and to anyone else only
    /// when they satisfy the version asked for. The same tests run in the Mono leg, beside a real AssemblyResolve round.
    /// </summary>
    public class DesktopAssemblyResolutionTests
    {
        private const string MemoryToken = "cc7b13ffcd2ddd51";
        private static readonly string ModuleDirectory = Path.Combine(Path.GetTempPath(), "Modules", "GliderPS", "bin", "desktop");
        private static readonly string NeighbourDirectory = Path.Combine(Path.GetTempPath(), "Modules", "Az.Accounts", "lib");

        private static readonly IReadOnlyDictionary<string, AssemblyName> Shipped = new Dictionary<string, AssemblyName>
        {
            ["GliderPS"] = new AssemblyName("GliderPS, Version=0.1.0.0, Culture=neutral, PublicKeyToken=null"),
            ["System.Memory"] = new AssemblyName($"System.Memory, Version=4.0.1.2, Culture=neutral, PublicKeyToken={MemoryToken}"),
            ["System.Text.Json"] = new AssemblyName($"System.Text.Json, Version=8.0.0.0, Culture=neutral, PublicKeyToken={MemoryToken}"),
        };

        private static DesktopBindAnswer Decide(string requested, string? requester, string? requesterDirectory) =>
            DesktopAssemblyResolution.Decide(
                new AssemblyName(requested),
                requester == null ? null : new AssemblyName(requester),
                requester == null || requesterDirectory == null ? null : Path.Combine(requesterDirectory, new AssemblyName(requester).Name + ".dll"),
                ModuleDirectory,
                Shipped);

        [Fact]
        public void ANeighbourAskingForANewerVersionThanOursIsLeftAlone()
        {
            Assert.Equal(DesktopBindAnswer.Decline, Decide(
                $"System.Memory, Version=4.0.2.0, Culture=neutral, PublicKeyToken={MemoryToken}",
                "Microsoft.Azure.PowerShell.Authentication, Version=3.0.0.0, Culture=neutral, PublicKeyToken=31bf3856ad364e35",
                NeighbourDirectory));
        }

        [Theory]
        [InlineData("4.0.1.2")]
        [InlineData("4.0.1.0")]
        public void ANeighbourAskingForAVersionOursSatisfiesGetsOurs(string version)
        {
            Assert.Equal(DesktopBindAnswer.ShippedVersionSatisfies, Decide(
                $"System.Memory, Version={version}, Culture=neutral, PublicKeyToken={MemoryToken}",
                "Microsoft.Azure.PowerShell.Authentication, Version=3.0.0.0, Culture=neutral, PublicKeyToken=31bf3856ad364e35",
                NeighbourDirectory));
        }

        [Fact]
        public void OurOwnAssemblyGetsOurCopyWhateverVersionItAsksFor()
        {
            Assert.Equal(DesktopBindAnswer.RequestedByModule, Decide(
                $"System.Memory, Version=4.0.5.0, Culture=neutral, PublicKeyToken={MemoryToken}",
                $"System.Text.Json, Version=8.0.0.0, Culture=neutral, PublicKeyToken={MemoryToken}",
                ModuleDirectory + Path.DirectorySeparatorChar));
        }

        [Fact]
        public void AnAssemblyNamedLikeOursButLoadedFromElsewhereIsANeighbour()
        {
            // Another module's System.Text.Json (loaded from its own folder) asking for a newer System.Memory.
            Assert.Equal(DesktopBindAnswer.Decline, Decide(
                $"System.Memory, Version=4.0.5.0, Culture=neutral, PublicKeyToken={MemoryToken}",
                $"System.Text.Json, Version=9.0.0.0, Culture=neutral, PublicKeyToken={MemoryToken}",
                NeighbourDirectory));
        }

        [Fact]
        public void AnUnknownRequesterIsJudgedByVersionAlone()
        {
            Assert.Equal(DesktopBindAnswer.Decline, Decide($"System.Memory, Version=4.0.5.0, Culture=neutral, PublicKeyToken={MemoryToken}", null, null));
            Assert.Equal(DesktopBindAnswer.ShippedVersionSatisfies, Decide($"System.Memory, Version=4.0.1.0, Culture=neutral, PublicKeyToken={MemoryToken}", null, null));
            Assert.Equal(DesktopBindAnswer.ShippedVersionSatisfies, Decide("System.Memory", null, null));
        }

        [Theory]
        [InlineData("System.Memory, Version=4.0.1.0, Culture=neutral, PublicKeyToken=0123456789abcdef")]
        [InlineData("System.Memory, Version=4.0.1.0, Culture=neutral, PublicKeyToken=null")]
        [InlineData("System.Memory, Version=4.0.1.0, Culture=de-DE, PublicKeyToken=cc7b13ffcd2ddd51")]
        [InlineData("System.Buffers, Version=4.0.3.0, Culture=neutral, PublicKeyToken=cc7b13ffcd2ddd51")]
        [InlineData("GliderPS.resources, Version=0.1.0.0, Culture=en-US, PublicKeyToken=null")]
        public void AnotherPublisherCultureOrAnAssemblyWeDoNotShipIsNeverAnswered(string requested)
        {
            Assert.Equal(DesktopBindAnswer.Decline, Decide(requested, "GliderPS, Version=0.1.0.0, Culture=neutral, PublicKeyToken=null", ModuleDirectory));
        }
    }
}
