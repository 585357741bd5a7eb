using System;
using System.Collections.Generic;

namespace Glider.Emulator.Model
{
    /// <summary>How a run ends and which intermediate states it shows on the way; captured when the run starts.</summary>
    internal sealed record OperationOutcome(string FinalState, string? Error, IReadOnlyList<string> Via)
    {
        public const string Completed = "completed";
        public const string Failed = "failed";
        public const string Cancelled = "cancelled";

        public static readonly OperationOutcome Success = new(Completed, null, Array.Empty<string>());

        public static bool IsTerminalName(string state) =>
            state == Completed || state == Failed || state == Cancelled;
    }
}
