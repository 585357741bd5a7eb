namespace Glider.Emulator.State
{
    /// <summary>
    /// The run-time adjustable timings; immutable so a request sees one consistent set. The rate limits, which
    /// /_emulator/timings also shows, live in <see cref="RateLimitPolicy"/>.
    /// </summary>
    internal sealed record EmulatorTimings(
        int OperationMs,
        double CooldownSeconds,
        int LatencyMs)
    {
        public static EmulatorTimings From(EmulatorOptions options) => new(
            options.OperationMs,
            options.CooldownSeconds,
            options.LatencyMs);
    }
}
