using System;
using System.Collections.Generic;
using System.IO;
using System.Text.Json;
using Glider.Emulator.Faults;
using Glider.Emulator.Http;
using Glider.Emulator.Model;
using Glider.Emulator.State;

namespace Glider.Emulator
{
    /// <summary>
    /// A scenario file (--scenario): what the control API would be told right after start, in one JSON document.
    /// Each part is read by the same reader as its control route, and applied by <see cref="EmulatorState"/> at start
    /// and again on every reset, so a reset goes back to the scenario rather than to a bare emulator.
    /// </summary>
    public sealed class EmulatorScenario
    {
        private static readonly string[] Parts =
        {
            "description", "portfolios", "timings", "limits", "outcomes", "outcomeShares", "faults",
        };

        private readonly List<JsonElement> _timings = new();
        private readonly List<JsonElement> _limits = new();
        private readonly List<JsonElement> _faults = new();
        private readonly Dictionary<string, OperationOutcome> _outcomes = new(StringComparer.Ordinal);

        private EmulatorScenario(JsonElement root, string baseDirectory)
        {
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new FormatException("A scenario is a JSON object.");
            }

            foreach (var property in root.EnumerateObject())
            {
                if (Array.IndexOf(Parts, property.Name) < 0)
                {
                    throw new FormatException($"Unknown scenario part '{property.Name}' (known: {string.Join(", ", Parts)}).");
                }
            }

            if (Part(root, "portfolios") is { } portfolios)
            {
                switch (portfolios.ValueKind)
                {
                    case JsonValueKind.Number:
                        if (!portfolios.TryGetInt32(out var count) || count < 0 || count > 1_000_000)
                        {
                            throw new FormatException("'portfolios' as a number is a count from 0 to 1000000.");
                        }
                        PortfolioCount = count;
                        break;
                    case JsonValueKind.String:
                        // A file of portfolios, relative to the scenario file so the two can travel together.
                        PortfolioSeeds = PortfolioSeedJson.ReadFile(Path.Combine(baseDirectory, portfolios.GetString()!));
                        break;
                    case JsonValueKind.Array:
                        PortfolioSeeds = PortfolioSeedJson.Read(portfolios);
                        break;
                    default:
                        throw new FormatException("'portfolios' is a count, the path of a portfolio file, or an array of portfolios.");
                }
            }

            var defaults = new EmulatorOptions();
            if (Part(root, "timings") is { } timings)
            {
                _ = TimingsJson.Read(timings, EmulatorTimings.From(defaults), RateLimitPolicy.From(defaults));
                _timings.Add(timings.Clone());
            }

            if (Part(root, "limits") is { } limits)
            {
                _ = RateLimitPolicyJson.Read(limits, RateLimitPolicy.From(defaults));
                _limits.Add(limits.Clone());
            }

            if (Part(root, "outcomes") is { } byPortfolio)
            {
                if (byPortfolio.ValueKind != JsonValueKind.Object)
                {
                    throw new FormatException("'outcomes' maps portfolio ids to outcomes: {\"pf_acme_0003\": {\"outcome\": \"failed\"}}.");
                }

                foreach (var property in byPortfolio.EnumerateObject())
                {
                    try
                    {
                        _outcomes[property.Name] = OutcomeJson.Read(property.Value);
                    }
                    catch (FormatException bad)
                    {
                        throw new FormatException($"outcomes.{property.Name}: {bad.Message}", bad);
                    }
                }
            }

            OutcomeShares = Part(root, "outcomeShares") is { } shares ? OutcomeSharesJson.Read(shares) : Array.Empty<OutcomeShare>();

            if (Part(root, "faults") is { } rules)
            {
                if (rules.ValueKind != JsonValueKind.Array)
                {
                    throw new FormatException("'faults' is an array of fault rules, each as POST /_emulator/faults takes it.");
                }

                var index = 0;
                foreach (var rule in rules.EnumerateArray())
                {
                    try
                    {
                        _ = FaultRuleParser.Parse(rule, "check", 0);
                    }
                    catch (FormatException bad)
                    {
                        throw new FormatException($"faults[{index}]: {bad.Message}", bad);
                    }
                    _faults.Add(rule.Clone());
                    index++;
                }
            }
        }

