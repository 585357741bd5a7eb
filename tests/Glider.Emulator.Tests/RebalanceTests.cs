using System;
using System.Globalization;
using System.Linq;
using System.Net.Http;
using System.Threading.Tasks;
using Glider.Emulator.Tests.TestSupport;
using Xunit;

namespace Glider.Emulator.Tests
{
    public sealed class RebalanceTests
    {
        private static readonly DateTimeOffset Start = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);

        private static Task<TestEmulator> StartWithClock(ManualClock clock, int operationMs = 1000, double cooldownSeconds = 30) =>
            TestEmulator.StartAsync(o =>
            {
                o.TimeProvider = clock;
                o.OperationMs = operationMs;
                o.CooldownSeconds = cooldownSeconds;
            });

        [Fact]
        public async Task A_rebalance_is_accepted_with_an_opaque_operation_id()
        {
            var clock = new ManualClock(Start);
            await using var emu = await StartWithClock(clock);
            var result = await emu.PostAsync("v2/portfolios/pf_acme_0001/rebalance");
            Assert.Equal(202, result.StatusCode);
            Assert.Matches("^rebalance:pf_acme_0001:pf_acme_0001%3Amanual%3Areq_[0-9A-Z]{26}$", result.Data.GetProperty("operationId").GetString());
            Assert.Equal("2026-11-25T12:00:00.000Z", result.Data.GetProperty("submittedAt").GetString());
        }

        [Fact]
        public async Task A_second_trigger_while_in_flight_returns_the_same_run()
        {
            var clock = new ManualClock(Start);
            await using var emu = await StartWithClock(clock);
            var first = await emu.PostAsync("v2/portfolios/pf_acme_0002/rebalance");
            clock.Advance(TimeSpan.FromMilliseconds(700));
            var second = await emu.PostAsync("v2/portfolios/pf_acme_0002/rebalance", EmulatorDemoKeys.Extra(3));

            Assert.Equal(202, second.StatusCode);
            Assert.Equal(first.Data.GetProperty("operationId").GetString(), second.Data.GetProperty("operationId").GetString());
            Assert.Equal(first.Data.GetProperty("submittedAt").GetString(), second.Data.GetProperty("submittedAt").GetString());
            var stats = await emu.StatsAsync();
            Assert.Equal(1, stats.Json.GetProperty("rebalancesStarted").GetProperty("pf_acme_0002").GetInt32());
        }

        [Fact]
        public async Task Concurrent_triggers_start_exactly_one_run()
        {
            await using var emu = await TestEmulator.StartAsync(o => o.OperationMs = 60_000);
            var results = await Task.WhenAll(Enumerable.Range(0, 24).Select(i =>
                emu.PostAsync("v2/portfolios/pf_acme_0011/rebalance", EmulatorDemoKeys.Extra(i))));
            Assert.All(results, r => Assert.Equal(202, r.StatusCode));
            Assert.Single(results.Select(r => r.Data.GetProperty("operationId").GetString()).Distinct());
            Assert.Single(results.Select(r => r.Data.GetProperty("submittedAt").GetString()).Distinct());
            var stats = await emu.StatsAsync();
            Assert.Equal(1, stats.Json.GetProperty("rebalancesStarted").GetProperty("pf_acme_0011").GetInt32());
        }

        [Fact]
        public async Task Runs_of_different_portfolios_are_independent()
        {
            var clock = new ManualClock(Start);
            await using var emu = await StartWithClock(clock);
            var a = await emu.PostAsync("v2/portfolios/pf_acme_0001/rebalance");
            var b = await emu.PostAsync("v2/portfolios/pf_acme_0002/rebalance");
            Assert.NotEqual(a.Data.GetProperty("operationId").GetString(), b.Data.GetProperty("operationId").GetString());
        }

        [Fact]
        public async Task Triggering_within_the_cooldown_is_429_API_004_with_Retry_After_rounded_up()
        {
            var clock = new ManualClock(Start);
            await using var emu = await StartWithClock(clock, operationMs: 1000, cooldownSeconds: 30);
            await emu.PostAsync("v2/portfolios/pf_acme_0001/rebalance");
            clock.Advance(TimeSpan.FromMilliseconds(1000 + 500));

            var refused = await emu.PostAsync("v2/portfolios/pf_acme_0001/rebalance");

            Assert.Equal(429, refused.StatusCode);
            Assert.Equal("API_004", refused.ErrorCode);
            Assert.False(refused.Json.GetProperty("success").GetBoolean());
            Assert.Equal("30", refused.Header("Retry-After"));
            Assert.NotNull(refused.Header("X-RateLimit-Limit"));
            Assert.Equal("0", refused.Header("X-RateLimit-Remaining"));
            var reset = long.Parse(refused.Header("X-RateLimit-Reset")!, CultureInfo.InvariantCulture);
            Assert.Equal(Start.AddSeconds(31).ToUnixTimeSeconds(), reset);

            clock.Advance(TimeSpan.FromSeconds(29.2));
            var stillRefused = await emu.PostAsync("v2/portfolios/pf_acme_0001/rebalance");
            Assert.Equal("1", stillRefused.Header("Retry-After"));

            clock.Advance(TimeSpan.FromSeconds(0.3));
            var accepted = await emu.PostAsync("v2/portfolios/pf_acme_0001/rebalance");
            Assert.Equal(202, accepted.StatusCode);
            var stats = await emu.StatsAsync();
            Assert.Equal(2, stats.Json.GetProperty("rebalancesStarted").GetProperty("pf_acme_0001").GetInt32());
        }

