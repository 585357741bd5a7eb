using System;

namespace Glider.Emulator.Model
{
    /// <summary>What an operation looks like at one instant.</summary>
    internal readonly record struct OperationView(string State, DateTimeOffset UpdatedAt, DateTimeOffset? FinishedAt, string? Error)
    {
        public bool IsTerminal => FinishedAt.HasValue;
    }
}
