using System;
using System.Collections.Generic;
using System.Text.Json;
using Glider.Emulator.Model;

namespace Glider.Emulator.Http
{
    /// <summary>Reads [{"share": 0.1, "outcome": ...}, ...]: the body of PUT /_emulator/outcome-shares and a scenario's outcomeShares.</summary>
    internal static class OutcomeSharesJson
    {
        public static IReadOnlyList<OutcomeShare> Read(JsonElement array)
        {
            if (array.ValueKind != JsonValueKind.Array)
            {
                throw new FormatException("The outcome shares must be an array of {\"share\": 0.1, \"outcome\": ...}.");
            }

            var shares = new List<OutcomeShare>();
            var total = 0.0;
            foreach (var item in array.EnumerateArray())
            {
                var outcome = OutcomeJson.Read(item);
                if (!item.TryGetProperty("share", out _))
                {
                    throw new FormatException("Each outcome share needs 'share', a number from 0 to 1.");
                }

                var share = JsonFieldReader.ReadNumber(item, "share", 0.0, 0, 1, n => n);
                total += share;
                shares.Add(new OutcomeShare(share, outcome));
            }
            // The rest of the portfolios complete; shares beyond the whole would silently never apply.
            if (total > 1 + 1e-9)
            {
                throw new FormatException($"The outcome shares add up to {total}; at most 1.");
            }
            return shares;
        }

        public static void Write(Utf8JsonWriter w, IReadOnlyList<OutcomeShare> shares)
        {
            w.WriteStartArray("shares");
            foreach (var share in shares)
            {
                w.WriteStartObject();
                w.WriteNumber("share", share.Share);
                w.WriteString("outcome", share.Outcome.FinalState);
                if (share.Outcome.Error is not null)
                {
                    w.WriteString("error", share.Outcome.Error);
                }

                w.WriteStartArray("via");
                foreach (var state in share.Outcome.Via)
                {
                    w.WriteStringValue(state);
                }

                w.WriteEndArray();
                if (share.Outcome.DurationMs is { } durationMs)
                {
                    w.WriteNumber("durationMs", durationMs);
                }

                w.WriteEndObject();
            }
            w.WriteEndArray();
        }
    }
}
