using System.Collections.Generic;

namespace Glider.Emulator.Faults
{
    /// <summary>The names of the fault kinds, as fault rules and the stats spell them.</summary>
    internal static class FaultKinds
    {
        public const string Status = "status";
        public const string Delay = "delay";
        public const string Drop = "drop";
        public const string DropAfterRead = "drop-after-read";
        public const string ResetMidBody = "reset-mid-body";
        public const string Truncate = "truncate";
        public const string NonJson = "nonjson";
        public const string Empty = "empty";
        public const string Redirect = "redirect";

        public static readonly IReadOnlySet<string> All = new HashSet<string>(System.StringComparer.Ordinal)
        {
            Status, Delay, Drop, DropAfterRead, ResetMidBody, Truncate, NonJson, Empty, Redirect,
        };
    }
}
