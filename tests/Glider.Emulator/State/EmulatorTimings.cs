namespace Glider.Emulator.State
{
    /// <summary>The run-time adjustable timings; immutable so a request sees one consistent set.</summary>
    internal sealed record EmulatorTimings(
        int OperationMs,
        double CooldownSeconds,
        int RateLimitPerWindow,
        double RateLimitWindowSeconds,
        int LatencyMs)
    {
        public static EmulatorTimings From(EmulatorOptions options) => new(
            options.OperationMs,
            options.CooldownSeconds,
            options.RateLimitPerWindow,
            options.RateLimitWindowSeconds,
            options.LatencyMs);
    }
}