        [Fact]
        public async Task A_completed_run_sets_lastRebalanceAt_and_moves_nextDueAt()
        {
            var clock = new ManualClock(Start);
            await using var emu = await StartWithClock(clock, operationMs: 2000);
            var interval = (await emu.GetAsync("v2/portfolios/pf_acme_0001")).Data.GetProperty("schedule").GetProperty("intervalMs").GetInt64();
            var operationId = (await emu.PostAsync("v2/portfolios/pf_acme_0001/rebalance")).Data.GetProperty("operationId").GetString()!;

            clock.Advance(TimeSpan.FromSeconds(5));
            var operation = await emu.GetAsync($"v2/portfolios/pf_acme_0001/operations/{Uri.EscapeDataString(operationId)}");
            Assert.Equal("completed", operation.Data.GetProperty("state").GetString());
            var finishedAt = operation.Data.GetProperty("finishedAt").GetString()!;
            Assert.Equal("2026-11-25T12:00:02.000Z", finishedAt);

            var portfolio = await emu.GetAsync("v2/portfolios/pf_acme_0001");
            var schedule = portfolio.Data.GetProperty("schedule");
            Assert.Equal(finishedAt, schedule.GetProperty("lastRebalanceAt").GetString());
            var nextDue = DateTimeOffset.Parse(schedule.GetProperty("nextDueAt").GetString()!, CultureInfo.InvariantCulture);
            Assert.Equal(Start.AddSeconds(2).AddMilliseconds(interval), nextDue);
            Assert.Equal(finishedAt, portfolio.Data.GetProperty("updatedAt").GetString());
        }

        [Fact]
        public async Task The_list_shows_the_completed_run_too()
        {
            var clock = new ManualClock(Start);
            await using var emu = await StartWithClock(clock, operationMs: 1000);
            await emu.PostAsync("v2/portfolios/pf_acme_0249/rebalance");
            clock.Advance(TimeSpan.FromSeconds(2));
            var first = (await emu.GetAsync("v2/portfolios?limit=2")).Portfolios[1];
            Assert.Equal("pf_acme_0249", first.GetProperty("portfolioId").GetString());
            Assert.Equal("2026-11-25T12:00:01.000Z", first.GetProperty("schedule").GetProperty("lastRebalanceAt").GetString());
        }

        [Fact]
        public async Task A_failed_run_leaves_lastRebalanceAt_but_still_starts_the_cooldown()
        {
            var clock = new ManualClock(Start);
            await using var emu = await StartWithClock(clock, operationMs: 1000, cooldownSeconds: 10);
            await emu.ControlAsync(HttpMethod.Put, "outcomes/pf_acme_0001", "{\"outcome\":\"failed\",\"error\":\"slippage too high\"}");
            var before = (await emu.GetAsync("v2/portfolios/pf_acme_0001")).Data.GetProperty("schedule").GetProperty("lastRebalanceAt").GetString();
            await emu.PostAsync("v2/portfolios/pf_acme_0001/rebalance");
            clock.Advance(TimeSpan.FromSeconds(2));

            var after = (await emu.GetAsync("v2/portfolios/pf_acme_0001")).Data.GetProperty("schedule").GetProperty("lastRebalanceAt").GetString();
            Assert.Equal(before, after);
            var refused = await emu.PostAsync("v2/portfolios/pf_acme_0001/rebalance");
            Assert.Equal(429, refused.StatusCode);
            Assert.Equal("9", refused.Header("Retry-After"));
        }

        [Fact]
        public async Task Portfolios_without_a_schedule_and_paused_ones_can_still_be_rebalanced()
        {
            await using var emu = await TestEmulator.StartAsync();
            Assert.Equal(202, (await emu.PostAsync("v2/portfolios/pf_acme_0025/rebalance")).StatusCode);
            Assert.Equal(202, (await emu.PostAsync("v2/portfolios/pf_acme_0005/rebalance")).StatusCode);
        }

        [Fact]
        public async Task With_the_real_clock_a_run_completes_and_then_the_cooldown_applies()
        {
            await using var emu = await TestEmulator.StartAsync(o =>
            {
                o.OperationMs = 300;
                o.CooldownSeconds = 60;
            });
            var operationId = (await emu.PostAsync("v2/portfolios/pf_acme_0003/rebalance")).Data.GetProperty("operationId").GetString()!;
            var done = await Eventually.PollAsync(
                () => emu.GetAsync("v2/portfolios/pf_acme_0003/operations/" + Uri.EscapeDataString(operationId)),
                r => r.Data.GetProperty("state").GetString() == "completed");
            Assert.NotEqual(System.Text.Json.JsonValueKind.Null, done.Data.GetProperty("finishedAt").ValueKind);

            var refused = await emu.PostAsync("v2/portfolios/pf_acme_0003/rebalance");
            Assert.Equal(429, refused.StatusCode);
            var retryAfter = int.Parse(refused.Header("Retry-After")!, CultureInfo.InvariantCulture);
            Assert.InRange(retryAfter, 1, 60);
        }
    }
}
