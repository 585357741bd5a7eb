using System;
using System.Diagnostics;
using System.Net.Http;
using System.Threading.Tasks;
using Glider.Emulator.Tests.TestSupport;
using Xunit;

namespace Glider.Emulator.Tests
{
    public sealed class StatsAndControlTests
    {
        [Fact]
        public async Task Stats_count_connections_requests_and_rebalances()
        {
            await using var emu = await TestEmulator.StartAsync();
            var before = (await emu.StatsAsync()).Json;
            Assert.Equal(0, before.GetProperty("requests").GetInt64());

            for (var i = 0; i < 3; i++)
            {
                await RawHttp.SendAsync(emu.BaseUri, "GET", "/v2/whoami", EmulatorDemoKeys.ReadWrite);
            }

            await emu.PostAsync("v2/portfolios/pf_acme_0007/rebalance");
            await emu.PostAsync("v2/portfolios/pf_acme_0008/rebalance");

            var after = (await emu.StatsAsync()).Json;
            var opened = after.GetProperty("connectionsOpened").GetInt64() - before.GetProperty("connectionsOpened").GetInt64();
            Assert.InRange(opened, 3, 5);
            Assert.Equal(5, after.GetProperty("requests").GetInt64());
            Assert.Equal(1, after.GetProperty("rebalancesStarted").GetProperty("pf_acme_0007").GetInt32());
            Assert.Equal(1, after.GetProperty("rebalancesStarted").GetProperty("pf_acme_0008").GetInt32());
            Assert.Empty(after.GetProperty("faultsInjected").EnumerateObject());
        }

        [Fact]
        public async Task Reset_puts_everything_back_to_the_seed()
        {
            await using var emu = await TestEmulator.StartAsync(o => o.OperationMs = 700);
            var seeded = await emu.GetAsync("v2/portfolios/pf_acme_0001");
            await emu.PostAsync("v2/portfolios/pf_acme_0001/stop");
            await emu.PostAsync("v2/portfolios/pf_acme_0002/rebalance");
            await emu.ControlAsync(HttpMethod.Put, "outcomes/pf_acme_0003", "{\"outcome\":\"failed\"}");
            await emu.AddFaultAsync("{\"kind\":\"status\",\"status\":500,\"pathContains\":\"/nothing\"}");
            await emu.SetTimingsAsync("{\"operationMs\": 5, \"cooldownSeconds\": 99, \"latencyMs\": 1}");

            var reset = await emu.ControlAsync(HttpMethod.Post, "reset");
            Assert.Equal(200, reset.StatusCode);
            Assert.Equal(250, reset.Json.GetProperty("portfolioCount").GetInt32());

            var timings = (await emu.ControlAsync(HttpMethod.Get, "timings")).Json;
            Assert.Equal(700, timings.GetProperty("operationMs").GetInt32());
            Assert.Equal(1, timings.GetProperty("cooldownSeconds").GetDouble());
            Assert.Equal(0, timings.GetProperty("latencyMs").GetInt32());
            Assert.Empty((await emu.ControlAsync(HttpMethod.Get, "faults")).Json.GetProperty("faults").EnumerateArray());
            Assert.Equal(0, (await emu.RequestLogAsync()).Json.GetArrayLength());
            Assert.Empty((await emu.StatsAsync()).Json.GetProperty("rebalancesStarted").EnumerateObject());

            var again = await emu.GetAsync("v2/portfolios/pf_acme_0001");
            Assert.Equal("active", again.Data.GetProperty("schedule").GetProperty("status").GetString());
            Assert.Equal(seeded.Data.GetProperty("createdAt").GetString(), again.Data.GetProperty("createdAt").GetString());
            Assert.Equal(seeded.Data.GetProperty("schedule").GetProperty("lastRebalanceAt").GetString(), again.Data.GetProperty("schedule").GetProperty("lastRebalanceAt").GetString());
        }

        [Fact]
        public async Task Timings_keep_the_fields_that_are_not_sent()
        {
            await using var emu = await TestEmulator.StartAsync();
            await emu.SetTimingsAsync("{\"operationMs\": 1234}");
            var result = await emu.SetTimingsAsync("{\"cooldownSeconds\": 2.5}");
            Assert.Equal(200, result.StatusCode);
            Assert.Equal(1234, result.Json.GetProperty("operationMs").GetInt32());
            Assert.Equal(2.5, result.Json.GetProperty("cooldownSeconds").GetDouble());
            Assert.Equal(1_000_000, result.Json.GetProperty("rateLimitPerWindow").GetInt32());
            Assert.Equal(1, result.Json.GetProperty("rateLimitWindowSeconds").GetDouble());
        }

        [Theory]
        [InlineData("{\"operationMs\": -1}")]
        [InlineData("{\"cooldownSeconds\": \"30\"}")]
        [InlineData("{\"rateLimitPerWindow\": 0}")]
        [InlineData("[]")]
        [InlineData("nope")]
        public async Task Bad_timings_are_400_and_change_nothing(string body)
        {
            await using var emu = await TestEmulator.StartAsync();
            var result = await emu.SetTimingsAsync(body);
            Assert.Equal(400, result.StatusCode);
            Assert.Equal(400, (await emu.ControlAsync(HttpMethod.Get, "timings")).Json.GetProperty("operationMs").GetInt32());
        }

        [Fact]
        public async Task LatencyMs_delays_every_v2_response()
        {
            await using var emu = await TestEmulator.StartAsync(o => o.LatencyMs = 300);
            await emu.GetAsync("v2/scopes", null);
            var watch = Stopwatch.StartNew();
            Assert.Equal(200, (await emu.GetAsync("v2/whoami")).StatusCode);
            Assert.True(watch.ElapsedMilliseconds >= 280, $"took {watch.ElapsedMilliseconds} ms");
        }

        [Fact]
        public async Task Unknown_control_routes_are_404()
        {
            await using var emu = await TestEmulator.StartAsync();
            Assert.Equal(404, (await emu.ControlAsync(HttpMethod.Get, "reset")).StatusCode);
            Assert.Equal(404, (await emu.ControlAsync(HttpMethod.Get, "whatever")).StatusCode);
        }

        [Fact]
        public async Task Shutdown_answers_then_stops_the_emulator()
        {
            var emu = await TestEmulator.StartAsync();
            await using (emu)
            {
                var result = await emu.ControlAsync(HttpMethod.Post, "shutdown");
                Assert.Equal(200, result.StatusCode);
                var stopped = emu.Host.WaitForShutdownAsync();
                Assert.Same(stopped, await Task.WhenAny(stopped, Task.Delay(TimeSpan.FromSeconds(15))));
                await Assert.ThrowsAsync<HttpRequestException>(() => emu.SendOnNewConnectionAsync(HttpMethod.Get, "v2/scopes", null));
            }
        }
    }
}
