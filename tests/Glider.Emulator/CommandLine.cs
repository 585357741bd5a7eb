using System;
using System.Globalization;
using System.Text.Json.Nodes;
using Glider.Emulator.Http;
using Glider.Emulator.State;

namespace Glider.Emulator
{
    /// <summary>The stand-alone program's arguments.</summary>
    internal sealed class CommandLine
    {
        public EmulatorOptions Options { get; } = new() { HandleConsoleSignals = true };
        public bool ExitOnStdinClose { get; private set; }
        public bool ShowHelp { get; private set; }

        /// <summary>Print where the GliderPS.Emulator module that ships with this program is, and exit.</summary>
        public bool ShowModulePath { get; private set; }
        private bool https;

        /// <summary>Parses the arguments; throws <see cref="ArgumentException"/> with a message for the user.</summary>
        public static CommandLine Parse(string[] args)
        {
            var parsed = new CommandLine();
            // What the options say that a scenario file could also say; laid over the file, so the command line wins.
            var layer = new ScenarioLayer();
            EmulatorScenario? file = null;
            for (var i = 0; i < args.Length; i++)
            {
                var arg = args[i];
                string? inlineValue = null;
                var equals = arg.IndexOf('=');
                if (arg.StartsWith("--", StringComparison.Ordinal) && equals > 0)
                {
                    inlineValue = arg.Substring(equals + 1);
                    arg = arg.Substring(0, equals);
                }
                string Value() => inlineValue ?? (i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{arg} needs a value."));

                switch (arg)
                {
                    case "--urls":
                        (parsed.Options.Port, parsed.https) = LoopbackPort(Value());
                        break;
                    case "--tls-certificate":
                        parsed.Options.TlsCertificatePath = Value();
                        break;
                    case "--operation-ms":
                        parsed.Options.OperationMs = Integer(arg, Value());
                        layer.Timings["operationMs"] = parsed.Options.OperationMs;
                        break;
                    case "--cooldown-seconds":
                        parsed.Options.CooldownSeconds = Number(arg, Value());
                        layer.Timings["cooldownSeconds"] = parsed.Options.CooldownSeconds;
                        break;
                    case "--portfolios":
                        parsed.Options.PortfolioCount = Integer(arg, Value());
                        parsed.Options.PortfolioSeeds = null;
                        layer.Portfolios = parsed.Options.PortfolioCount;
                        break;
                    case "--latency-ms":
                        parsed.Options.LatencyMs = Integer(arg, Value());
                        layer.Timings["latencyMs"] = parsed.Options.LatencyMs;
                        break;
                    case "--portfolio-file":
                        var portfolioFile = Value();
                        parsed.Options.PortfolioSeeds = FromFile(arg, () => PortfolioSeedJson.ReadFile(portfolioFile));
                        layer.Portfolios = System.IO.Path.GetFullPath(portfolioFile);
                        break;
                    case "--scenario":
                        var scenarioFile = Value();
                        file = FromFile(arg, () => EmulatorScenario.Load(scenarioFile));
                        break;
                    case "--outcome":
                        var (portfolioId, outcome) = ScenarioOptionSyntax.ParseOutcome(arg, Value());
                        layer.Outcomes[portfolioId] = outcome;
                        break;
                    case "--outcome-share":
                        layer.OutcomeShares.Add(ScenarioOptionSyntax.ParseOutcomeShare(arg, Value()));
                        break;
                    case "--fault":
                        layer.Faults.Add(ScenarioOptionSyntax.ParseFault(arg, Value()));
                        break;
                    case "--module-path":
                        parsed.ShowModulePath = true;
                        break;
                    case "--rate-limit":
                        (parsed.Options.RateLimitPerWindow, parsed.Options.RateLimitWindowSeconds) = RateLimitSyntax.ParseWindow(arg, Value());
                        layer.Limits["global"] = new JsonObject { ["limit"] = parsed.Options.RateLimitPerWindow, ["windowSeconds"] = parsed.Options.RateLimitWindowSeconds };
                        break;
                    case "--rate-limit-tier":
                        var tier = RateLimitSyntax.ParseTier(arg, Value());
                        parsed.Options.RateLimitTiers.Add(tier);
                        layer.Tiers.Add(new JsonObject
                        {
                            ["name"] = tier.Name,
                            ["routes"] = new JsonArray(System.Linq.Enumerable.ToArray(System.Linq.Enumerable.Select(tier.Routes, r => (JsonNode?)JsonValue.Create(r)))),
                            ["limit"] = tier.Limit,
                            ["windowSeconds"] = tier.WindowSeconds,
                        });
                        break;
                    case "--rate-limit-bucketing":
                        var bucketing = Value();
                        parsed.Options.RateLimitBucketing = Bucketing(arg, bucketing);
                        layer.Limits["bucketing"] = bucketing;
                        break;
                    case "--rate-limit-headers":
                        var headers = Value();
                        parsed.Options.RateLimitHeaderScope = HeaderScope(arg, headers);
                        layer.Limits["headers"] = headers;
                        break;
                    case "--exit-on-stdin-close":
                        parsed.ExitOnStdinClose = true;
                        break;
                    case "--help":
                    case "-h":
                        parsed.ShowHelp = true;
                        break;
                    default:
                        throw new ArgumentException($"Unknown argument '{args[i]}'.");
                }
            }

            // Some tier mistakes only show together (a name twice, a route in two tiers): checked once all are read.
            try
            {
                _ = RateLimitPolicy.From(parsed.Options);
            }
            catch (ArgumentException bad)
            {
                throw new ArgumentException("--rate-limit-tier: " + bad.Message, bad);
            }

            parsed.Options.Scenario = layer.Over(file);
            if (parsed.https != (parsed.Options.TlsCertificatePath != null))
            {
                throw new ArgumentException("An https:// --urls needs --tls-certificate <file.pfx>, and --tls-certificate needs an https:// --urls.");
            }
            return parsed;
        }

        /// <summary>The port of a loopback http(s) URL, and whether it is https; anything that could listen beyond this machine is refused.</summary>
        private static (int Port, bool Https) LoopbackPort(string urls)
        {
            if (urls.Contains(';', StringComparison.Ordinal))
            {
                throw new ArgumentException("--urls takes a single address.");
            }

            if (!Uri.TryCreate(urls.Trim(), UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
            {
                throw new ArgumentException($"--urls '{urls}' is not an http or https URL.");
            }
            if (uri.Host != "127.0.0.1" && !string.Equals(uri.Host, "localhost", StringComparison.OrdinalIgnoreCase))
            {
                throw new ArgumentException($"--urls '{urls}' is not 127.0.0.1: the emulator only listens on loopback.");
            }
            return (uri.Port, uri.Scheme == Uri.UriSchemeHttps);
        }

        private static RateLimitBucketing Bucketing(string name, string value) =>
            RateLimitModeNames.TryParseBucketing(value, out var bucketing)
                ? bucketing
                : throw new ArgumentException($"{name} needs {RateLimitModeNames.PerKey} or {RateLimitModeNames.PerIp}, not '{value}'.");

        private static RateLimitHeaderScope HeaderScope(string name, string value) =>
            RateLimitModeNames.TryParseHeaderScope(value, out var scope)
                ? scope
                : throw new ArgumentException($"{name} needs {RateLimitModeNames.AllRoutes} or {RateLimitModeNames.TieredOnly}, not '{value}'.");

        /// <summary>A file's mistakes (unreadable, bad JSON, a bad field) become a command-line error naming the option.</summary>
        private static T FromFile<T>(string name, Func<T> read)
        {
            try
            {
                return read();
            }
            catch (FormatException bad)
            {
                throw new ArgumentException($"{name}: {bad.Message}", bad);
            }
        }

        private static int Integer(string name, string value) =>
            int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n >= 0
                ? n
                : throw new ArgumentException($"{name} needs a non-negative integer, not '{value}'.");

        private static double Number(string name, string value) =>
            double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var n) && n >= 0
                ? n
                : throw new ArgumentException($"{name} needs a non-negative number, not '{value}'.");
    }
}
