namespace Glider.Emulator.Faults
{
    /// <summary>The parameters of what a fired rule does; which ones apply depends on the kind.</summary>
    internal sealed record FaultAction(
        int? Status,
        string? Code,
        string? RetryAfter,
        bool PlatformBody,
        int DelayMs,
        string? Location,
        System.Collections.Generic.IReadOnlyList<string>? MoreRetryAfter = null);
}
