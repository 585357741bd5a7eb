using System.Collections.Generic;

namespace Glider.Emulator.Model
{
    /// <summary>Every scope the API knows, as GET /v2/scopes lists them.</summary>
    internal static class Scopes
    {
        public const string PortfoliosRead = "portfolios:read";
        public const string PortfoliosWrite = "portfolios:write";
        public const string StrategiesRead = "strategies:read";
        public const string StrategiesWrite = "strategies:write";
        public const string EnrollWrite = "enroll:write";

        public static readonly IReadOnlyList<(string Name, string Description, string Tier)> All = new[]
        {
            (PortfoliosRead, "List and read portfolios and their operations", "standard"),
            (PortfoliosWrite, "Trigger rebalances and start or stop portfolio automation", "standard"),
            (StrategiesRead, "List and read strategies", "standard"),
            (StrategiesWrite, "Create and update strategies", "premium"),
            (EnrollWrite, "Enroll new accounts into strategies", "premium"),
        };
    }
}
