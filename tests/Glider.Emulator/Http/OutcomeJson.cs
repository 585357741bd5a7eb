using System;
using System.Collections.Generic;
using System.Text.Json;
using Glider.Emulator.Model;

namespace Glider.Emulator.Http
{
    /// <summary>
    /// Reads one outcome, {"outcome": ..., "error": ..., "via": [...], "durationMs": N}: the body of
    /// PUT /_emulator/outcomes/{id}, and each outcome of a scenario file and of /_emulator/outcome-shares.
    /// </summary>
    internal static class OutcomeJson
    {
        public static OperationOutcome Read(JsonElement root)
        {
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new FormatException("The outcome must be a JSON object.");
            }

            var final = root.TryGetProperty("outcome", out var o) && o.ValueKind == JsonValueKind.String ? o.GetString()! : string.Empty;
            if (!OperationOutcome.IsTerminalName(final) && final != OperationOutcome.Stuck && final != OperationOutcome.AwaitingUser)
            {
                throw new FormatException("'outcome' must be completed, failed, cancelled, stuck or awaiting_user.");
            }

            string? error = null;
            if (final == OperationOutcome.Failed || final == OperationOutcome.Cancelled)
            {
                error = JsonFieldReader.ReadString(root, "error") ?? $"Rebalance {final} (emulated).";
            }

            var via = new List<string>();
            if (root.TryGetProperty("via", out var viaElement) && viaElement.ValueKind != JsonValueKind.Null)
            {
                if (viaElement.ValueKind != JsonValueKind.Array)
                {
                    throw new FormatException("'via' must be an array of state names.");
                }

                foreach (var item in viaElement.EnumerateArray())
                {
                    var state = item.ValueKind == JsonValueKind.String ? item.GetString() : null;
                    if (string.IsNullOrEmpty(state) || OperationOutcome.IsTerminalName(state) || state == "accepted" || state == OperationOutcome.Stuck)
                    {
                        throw new FormatException("'via' holds non-terminal states shown while running, such as retrying or awaiting_user.");
                    }
                    via.Add(state);
                }
            }

            // awaiting_user is a stuck run whose last state is awaiting_user: the state a runbook sees forever.
            if (final == OperationOutcome.AwaitingUser)
            {
                final = OperationOutcome.Stuck;
                if (via.Count == 0 || via[^1] != OperationOutcome.AwaitingUser)
                {
                    via.Add(OperationOutcome.AwaitingUser);
                }
            }

            int? durationMs = null;
            if (root.TryGetProperty("durationMs", out var d) && d.ValueKind != JsonValueKind.Null)
            {
                durationMs = JsonFieldReader.ReadInteger(root, "durationMs", 0, 0);
            }

            return new OperationOutcome(final, error, via, durationMs);
        }
    }
}
