using System;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Text.Json;
using System.Threading.Tasks;
using Glider.Emulator.Tests.TestSupport;
using Xunit;

namespace Glider.Emulator.Tests
{
    /// <summary>Scenario files (--scenario): applied at start through the control API's readers, and again on reset.</summary>
    public sealed class ScenarioTests : IDisposable
    {
        private static readonly DateTimeOffset Start = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);
        private readonly string _folder = Directory.CreateTempSubdirectory("glider-scenario-").FullName;

        public void Dispose() => Directory.Delete(_folder, recursive: true);

        private string Write(string name, string json)
        {
            var path = Path.Combine(_folder, name);
            File.WriteAllText(path, json);
            return path;
        }

        private static async Task<string> Trigger(TestEmulator emu, string portfolioId)
        {
            var submitted = await emu.PostAsync($"v2/portfolios/{portfolioId}/rebalance");
            Assert.Equal(202, submitted.StatusCode);
            var operationId = submitted.Data.GetProperty("operationId").GetString()!;
            return $"v2/portfolios/{portfolioId}/operations/{Uri.EscapeDataString(operationId)}";
        }

        [Fact]
        public async Task A_scenario_sets_portfolios_timings_outcomes_and_faults_and_a_reset_goes_back_to_it()
        {
            var path = Write("scenario.json", """
                {
                  // Comments are allowed: a scenario is documentation too.
                  "description": "a failed rebalance and a flaky read",
                  "portfolios": 12,
                  "timings": { "operationMs": 2000, "cooldownSeconds": 60 },
                  "outcomes": { "pf_acme_0003": { "outcome": "failed", "error": "Slippage above 2%" } },
                  "faults": [ { "route": "GetPortfolio", "portfolioId": "pf_acme_0007", "kind": "status", "status": 503, "count": 1 } ]
                }
                """);
            var clock = new ManualClock(Start);
            await using var emu = await TestEmulator.StartAsync(o =>
            {
                o.TimeProvider = clock;
                o.Scenario = EmulatorScenario.Load(path);
            });

            for (var round = 0; round < 2; round++)
            {
                var list = await emu.GetAsync("v2/portfolios?limit=200");
                Assert.Equal(12, list.Portfolios.Count);
                var timings = (await emu.ControlAsync(HttpMethod.Get, "timings")).Json;
                Assert.Equal(2000, timings.GetProperty("operationMs").GetInt32());
                Assert.Equal(60, timings.GetProperty("cooldownSeconds").GetDouble());

                Assert.Equal(503, (await emu.GetAsync("v2/portfolios/pf_acme_0007")).StatusCode);
                Assert.Equal(200, (await emu.GetAsync("v2/portfolios/pf_acme_0007")).StatusCode);

                var operation = await Trigger(emu, "pf_acme_0003");
                clock.Advance(TimeSpan.FromSeconds(2));
                var failed = (await emu.GetAsync(operation)).Data;
                Assert.Equal("failed", failed.GetProperty("state").GetString());
                Assert.Equal("Slippage above 2%", failed.GetProperty("error").GetString());

                // The reset restores the scenario: the used-up fault fires again, the outcome is planned again.
                var reset = await emu.ControlAsync(HttpMethod.Post, "reset");
                Assert.Equal(12, reset.Json.GetProperty("portfolioCount").GetInt32());
            }
        }

        [Fact]
        public async Task Stuck_and_awaiting_user_runs_never_end_and_keep_the_portfolio_in_flight()
        {
            var clock = new ManualClock(Start);
            await using var emu = await TestEmulator.StartAsync(o =>
            {
                o.TimeProvider = clock;
                o.Scenario = EmulatorScenario.Parse("""
                    {"outcomes": {
                        "pf_acme_0001": {"outcome": "awaiting_user", "durationMs": 1000},
                        "pf_acme_0002": {"outcome": "stuck"}}}
                    """, _folder);
            });

            var waiting = await Trigger(emu, "pf_acme_0001");
            var stuck = await Trigger(emu, "pf_acme_0002");
            clock.Advance(TimeSpan.FromDays(2));
            var awaiting = (await emu.GetAsync(waiting)).Data;
            Assert.Equal("awaiting_user", awaiting.GetProperty("state").GetString());
            Assert.Equal(JsonValueKind.Null, awaiting.GetProperty("finishedAt").ValueKind);
            Assert.Equal("running", (await emu.GetAsync(stuck)).Data.GetProperty("state").GetString());

            // Still in flight: a second trigger gets the same operation, never a new run or a cooldown.
            var again = await emu.PostAsync("v2/portfolios/pf_acme_0001/rebalance");
            Assert.Equal(202, again.StatusCode);
            Assert.EndsWith(Uri.EscapeDataString(again.Data.GetProperty("operationId").GetString()!), waiting);
            Assert.Equal(1, (await emu.ControlAsync(HttpMethod.Get, "stats")).Json.GetProperty("rebalancesStarted").GetProperty("pf_acme_0001").GetInt32());
        }

