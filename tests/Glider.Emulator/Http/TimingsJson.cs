using System;
using System.Text.Json;
using Glider.Emulator.State;

namespace Glider.Emulator.Http
{
    /// <summary>Reads the body of PUT /_emulator/timings (and a scenario's timings): omitted fields keep their value.</summary>
    internal static class TimingsJson
    {
        public static (EmulatorTimings Timings, RateLimitPolicy Limits) Read(JsonElement root, EmulatorTimings current, RateLimitPolicy limits)
        {
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new FormatException("The timings must be a JSON object.");
            }

            current = current with
            {
                OperationMs = JsonFieldReader.ReadNumber(root, "operationMs", current.OperationMs, 0, int.MaxValue, n => (int)n),
                CooldownSeconds = JsonFieldReader.ReadNumber(root, "cooldownSeconds", current.CooldownSeconds, 0, 1e7, n => n),
                LatencyMs = JsonFieldReader.ReadNumber(root, "latencyMs", current.LatencyMs, 0, 600_000, n => (int)n),
            };
            // The two rate-limit fields predate /_emulator/limits and stay here for the tools that send them:
            // they are the global layer.
            limits = limits with
            {
                GlobalLimit = JsonFieldReader.ReadNumber(root, "rateLimitPerWindow", limits.GlobalLimit, 1, int.MaxValue, n => (int)n),
                GlobalWindowSeconds = JsonFieldReader.ReadNumber(root, "rateLimitWindowSeconds", limits.GlobalWindowSeconds, 0.001, RateLimitPolicy.MaxWindowSeconds, n => n),
            };
            return (current, limits);
        }
    }
}
