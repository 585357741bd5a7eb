using System;
using System.Collections.Generic;
using System.Net.Http;
using System.Text.Json;
using System.Threading.Tasks;
using Glider.Emulator.Tests.TestSupport;
using Xunit;

namespace Glider.Emulator.Tests
{
    public sealed class OperationLifecycleTests
    {
        private static readonly DateTimeOffset Start = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);

        private static async Task<(TestEmulator Emu, ManualClock Clock, string Path)> StartRun(string portfolioId, string? outcomeJson = null)
        {
            var clock = new ManualClock(Start);
            var emu = await TestEmulator.StartAsync(o =>
            {
                o.TimeProvider = clock;
                o.OperationMs = 10_000;
            });
            if (outcomeJson is not null)
            {
                var set = await emu.ControlAsync(HttpMethod.Put, "outcomes/" + portfolioId, outcomeJson);
                Assert.Equal(200, set.StatusCode);
            }
            var operationId = (await emu.PostAsync($"v2/portfolios/{portfolioId}/rebalance")).Data.GetProperty("operationId").GetString()!;
            return (emu, clock, $"v2/portfolios/{portfolioId}/operations/{Uri.EscapeDataString(operationId)}");
        }

        [Fact]
        public async Task A_run_goes_accepted_running_completed_with_finishedAt_only_at_the_end()
        {
            var (emu, clock, path) = await StartRun("pf_acme_0001");
            await using var _ = emu;

            var accepted = (await emu.GetAsync(path)).Data;
            Assert.Equal("accepted", accepted.GetProperty("state").GetString());
            Assert.Equal("rebalance", accepted.GetProperty("kind").GetString());
            Assert.Equal("pf_acme_0001", accepted.GetProperty("portfolioId").GetString());
            Assert.Equal("2026-11-25T12:00:00.000Z", accepted.GetProperty("createdAt").GetString());
            Assert.Equal(JsonValueKind.Null, accepted.GetProperty("finishedAt").ValueKind);
            Assert.Equal(JsonValueKind.Null, accepted.GetProperty("error").ValueKind);

            clock.Advance(TimeSpan.FromSeconds(2.5));
            var running = (await emu.GetAsync(path)).Data;
            Assert.Equal("running", running.GetProperty("state").GetString());
            Assert.Equal("2026-11-25T12:00:02.000Z", running.GetProperty("updatedAt").GetString());
            Assert.Equal(JsonValueKind.Null, running.GetProperty("finishedAt").ValueKind);

            clock.Advance(TimeSpan.FromSeconds(7.5));
            var completed = (await emu.GetAsync(path)).Data;
            Assert.Equal("completed", completed.GetProperty("state").GetString());
            Assert.Equal("2026-11-25T12:00:10.000Z", completed.GetProperty("finishedAt").GetString());
            Assert.Equal("2026-11-25T12:00:10.000Z", completed.GetProperty("updatedAt").GetString());
            Assert.Equal(JsonValueKind.Null, completed.GetProperty("error").ValueKind);

            clock.Advance(TimeSpan.FromHours(1));
            Assert.Equal(completed.GetRawText(), (await emu.GetAsync(path)).Data.GetRawText());
        }

        [Theory]
        [InlineData("failed", "slippage above limit")]
        [InlineData("cancelled", "cancelled by operator")]
        public async Task A_planned_outcome_passes_through_its_via_states_and_ends_with_an_error(string outcome, string error)
        {
            var (emu, clock, path) = await StartRun("pf_acme_0002",
                $"{{\"outcome\":\"{outcome}\",\"error\":\"{error}\",\"via\":[\"retrying\",\"awaiting_user\"]}}");
            await using var _ = emu;

            var seen = new List<string>();
            for (var ms = 0; ms <= 10_000; ms += 500)
            {
                var state = (await emu.GetAsync(path)).Data.GetProperty("state").GetString()!;
                if (seen.Count == 0 || seen[^1] != state)
                {
                    seen.Add(state);
                }

                clock.Advance(TimeSpan.FromMilliseconds(500));
            }

            Assert.Equal(new[] { "accepted", "running", "retrying", "awaiting_user", outcome }, seen);
            var final = (await emu.GetAsync(path)).Data;
            Assert.Equal(error, final.GetProperty("error").GetString());
            Assert.Equal("2026-11-25T12:00:10.000Z", final.GetProperty("finishedAt").GetString());
        }

