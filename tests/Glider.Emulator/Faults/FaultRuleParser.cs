using System;
using System.Globalization;
using System.Text.Json;

namespace Glider.Emulator.Faults
{
    /// <summary>Turns the JSON body of POST /_emulator/faults into a rule, or explains what is wrong with it.</summary>
    internal static class FaultRuleParser
    {
        public static FaultRule Parse(JsonElement body, string id, int seed)
        {
            if (body.ValueKind != JsonValueKind.Object)
            {
                throw new FormatException("The fault rule must be a JSON object.");
            }

            var kind = OptionalString(body, "kind") ?? throw new FormatException("'kind' is required.");
            if (!FaultKinds.All.Contains(kind))
            {
                throw new FormatException($"Unknown kind '{kind}'.");
            }

            var count = OptionalInt(body, "count");
            var fraction = OptionalDouble(body, "fraction");
            if (count.HasValue && fraction.HasValue)
            {
                throw new FormatException("'count' and 'fraction' are exclusive.");
            }

            if (count is < 1)
            {
                throw new FormatException("'count' must be at least 1.");
            }

            if (fraction is < 0 or > 1)
            {
                throw new FormatException("'fraction' must be between 0 and 1.");
            }

            var status = OptionalInt(body, "status");
            if (status is < 100 or > 599)
            {
                throw new FormatException("'status' must be an HTTP status code.");
            }

            var delayMs = OptionalInt(body, "delayMs") ?? 0;
            if (delayMs < 0)
            {
                throw new FormatException("'delayMs' must not be negative.");
            }

            if (kind == FaultKinds.Delay && delayMs == 0)
            {
                throw new FormatException("kind 'delay' needs 'delayMs'.");
            }

            if (kind == FaultKinds.Status && status is null)
            {
                throw new FormatException("kind 'status' needs 'status'.");
            }

            // retryAfter may also be an array: one Retry-After header line per value (a duplicated header).
            string? retryAfter;
            string[]? moreRetryAfter = null;
            if (Property(body, "retryAfter") is { ValueKind: JsonValueKind.Array } values)
            {
                var all = new System.Collections.Generic.List<string>();
                foreach (var item in values.EnumerateArray())
                {
                    all.Add(item.ValueKind switch
                    {
                        JsonValueKind.String => item.GetString()!,
                        JsonValueKind.Number => item.GetRawText(),
                        _ => throw new FormatException("'retryAfter' values must be strings."),
                    });
                }
                if (all.Count == 0)
                {
                    throw new FormatException("'retryAfter' must not be an empty array.");
                }

                retryAfter = all[0];
                moreRetryAfter = all.GetRange(1, all.Count - 1).ToArray();
            }
            else
            {
                retryAfter = OptionalString(body, "retryAfter");
            }

            var ruleSeed = OptionalInt(body, "seed") ?? seed;
            // A route by the router's name, as the rate-limit tiers name them; a 405 answer is no route and never matches.
            Http.V2Endpoint? route = null;
            if (OptionalString(body, "route") is { } routeName)
            {
                route = Http.RateLimitRouteNames.TryParse(routeName, out var endpoint)
                    ? endpoint
                    : throw new FormatException($"Unknown route '{routeName}' (known: {Http.RateLimitRouteNames.AllNames}).");
            }

            var filter = new FaultFilter(OptionalString(body, "method"), OptionalString(body, "pathContains"), OptionalString(body, "portfolioId"), route);
            var action = new FaultAction(
                status,
                OptionalString(body, "code"),
                retryAfter,
                OptionalBool(body, "platformBody") ?? false,
                delayMs,
                OptionalString(body, "location"),
                moreRetryAfter);
            return new FaultRule(id, filter, kind, count, fraction, ruleSeed, action);
        }

        private static JsonElement? Property(JsonElement body, string name) =>
            body.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? value : null;

        private static string? OptionalString(JsonElement body, string name)
        {
            var value = Property(body, name);
            if (value is null)
            {
                return null;
            }
            // retryAfter is documented as a raw header value, but a number is the natural thing to send too.
            return value.Value.ValueKind switch
            {
                JsonValueKind.String => value.Value.GetString(),
                JsonValueKind.Number => value.Value.GetRawText(),
                _ => throw new FormatException($"'{name}' must be a string."),
            };
        }

        private static int? OptionalInt(JsonElement body, string name)
        {
            var value = Property(body, name);
            if (value is null)
            {
                return null;
            }

            if (value.Value.ValueKind == JsonValueKind.Number && value.Value.TryGetInt32(out var number))
            {
                return number;
            }

            if (value.Value.ValueKind == JsonValueKind.String && int.TryParse(value.Value.GetString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out number))
            {
                return number;
            }

            throw new FormatException($"'{name}' must be an integer.");
        }

        private static double? OptionalDouble(JsonElement body, string name)
        {
            var value = Property(body, name);
            if (value is null)
            {
                return null;
            }

            if (value.Value.ValueKind == JsonValueKind.Number)
            {
                return value.Value.GetDouble();
            }

            throw new FormatException($"'{name}' must be a number.");
        }

        private static bool? OptionalBool(JsonElement body, string name)
        {
            var value = Property(body, name);
            if (value is null)
            {
                return null;
            }

            return value.Value.ValueKind switch
            {
                JsonValueKind.True => true,
                JsonValueKind.False => false,
                _ => throw new FormatException($"'{name}' must be true or false."),
            };
        }
    }
}
