using System;
using System.Net.Http;
using System.Text.Json;
using System.Threading.Tasks;
using Glider.Emulator.Tests.TestSupport;
using Xunit;

namespace Glider.Emulator.Tests
{
    public sealed class StopStartTests
    {
        private static readonly DateTimeOffset Start = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);

        [Fact]
        public async Task Stop_pauses_and_is_idempotent()
        {
            var clock = new ManualClock(Start);
            await using var emu = await TestEmulator.StartAsync(o => o.TimeProvider = clock);
            clock.Advance(TimeSpan.FromMinutes(1));

            var stopped = await emu.PostAsync("v2/portfolios/pf_acme_0001/stop");
            Assert.Equal(200, stopped.StatusCode);
            Assert.Equal("pf_acme_0001", stopped.Data.GetProperty("portfolioId").GetString());
            Assert.Equal("paused", stopped.Data.GetProperty("schedule").GetProperty("status").GetString());
            Assert.Equal(JsonValueKind.Null, stopped.Data.GetProperty("schedule").GetProperty("nextDueAt").ValueKind);
            Assert.Equal("2026-11-25T12:01:00.000Z", stopped.Data.GetProperty("updatedAt").GetString());

            clock.Advance(TimeSpan.FromMinutes(1));
            var again = await emu.PostAsync("v2/portfolios/pf_acme_0001/stop");
            Assert.Equal(200, again.StatusCode);
            Assert.Equal(stopped.Data.GetRawText(), again.Data.GetRawText());

            var listed = await emu.GetAsync("v2/portfolios?limit=200&status=paused");
            Assert.Contains(listed.Portfolios, p => p.GetProperty("portfolioId").GetString() == "pf_acme_0001");
        }

        [Fact]
        public async Task Start_resumes_with_nextDueAt_now_and_is_idempotent()
        {
            var clock = new ManualClock(Start);
            await using var emu = await TestEmulator.StartAsync(o => o.TimeProvider = clock);
            clock.Advance(TimeSpan.FromSeconds(90.5));

            var started = await emu.PostAsync("v2/portfolios/pf_acme_0005/start");
            Assert.Equal(200, started.StatusCode);
            var schedule = started.Data.GetProperty("schedule");
            Assert.Equal("active", schedule.GetProperty("status").GetString());
            Assert.Equal("2026-11-25T12:01:30.500Z", schedule.GetProperty("nextDueAt").GetString());

            clock.Advance(TimeSpan.FromMinutes(5));
            var again = await emu.PostAsync("v2/portfolios/pf_acme_0005/start");
            Assert.Equal(started.Data.GetRawText(), again.Data.GetRawText());
        }

        [Fact]
        public async Task Stop_then_start_round_trips()
        {
            await using var emu = await TestEmulator.StartAsync();
            await emu.PostAsync("v2/portfolios/pf_acme_0002/stop");
            var started = await emu.PostAsync("v2/portfolios/pf_acme_0002/start");
            Assert.Equal("active", started.Data.GetProperty("schedule").GetProperty("status").GetString());
            var read = await emu.GetAsync("v2/portfolios/pf_acme_0002");
            Assert.Equal(started.Data.GetRawText(), read.Data.GetRawText());
        }

        [Theory]
        [InlineData("stop")]
        [InlineData("start")]
        public async Task A_portfolio_without_a_schedule_is_400(string action)
        {
            await using var emu = await TestEmulator.StartAsync();
            var result = await emu.PostAsync($"v2/portfolios/pf_acme_0025/{action}");
            Assert.Equal(400, result.StatusCode);
            Assert.Equal("API_400", result.ErrorCode);
        }

        [Fact]
        public async Task Stop_and_start_need_post()
        {
            await using var emu = await TestEmulator.StartAsync();
            var result = await emu.SendAsync(HttpMethod.Get, "v2/portfolios/pf_acme_0001/stop", EmulatorDemoKeys.ReadWrite);
            Assert.Equal(405, result.StatusCode);
            Assert.Equal("POST", result.Header("Allow"));
        }
    }
}