        [Fact]
        public async Task A_cancelled_outcome_without_a_message_still_has_an_error_string()
        {
            var (emu, clock, path) = await StartRun("pf_acme_0003", "{\"outcome\":\"cancelled\"}");
            await using var _ = emu;
            clock.Advance(TimeSpan.FromSeconds(11));
            var final = (await emu.GetAsync(path)).Data;
            Assert.Equal("cancelled", final.GetProperty("state").GetString());
            Assert.False(string.IsNullOrEmpty(final.GetProperty("error").GetString()));
        }

        [Fact]
        public async Task Clearing_the_outcome_makes_the_next_run_complete()
        {
            var clock = new ManualClock(Start);
            await using var emu = await TestEmulator.StartAsync(o =>
            {
                o.TimeProvider = clock;
                o.OperationMs = 1000;
                o.CooldownSeconds = 0;
            });
            await emu.ControlAsync(HttpMethod.Put, "outcomes/pf_acme_0004", "{\"outcome\":\"failed\"}");
            var first = (await emu.PostAsync("v2/portfolios/pf_acme_0004/rebalance")).Data.GetProperty("operationId").GetString()!;
            clock.Advance(TimeSpan.FromSeconds(2));
            Assert.Equal(200, (await emu.ControlAsync(HttpMethod.Delete, "outcomes/pf_acme_0004")).StatusCode);
            var second = (await emu.PostAsync("v2/portfolios/pf_acme_0004/rebalance")).Data.GetProperty("operationId").GetString()!;
            clock.Advance(TimeSpan.FromSeconds(2));

            Assert.Equal("failed", (await emu.GetAsync("v2/portfolios/pf_acme_0004/operations/" + Uri.EscapeDataString(first))).Data.GetProperty("state").GetString());
            Assert.Equal("completed", (await emu.GetAsync("v2/portfolios/pf_acme_0004/operations/" + Uri.EscapeDataString(second))).Data.GetProperty("state").GetString());
        }

        [Fact]
        public async Task An_operation_is_only_found_under_its_own_portfolio_and_tenant()
        {
            var (emu, _, path) = await StartRun("pf_acme_0001");
            await using var __ = emu;
            var operationSegment = path.Substring(path.LastIndexOf('/') + 1);

            var underOtherPortfolio = await emu.GetAsync("v2/portfolios/pf_acme_0002/operations/" + operationSegment);
            Assert.Equal(404, underOtherPortfolio.StatusCode);
            Assert.Equal("API_006", underOtherPortfolio.ErrorCode);

            var unknown = await emu.GetAsync("v2/portfolios/pf_acme_0001/operations/rebalance%3Anope");
            Assert.Equal(404, unknown.StatusCode);

            var otherTenant = await emu.GetAsync(path, EmulatorDemoKeys.OtherTenant);
            var missingPortfolio = await emu.GetAsync("v2/portfolios/pf_acme_9999/operations/" + operationSegment);
            Assert.Equal(404, otherTenant.StatusCode);
            Assert.Equal(missingPortfolio.Body, otherTenant.Body);

            Assert.Equal(200, (await emu.GetAsync(path, EmulatorDemoKeys.ReadOnly)).StatusCode);
        }

        [Theory]
        [InlineData("{\"outcome\":\"exploded\"}")]
        [InlineData("{\"outcome\":\"failed\",\"via\":[\"completed\"]}")]
        [InlineData("{\"outcome\":\"failed\",\"via\":\"retrying\"}")]
        [InlineData("[1,2]")]
        [InlineData("not json")]
        [InlineData("")]
        public async Task A_bad_outcome_body_is_400(string body)
        {
            await using var emu = await TestEmulator.StartAsync();
            var result = await emu.ControlAsync(HttpMethod.Put, "outcomes/pf_acme_0001", body);
            Assert.Equal(400, result.StatusCode);
        }

        [Fact]
        public async Task Timings_changed_at_run_time_apply_to_new_runs()
        {
            await using var emu = await TestEmulator.StartAsync(o => o.OperationMs = 60_000);
            var set = await emu.SetTimingsAsync("{\"operationMs\": 50}");
            Assert.Equal(50, set.Json.GetProperty("operationMs").GetInt32());
            var operationId = (await emu.PostAsync("v2/portfolios/pf_acme_0001/rebalance")).Data.GetProperty("operationId").GetString()!;
            await Eventually.PollAsync(
                () => emu.GetAsync("v2/portfolios/pf_acme_0001/operations/" + Uri.EscapeDataString(operationId)),
                r => r.Data.GetProperty("state").GetString() == "completed");
        }
    }
}
