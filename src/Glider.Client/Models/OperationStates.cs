using System;

namespace Glider.Client.Models
{
    /// <summary>The documented operation states. Anything else is shown as-is and is not terminal.</summary>
    public static class OperationStates
    {
        public const string Accepted = "accepted";
        public const string Running = "running";
        public const string Retrying = "retrying";
        public const string AwaitingUser = "awaiting_user";
        public const string Completed = "completed";
        public const string Failed = "failed";
        public const string Cancelled = "cancelled";

        public static bool IsTerminal(string? state) =>
            string.Equals(state, Completed, StringComparison.Ordinal)
            || string.Equals(state, Failed, StringComparison.Ordinal)
            || string.Equals(state, Cancelled, StringComparison.Ordinal);
    }
}
