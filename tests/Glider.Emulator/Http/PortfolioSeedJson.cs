using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text.Json;
using Glider.Emulator.Model;

namespace Glider.Emulator.Http
{
    /// <summary>
    /// Reads a portfolio seed: [{"portfolioId": "pf_x", "strategyId": "strat_growth", "schedule": "active"|"paused"|"none",
    /// "frequency": "hourly"|"daily"|"weekly", "ownerAccountId": "eip155:0:0x...", "lastRebalanceAt": "2026-01-02T00:00:00Z"}, ...].
    /// </summary>
    internal static class PortfolioSeedJson
    {
        private static readonly string[] Fields = { "portfolioId", "strategyId", "schedule", "frequency", "ownerAccountId", "lastRebalanceAt" };

        public static IReadOnlyList<PortfolioSeed> ReadFile(string path)
        {
            string text;
            try
            {
                text = File.ReadAllText(path);
            }
            catch (Exception cannotRead) when (cannotRead is IOException or UnauthorizedAccessException)
            {
                throw new FormatException($"cannot read the portfolio file '{path}': {cannotRead.Message}");
            }

            try
            {
                using var document = JsonDocument.Parse(text);
                return Read(document.RootElement);
            }
            catch (JsonException bad)
            {
                throw new FormatException($"the portfolio file '{path}' is not valid JSON: {bad.Message}");
            }
        }

        public static IReadOnlyList<PortfolioSeed> Read(JsonElement array)
        {
            if (array.ValueKind != JsonValueKind.Array)
            {
                throw new FormatException("The portfolios must be an array of {\"portfolioId\": ...}.");
            }

            var seeds = new List<PortfolioSeed>();
            var ids = new HashSet<string>(StringComparer.Ordinal);
            foreach (var item in array.EnumerateArray())
            {
                if (item.ValueKind != JsonValueKind.Object)
                {
                    throw new FormatException("Each portfolio must be a JSON object.");
                }

                foreach (var property in item.EnumerateObject())
                {
                    if (Array.IndexOf(Fields, property.Name) < 0)
                    {
                        throw new FormatException($"Unknown portfolio field '{property.Name}' (known: {string.Join(", ", Fields)}).");
                    }
                }

                var id = JsonFieldReader.ReadString(item, "portfolioId");
                // The same rule the API applies to path ids: printable ASCII without spaces, or it could never be addressed.
                if (string.IsNullOrEmpty(id) || id.Length > 128 || !IsPrintableAsciiWithoutSpace(id) || id.Contains('/', StringComparison.Ordinal))
                {
                    throw new FormatException("Each portfolio needs 'portfolioId': printable ASCII, no spaces or '/', at most 128 characters.");
                }

                if (!ids.Add(id))
                {
                    throw new FormatException($"Portfolio '{id}' is listed twice.");
                }

                var strategyId = JsonFieldReader.ReadString(item, "strategyId");
                if (strategyId is not null && !SeedData.IsStrategy(strategyId))
                {
                    throw new FormatException($"Portfolio '{id}': unknown strategyId '{strategyId}' (known: {string.Join(", ", SeedData.StrategyIds)}).");
                }

                var schedule = JsonFieldReader.ReadString(item, "schedule");
                if (schedule is not null && schedule != PortfolioSchedule.Active && schedule != PortfolioSchedule.Paused && schedule != PortfolioSeed.NoSchedule)
                {
                    throw new FormatException($"Portfolio '{id}': 'schedule' must be active, paused or none.");
                }

                var frequency = JsonFieldReader.ReadString(item, "frequency");
                if (frequency is not null && !SeedData.IsFrequency(frequency))
                {
                    throw new FormatException($"Portfolio '{id}': 'frequency' must be hourly, daily or weekly.");
                }

                DateTimeOffset? lastRebalanceAt = null;
                if (JsonFieldReader.ReadString(item, "lastRebalanceAt") is { } lastText)
                {
                    if (!DateTimeOffset.TryParse(lastText, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
                    {
                        throw new FormatException($"Portfolio '{id}': 'lastRebalanceAt' must be an ISO 8601 time.");
                    }
                    lastRebalanceAt = parsed.ToUniversalTime();
                }

                seeds.Add(new PortfolioSeed(id, strategyId, schedule, frequency, JsonFieldReader.ReadString(item, "ownerAccountId"), lastRebalanceAt));
            }
            return seeds;
        }

        private static bool IsPrintableAsciiWithoutSpace(string value)
        {
            foreach (var c in value)
            {
                if (c <= ' ' || c > '~')
                {
                    return false;
                }
            }
            return true;
        }
    }
}
