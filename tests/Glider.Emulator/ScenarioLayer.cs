using System;
using System.IO;
using System.Text.Json.Nodes;

namespace Glider.Emulator
{
    /// <summary>
    /// The scenario parts the command line gave, as the JSON a scenario file would hold. Laid over a --scenario file,
    /// so an option wins over the file whatever their order; without a file, only the parts that have no other
    /// home (outcomes, outcome shares, faults) make a scenario.
    /// </summary>
    internal sealed class ScenarioLayer
    {
        public JsonObject Timings { get; } = new();
        public JsonObject Limits { get; } = new();
        public JsonArray Tiers { get; } = new();
        public JsonObject Outcomes { get; } = new();
        public JsonArray OutcomeShares { get; } = new();
        public JsonArray Faults { get; } = new();

        /// <summary>A count or the full path of a portfolio file.</summary>
        public JsonNode? Portfolios { get; set; }

        public EmulatorScenario? Over(EmulatorScenario? file)
        {
            var root = new JsonObject();
            if (file is not null)
            {
                if (Portfolios is not null)
                {
                    root["portfolios"] = Portfolios.DeepClone();
                }

                if (Timings.Count > 0)
                {
                    root["timings"] = Timings.DeepClone();
                }

                var limits = (JsonObject)Limits.DeepClone();
                if (Tiers.Count > 0)
                {
                    limits["tiers"] = Tiers.DeepClone();
                }

                if (limits.Count > 0)
                {
                    root["limits"] = limits;
                }
            }
            if (Outcomes.Count > 0)
            {
                root["outcomes"] = Outcomes.DeepClone();
            }

            if (OutcomeShares.Count > 0)
            {
                root["outcomeShares"] = OutcomeShares.DeepClone();
            }

            if (Faults.Count > 0)
            {
                root["faults"] = Faults.DeepClone();
            }

            if (root.Count == 0)
            {
                return file;
            }

            // Each part was checked when its option was read; this cannot fail on anything an option has not reported.
            var options = EmulatorScenario.Parse(root.ToJsonString(), Directory.GetCurrentDirectory());
            return file is null ? options : file.Then(options);
        }
    }
}
