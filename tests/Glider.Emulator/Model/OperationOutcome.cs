using System;
using System.Collections.Generic;

namespace Glider.Emulator.Model
{
    /// <summary>
    /// How a run ends and which intermediate states it shows on the way; captured when the run starts.
    /// A stuck run never ends: it stays in its last state (the last of <see cref="Via"/>, or running), as a run
    /// waiting for a user's signature does. <see cref="DurationMs"/>, when set, replaces the operation time.
    /// </summary>
    internal sealed record OperationOutcome(string FinalState, string? Error, IReadOnlyList<string> Via, int? DurationMs = null)
    {
        public const string Completed = "completed";
        public const string Failed = "failed";
        public const string Cancelled = "cancelled";
        public const string Stuck = "stuck";

        /// <summary>Shorthand accepted on input: stuck, ending in awaiting_user.</summary>
        public const string AwaitingUser = "awaiting_user";

        public static readonly OperationOutcome Success = new(Completed, null, Array.Empty<string>());

        public bool NeverEnds => FinalState == Stuck;

        public static bool IsTerminalName(string state) =>
            state == Completed || state == Failed || state == Cancelled;
    }
}