        [Fact]
        public async Task Outcome_shares_split_the_portfolios_by_a_stable_hash_and_a_duration_replaces_the_operation_time()
        {
            var scenario = """
                {"portfolios": 200,
                 "outcomeShares": [
                    {"share": 0.25, "outcome": "failed", "error": "Venue rejected the order", "durationMs": 100},
                    {"share": 0.25, "outcome": "cancelled"}]}
                """;
            async Task<string[]> FinalStates()
            {
                var clock = new ManualClock(Start);
                await using var emu = await TestEmulator.StartAsync(o =>
                {
                    o.TimeProvider = clock;
                    o.OperationMs = 5000;
                    o.Scenario = EmulatorScenario.Parse(scenario, _folder);
                });
                var ids = Enumerable.Range(1, 200).Select(n => $"pf_acme_{n:0000}").ToArray();
                var paths = new string[ids.Length];
                for (var i = 0; i < ids.Length; i++)
                {
                    paths[i] = await Trigger(emu, ids[i]);
                }

                clock.Advance(TimeSpan.FromMilliseconds(100));
                var states = new string[ids.Length];
                for (var i = 0; i < ids.Length; i++)
                {
                    states[i] = (await emu.GetAsync(paths[i])).Data.GetProperty("state").GetString()!;
                }
                return states;
            }

            var first = await FinalStates();
            Assert.Equal(first, await FinalStates());
            var failed = first.Count(s => s == "failed");
            Assert.InRange(failed, 30, 70);
            // Cancelled and completed runs take the 5 s operation time: at 100 ms they are still accepted.
            Assert.Equal(200 - failed, first.Count(s => s == "accepted"));
        }

        [Fact]
        public async Task A_portfolio_file_replaces_the_numbered_seed_of_acme()
        {
            var portfolios = Write("portfolios.json", """
                [ {"portfolioId": "pf_client_alpha", "strategyId": "strat_income", "schedule": "paused"},
                  {"portfolioId": "pf_client_beta", "schedule": "none"},
                  {"portfolioId": "pf_client_gamma", "frequency": "hourly"} ]
                """);
            var path = Write("scenario.json", """{"portfolios": "portfolios.json"}""");
            await using var emu = await TestEmulator.StartAsync(o => o.Scenario = EmulatorScenario.Load(path));
            _ = portfolios;

            var ids = (await emu.GetAsync("v2/portfolios?limit=200")).Portfolios.Select(p => p.GetProperty("portfolioId").GetString()).OrderBy(id => id, StringComparer.Ordinal);
            Assert.Equal(new[] { "pf_client_alpha", "pf_client_beta", "pf_client_gamma" }, ids);
            var alpha = (await emu.GetAsync("v2/portfolios/pf_client_alpha")).Data;
            Assert.Equal("strat_income", alpha.GetProperty("strategyId").GetString());
            Assert.Equal("paused", alpha.GetProperty("schedule").GetProperty("status").GetString());
            Assert.Equal(JsonValueKind.Null, (await emu.GetAsync("v2/portfolios/pf_client_beta")).Data.GetProperty("schedule").ValueKind);
            Assert.Equal(3_600_000, (await emu.GetAsync("v2/portfolios/pf_client_gamma")).Data.GetProperty("schedule").GetProperty("intervalMs").GetInt64());
            Assert.Equal(200, (await emu.GetAsync("v2/portfolios/pf_boreal_0001", EmulatorDemoKeys.OtherTenant)).StatusCode);
        }

        [Fact]
        public async Task A_fault_rule_by_route_with_a_fraction_fires_only_on_that_route()
        {
            await using var emu = await TestEmulator.StartAsync(o => o.Scenario = EmulatorScenario.Parse(
                """{"faults": [{"route": "getOperation", "kind": "status", "status": 500, "fraction": 1}]}""", _folder));

            var operation = await Trigger(emu, "pf_acme_0001");
            Assert.Equal(500, (await emu.GetAsync(operation)).StatusCode);
            Assert.Equal(200, (await emu.GetAsync("v2/portfolios/pf_acme_0001")).StatusCode);
            // POST to an operation is a 405, which is no route: the rule does not match it.
            Assert.Equal(405, (await emu.PostAsync(operation)).StatusCode);
        }

