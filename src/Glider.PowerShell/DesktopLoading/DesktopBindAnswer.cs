namespace Glider.PowerShell
{
    /// <summary>Why <see cref="DesktopAssemblyResolution.Decide"/> answered a failed bind, or that it did not.</summary>
    internal enum DesktopBindAnswer
    {
        /// <summary>Left to the AppDomain: not ours to answer, or our copy would not satisfy the request.</summary>
        Decline,

        /// <summary>One of the module's own assemblies asked: it was built against our set, so our copy is the answer.</summary>
        RequestedByModule,

        /// <summary>Someone else asked for a version that our copy satisfies (ours is the same or newer).</summary>
        ShippedVersionSatisfies,
    }
}
