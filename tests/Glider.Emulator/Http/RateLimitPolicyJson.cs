using System;
using System.Collections.Generic;
using System.Text.Json;
using Glider.Emulator.State;

namespace Glider.Emulator.Http
{
    /// <summary>The body of GET and PUT /_emulator/limits.</summary>
    internal static class RateLimitPolicyJson
    {
        public static void Write(Utf8JsonWriter w, RateLimitPolicy policy)
        {
            w.WriteStartObject("global");
            w.WriteNumber("limit", policy.GlobalLimit);
            w.WriteNumber("windowSeconds", policy.GlobalWindowSeconds);
            w.WriteEndObject();
            w.WriteString("bucketing", RateLimitModeNames.Of(policy.Bucketing));
            w.WriteString("headers", RateLimitModeNames.Of(policy.HeaderScope));
            w.WriteStartArray("tiers");
            foreach (var tier in policy.Tiers)
            {
                w.WriteStartObject();
                w.WriteString("name", tier.Name);
                w.WriteStartArray("routes");
                foreach (var route in tier.Routes)
                {
                    w.WriteStringValue(route.ToString());
                }

                w.WriteEndArray();
                w.WriteNumber("limit", tier.Limit);
                w.WriteNumber("windowSeconds", tier.WindowSeconds);
                w.WriteEndObject();
            }
            w.WriteEndArray();
        }

        /// <summary>
        /// The policy after a PUT: an omitted (or null) field keeps its value; "tiers", when sent, replaces every
        /// tier ([] removes them all). Throws <see cref="FormatException"/> for a 400, having changed nothing.
        /// </summary>
        public static RateLimitPolicy Read(JsonElement root, RateLimitPolicy current)
        {
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new FormatException("The limits must be a JSON object.");
            }

            var globalLimit = current.GlobalLimit;
            var globalWindow = current.GlobalWindowSeconds;
            if (root.TryGetProperty("global", out var global) && global.ValueKind != JsonValueKind.Null)
            {
                if (global.ValueKind != JsonValueKind.Object)
                {
                    throw new FormatException("'global' must be an object {\"limit\": N, \"windowSeconds\": S}.");
                }
                globalLimit = JsonFieldReader.ReadInteger(global, "limit", globalLimit, 1);
                globalWindow = JsonFieldReader.ReadNumber(global, "windowSeconds", globalWindow, 0.001, RateLimitPolicy.MaxWindowSeconds, n => n);
            }

            var bucketing = current.Bucketing;
            var bucketingText = JsonFieldReader.ReadString(root, "bucketing");
            if (bucketingText is not null && !RateLimitModeNames.TryParseBucketing(bucketingText, out bucketing))
            {
                throw new FormatException($"'bucketing' must be '{RateLimitModeNames.PerKey}' or '{RateLimitModeNames.PerIp}'.");
            }

            var headerScope = current.HeaderScope;
            var headersText = JsonFieldReader.ReadString(root, "headers");
            if (headersText is not null && !RateLimitModeNames.TryParseHeaderScope(headersText, out headerScope))
            {
                throw new FormatException($"'headers' must be '{RateLimitModeNames.AllRoutes}' or '{RateLimitModeNames.TieredOnly}'.");
            }

            var tiers = current.Tiers;
            if (root.TryGetProperty("tiers", out var tiersElement) && tiersElement.ValueKind != JsonValueKind.Null)
            {
                try
                {
                    tiers = RateLimitPolicy.ValidatedTiers(ReadTiers(tiersElement));
                }
                catch (ArgumentException bad)
                {
                    throw new FormatException(bad.Message);
                }
            }

            return new RateLimitPolicy(globalLimit, globalWindow, tiers, bucketing, headerScope);
        }

        private static List<RateLimitTier> ReadTiers(JsonElement tiers)
        {
            if (tiers.ValueKind != JsonValueKind.Array)
            {
                throw new FormatException("'tiers' must be an array of {\"name\", \"routes\", \"limit\", \"windowSeconds\"}.");
            }

            var result = new List<RateLimitTier>();
            foreach (var item in tiers.EnumerateArray())
            {
                if (item.ValueKind != JsonValueKind.Object)
                {
                    throw new FormatException("Each tier must be an object {\"name\", \"routes\", \"limit\", \"windowSeconds\"}.");
                }

                var name = JsonFieldReader.ReadString(item, "name") ?? throw new FormatException("A tier needs a 'name'.");
                var routes = new List<string>();
                if (!item.TryGetProperty("routes", out var routesElement) || routesElement.ValueKind != JsonValueKind.Array)
                {
                    throw new FormatException($"Tier '{name}' needs 'routes', an array of route names.");
                }

                foreach (var route in routesElement.EnumerateArray())
                {
                    routes.Add(route.ValueKind == JsonValueKind.String ? route.GetString()! : throw new FormatException($"Tier '{name}': route names are strings."));
                }

                result.Add(new RateLimitTier
                {
                    Name = name,
                    Routes = routes,
                    Limit = Required(item, name, "limit", () => JsonFieldReader.ReadInteger(item, "limit", 0, 1)),
                    WindowSeconds = Required(item, name, "windowSeconds",
                        () => JsonFieldReader.ReadNumber(item, "windowSeconds", 0.0, 0.001, RateLimitPolicy.MaxWindowSeconds, n => n)),
                });
            }
            return result;
        }

        private static T Required<T>(JsonElement item, string tierName, string field, Func<T> read)
        {
            if (!item.TryGetProperty(field, out var value) || value.ValueKind == JsonValueKind.Null)
            {
                throw new FormatException($"Tier '{tierName}' needs '{field}'.");
            }
            return read();
        }
    }
}