        [Fact]
        public async Task Outcome_shares_are_set_and_read_through_the_control_api_and_a_reset_clears_them()
        {
            var clock = new ManualClock(Start);
            await using var emu = await TestEmulator.StartAsync(o => o.TimeProvider = clock);

            var set = await emu.ControlAsync(HttpMethod.Put, "outcome-shares", """{"shares": [{"share": 1, "outcome": "awaiting_user", "durationMs": 100}]}""");
            Assert.Equal(200, set.StatusCode);
            var share = Assert.Single(set.Json.GetProperty("shares").EnumerateArray());
            Assert.Equal("stuck", share.GetProperty("outcome").GetString());
            Assert.Equal("awaiting_user", Assert.Single(share.GetProperty("via").EnumerateArray()).GetString());
            Assert.Equal(set.Body, (await emu.ControlAsync(HttpMethod.Get, "outcome-shares")).Body);

            var waiting = await Trigger(emu, "pf_acme_0042");
            clock.Advance(TimeSpan.FromSeconds(1));
            Assert.Equal("awaiting_user", (await emu.GetAsync(waiting)).Data.GetProperty("state").GetString());

            Assert.Equal(400, (await emu.ControlAsync(HttpMethod.Put, "outcome-shares", """{"shares": [{"outcome": "failed"}]}""")).StatusCode);
            await emu.ControlAsync(HttpMethod.Post, "reset");
            Assert.Empty((await emu.ControlAsync(HttpMethod.Get, "outcome-shares")).Json.GetProperty("shares").EnumerateArray());
        }

        [Theory]
        [InlineData("""{"portfolio": 3}""", "Unknown scenario part 'portfolio'")]
        [InlineData("""{"outcomes": {"pf_acme_0001": {"outcome": "exploded"}}}""", "outcomes.pf_acme_0001")]
        [InlineData("""{"outcomeShares": [{"share": 0.7, "outcome": "failed"}, {"share": 0.6, "outcome": "cancelled"}]}""", "add up to")]
        [InlineData("""{"faults": [{"kind": "status", "status": 503}, {"kind": "teleport"}]}""", "faults[1]")]
        [InlineData("""{"faults": [{"route": "Rebalnce", "kind": "drop"}]}""", "Unknown route 'Rebalnce'")]
        [InlineData("""{"timings": {"operationMs": -1}}""", "operationMs")]
        [InlineData("""{"limits": {"tiers": [{"name": "x"}]}}""", "tier")]
        [InlineData("""{"portfolios": [{"portfolioId": "has space"}]}""", "portfolioId")]
        [InlineData("""{"portfolios": "missing.json"}""", "cannot read the portfolio file")]
        [InlineData("""{"portfolios": 3""", "not valid JSON")]
        public void A_bad_scenario_is_refused_with_what_is_wrong(string json, string expected)
        {
            var refused = Assert.Throws<FormatException>(() => EmulatorScenario.Parse(json, _folder));
            Assert.Contains(expected, refused.Message, StringComparison.OrdinalIgnoreCase);
        }

        [Fact]
        public void On_the_command_line_a_bad_scenario_names_the_option()
        {
            var path = Write("bad.json", """{"faults": [{"kind": "teleport"}]}""");
            var refused = Assert.ThrowsAny<ArgumentException>(() => CommandLine.Parse(new[] { "--scenario", path }));
            Assert.StartsWith("--scenario: faults[0]", refused.Message, StringComparison.Ordinal);
            var missing = Assert.ThrowsAny<ArgumentException>(() => CommandLine.Parse(new[] { "--portfolio-file", Path.Combine(_folder, "none.json") }));
            Assert.StartsWith("--portfolio-file: cannot read", missing.Message, StringComparison.Ordinal);
            Assert.Equal(250, CommandLine.Parse(new[] { "--latency-ms", "250" }).Options.LatencyMs);
        }