        private EmulatorScenario(EmulatorScenario first, EmulatorScenario then)
        {
            PortfolioCount = then.PortfolioSeeds is null ? then.PortfolioCount ?? first.PortfolioCount : null;
            PortfolioSeeds = then.PortfolioCount is null ? then.PortfolioSeeds ?? first.PortfolioSeeds : null;
            _timings.AddRange(first._timings);
            _timings.AddRange(then._timings);
            _limits.AddRange(first._limits);
            _limits.AddRange(then._limits);
            foreach (var (id, outcome) in first._outcomes)
            {
                _outcomes[id] = outcome;
            }
            foreach (var (id, outcome) in then._outcomes)
            {
                _outcomes[id] = outcome;
            }
            OutcomeShares = then.OutcomeShares.Count > 0 ? then.OutcomeShares : first.OutcomeShares;
            _faults.AddRange(first._faults);
            _faults.AddRange(then._faults);
        }

        /// <summary>Acme Capital's portfolio count, when the scenario gives a count.</summary>
        public int? PortfolioCount { get; }

        internal IReadOnlyList<PortfolioSeed>? PortfolioSeeds { get; }

        internal IReadOnlyDictionary<string, OperationOutcome> Outcomes => _outcomes;

        internal IReadOnlyList<OutcomeShare> OutcomeShares { get; }

        /// <summary>Reads a scenario file; a <see cref="FormatException"/> says what is wrong and where.</summary>
        public static EmulatorScenario Load(string path)
        {
            string text;
            try
            {
                text = File.ReadAllText(path);
            }
            catch (Exception cannotRead) when (cannotRead is IOException or UnauthorizedAccessException)
            {
                throw new FormatException($"cannot read the scenario file '{path}': {cannotRead.Message}", cannotRead);
            }
            return Parse(text, Path.GetDirectoryName(Path.GetFullPath(path)) ?? Directory.GetCurrentDirectory());
        }

        /// <summary>Reads a scenario from JSON text; relative portfolio file paths are resolved from <paramref name="baseDirectory"/>.</summary>
        public static EmulatorScenario Parse(string json, string baseDirectory)
        {
            try
            {
                using var document = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
                return new EmulatorScenario(document.RootElement, baseDirectory);
            }
            catch (JsonException bad)
            {
                throw new FormatException("The scenario is not valid JSON: " + bad.Message, bad);
            }
        }

        /// <summary>
        /// This scenario, then <paramref name="then"/> on top: its portfolios, outcome shares and outcomes (by portfolio)
        /// replace these, its timings and limits apply after these, its fault rules come after these (older rules win).
        /// </summary>
        internal EmulatorScenario Then(EmulatorScenario then) => new(this, then);

        internal EmulatorTimings ApplyTimings(EmulatorTimings timings, ref RateLimitPolicy limits)
        {
            foreach (var body in _timings)
            {
                (timings, limits) = TimingsJson.Read(body, timings, limits);
            }
            return timings;
        }

        internal RateLimitPolicy ApplyLimits(RateLimitPolicy limits)
        {
            foreach (var body in _limits)
            {
                limits = RateLimitPolicyJson.Read(body, limits);
            }
            return limits;
        }

        /// <summary>Fresh rules (unused counts, draws from the start of their seed), as POST /_emulator/faults would add them.</summary>
        internal void AddFaults(FaultRuleSet faults, int seed)
        {
            foreach (var body in _faults)
            {
                faults.Add(FaultRuleParser.Parse(body, faults.NextId(), seed));
            }
        }

        private static JsonElement? Part(JsonElement root, string name) =>
            root.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? value : null;
    }
}
