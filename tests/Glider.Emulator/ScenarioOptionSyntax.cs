using System;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Glider.Emulator.Faults;
using Glider.Emulator.Http;

namespace Glider.Emulator
{
    /// <summary>
    /// The command line's spelling of scenario parts, turned into the JSON the scenario file would hold and checked by
    /// the same readers, so an option and a file entry can never mean different things:
    /// --outcome PORTFOLIO=OUTCOME[:MESSAGE], --outcome-share SHARE=OUTCOME[:MESSAGE],
    /// --fault ROUTE=KIND[:VALUE][@PROBABILITY] (VALUE: the status of kind status, the milliseconds of kind delay)
    /// or --fault '{...a fault rule...}'. Throws <see cref="ArgumentException"/> with a message for the user.
    /// </summary>
    internal static class ScenarioOptionSyntax
    {
        public static (string PortfolioId, JsonObject Outcome) ParseOutcome(string option, string text)
        {
            var equals = text.IndexOf('=');
            if (equals <= 0)
            {
                throw new ArgumentException($"{option} needs PORTFOLIO=OUTCOME[:MESSAGE] (e.g. pf_acme_0003=failed:Slippage above 2%), not '{text}'.");
            }
            return (text.Substring(0, equals), Outcome(option, text.Substring(equals + 1)));
        }

        public static JsonObject ParseOutcomeShare(string option, string text)
        {
            var equals = text.IndexOf('=');
            if (equals <= 0 || !double.TryParse(text.AsSpan(0, equals), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var share))
            {
                throw new ArgumentException($"{option} needs SHARE=OUTCOME[:MESSAGE] (e.g. 0.1=failed:Venue rejected the order), not '{text}'.");
            }
            var outcome = Outcome(option, text.Substring(equals + 1));
            outcome["share"] = share;
            Check(option, outcome, element => OutcomeSharesJson.Read(JsonDocument.Parse("[" + element.GetRawText() + "]").RootElement));
            return outcome;
        }

        public static JsonObject ParseFault(string option, string text)
        {
            JsonObject rule;
            if (text.TrimStart().StartsWith('{'))
            {
                try
                {
                    rule = JsonNode.Parse(text) as JsonObject ?? throw new ArgumentException($"{option}: a fault rule is a JSON object.");
                }
                catch (JsonException bad)
                {
                    throw new ArgumentException($"{option}: not valid JSON: {bad.Message}", bad);
                }
            }
            else
            {
                rule = CompactFault(option, text);
            }
            Check(option, rule, element => FaultRuleParser.Parse(element, "check", 0));
            return rule;
        }

        private static JsonObject CompactFault(string option, string text)
        {
            var equals = text.IndexOf('=');
            if (equals <= 0)
            {
                throw new ArgumentException($"{option} needs ROUTE=KIND[:VALUE][@PROBABILITY] (e.g. GetOperation=status:503@0.1, Rebalance=drop, *=delay:2000@0.2) or a fault rule in JSON, not '{text}'.");
            }

            var rule = new JsonObject();
            var route = text.Substring(0, equals);
            if (route != "*")
            {
                rule["route"] = route;
            }

            var rest = text.Substring(equals + 1);
            var at = rest.LastIndexOf('@');
            if (at >= 0)
            {
                if (!double.TryParse(rest.AsSpan(at + 1), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var probability))
                {
                    throw new ArgumentException($"{option}: the probability after @ is a number from 0 to 1, not '{rest.Substring(at + 1)}'.");
                }
                rule["fraction"] = probability;
                rest = rest.Substring(0, at);
            }

            var colon = rest.IndexOf(':');
            var kind = colon < 0 ? rest : rest.Substring(0, colon);
            rule["kind"] = kind;
            if (colon >= 0)
            {
                if (!int.TryParse(rest.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var value))
                {
                    throw new ArgumentException($"{option}: the value after {kind}: is a whole number, not '{rest.Substring(colon + 1)}'.");
                }
                rule[kind == FaultKinds.Delay ? "delayMs" : "status"] = value;
            }
            return rule;
        }

        private static JsonObject Outcome(string option, string text)
        {
            var colon = text.IndexOf(':');
            var outcome = new JsonObject { ["outcome"] = colon < 0 ? text : text.Substring(0, colon) };
            if (colon >= 0)
            {
                outcome["error"] = text.Substring(colon + 1);
            }
            Check(option, outcome, element => OutcomeJson.Read(element));
            return outcome;
        }

        private static void Check(string option, JsonNode node, Action<JsonElement> read)
        {
            try
            {
                using var document = JsonDocument.Parse(node.ToJsonString());
                read(document.RootElement);
            }
            catch (FormatException bad)
            {
                throw new ArgumentException($"{option}: {bad.Message}", bad);
            }
        }
    }
}