        [Fact]
        public async Task Outcomes_shares_and_faults_on_the_command_line_are_a_scenario_too()
        {
            var parsed = CommandLine.Parse(new[]
            {
                "--outcome", "pf_acme_0002=failed:Slippage above 2%: ETH/USDC",
                "--outcome-share", "1=cancelled",
                "--fault", "GetPortfolio=status:503",
                "--fault", """{"route": "Rebalance", "portfolioId": "pf_acme_0009", "kind": "drop"}""",
            });
            var clock = new ManualClock(Start);
            await using var emu = await TestEmulator.StartAsync(o =>
            {
                o.TimeProvider = clock;
                o.Scenario = parsed.Options.Scenario;
            });

            var failed = await Trigger(emu, "pf_acme_0002");
            var cancelled = await Trigger(emu, "pf_acme_0001");
            clock.Advance(TimeSpan.FromSeconds(1));
            var failedView = (await emu.GetAsync(failed)).Data;
            Assert.Equal("failed", failedView.GetProperty("state").GetString());
            Assert.Equal("Slippage above 2%: ETH/USDC", failedView.GetProperty("error").GetString());
            Assert.Equal("cancelled", (await emu.GetAsync(cancelled)).Data.GetProperty("state").GetString());
            Assert.Equal(503, (await emu.GetAsync("v2/portfolios/pf_acme_0001")).StatusCode);
            await Assert.ThrowsAsync<HttpRequestException>(() => emu.SendOnNewConnectionAsync(HttpMethod.Post, "v2/portfolios/pf_acme_0009/rebalance"));
        }

        [Fact]
        public async Task Options_win_over_the_scenario_file_whatever_their_order()
        {
            var path = Write("scenario.json", """
                {"portfolios": 12, "timings": {"operationMs": 2000, "cooldownSeconds": 60},
                 "limits": {"bucketing": "per-ip", "tiers": [{"name": "writes", "routes": ["Rebalance"], "limit": 5, "windowSeconds": 60}]},
                 "outcomes": {"pf_acme_0001": {"outcome": "failed"}, "pf_acme_0002": {"outcome": "cancelled"}}}
                """);
            var parsed = CommandLine.Parse(new[]
            {
                "--cooldown-seconds", "5", "--portfolios", "20", "--scenario", path, "--rate-limit-tier", "reads=GetPortfolio:100/10",
                "--outcome", "pf_acme_0001=completed",
            });
            await using var emu = await TestEmulator.StartAsync(o =>
            {
                o.CooldownSeconds = parsed.Options.CooldownSeconds;
                o.Scenario = parsed.Options.Scenario;
            });

            var timings = (await emu.ControlAsync(HttpMethod.Get, "timings")).Json;
            Assert.Equal(2000, timings.GetProperty("operationMs").GetInt32());
            Assert.Equal(5, timings.GetProperty("cooldownSeconds").GetDouble());
            Assert.Equal(20, (await emu.ControlAsync(HttpMethod.Post, "reset")).Json.GetProperty("portfolioCount").GetInt32());
            var limits = (await emu.ControlAsync(HttpMethod.Get, "limits")).Json;
            Assert.Equal("per-ip", limits.GetProperty("bucketing").GetString());
            Assert.Equal("reads", Assert.Single(limits.GetProperty("tiers").EnumerateArray()).GetProperty("name").GetString());
            var outcomes = parsed.Options.Scenario!.Outcomes;
            Assert.Equal("completed", outcomes["pf_acme_0001"].FinalState);
            Assert.Equal("cancelled", outcomes["pf_acme_0002"].FinalState);
        }

        [Theory]
        [InlineData("--outcome", "pf_acme_0001", "--outcome needs PORTFOLIO=OUTCOME")]
        [InlineData("--outcome", "pf_acme_0001=exploded", "--outcome: 'outcome' must be")]
        [InlineData("--outcome-share", "lots=failed", "--outcome-share needs SHARE=OUTCOME")]
        [InlineData("--outcome-share", "1.5=failed", "--outcome-share: 'share' must be between")]
        [InlineData("--fault", "GetOperation=teleport", "--fault: Unknown kind 'teleport'")]
        [InlineData("--fault", "Nowhere=drop", "--fault: Unknown route 'Nowhere'")]
        [InlineData("--fault", "GetOperation=status:503@often", "--fault: the probability after @")]
        [InlineData("--fault", "{\"kind\": ", "--fault: not valid JSON")]
        public void A_bad_scenario_option_names_itself(string option, string value, string expected)
        {
            var refused = Assert.ThrowsAny<ArgumentException>(() => CommandLine.Parse(new[] { option, value }));
            Assert.StartsWith(expected, refused.Message, StringComparison.Ordinal);
        }
    }
}
