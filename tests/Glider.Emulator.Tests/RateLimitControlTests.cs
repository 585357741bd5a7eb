using System;
using System.Globalization;
using System.Linq;
using System.Net.Http;
using System.Text.Json;
using System.Threading.Tasks;
using Glider.Emulator.Tests.TestSupport;
using Xunit;

namespace Glider.Emulator.Tests
{
    /// <summary>/_emulator/limits, the timings' global fields, and what a reset does to the limiter.</summary>
    public sealed class RateLimitControlTests
    {
        private static readonly DateTimeOffset Start = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);

        private const string TieredLimits = """
            {
              "global": {"limit": 500, "windowSeconds": 30},
              "bucketing": "per-ip",
              "headers": "tiered-only",
              "tiers": [
                {"name": "reads", "routes": ["ListPortfolios", "getPortfolio"], "limit": 2, "windowSeconds": 60},
                {"name": "writes", "routes": ["Rebalance"], "limit": 1, "windowSeconds": 120}
              ]
            }
            """;

        private static Task<ApiResult> PutLimitsAsync(TestEmulator emu, string json) => emu.ControlAsync(HttpMethod.Put, "limits", json);

        private static Task<ApiResult> GetLimitsAsync(TestEmulator emu) => emu.ControlAsync(HttpMethod.Get, "limits");

        private static string Unix(DateTimeOffset time) => time.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);

        [Fact]
        public async Task The_start_up_limits_are_read_back()
        {
            await using var emu = await TestEmulator.StartAsync();
            var limits = (await GetLimitsAsync(emu)).Json;
            Assert.Equal(1_000_000, limits.GetProperty("global").GetProperty("limit").GetInt32());
            Assert.Equal(1, limits.GetProperty("global").GetProperty("windowSeconds").GetDouble());
            Assert.Equal("per-key", limits.GetProperty("bucketing").GetString());
            Assert.Equal("all", limits.GetProperty("headers").GetString());
            Assert.Equal(0, limits.GetProperty("tiers").GetArrayLength());
        }

        [Fact]
        public async Task Limits_put_at_run_time_are_answered_read_back_and_applied()
        {
            var clock = new ManualClock(Start);
            await using var emu = await TestEmulator.StartAsync(o => o.TimeProvider = clock);

            var put = await PutLimitsAsync(emu, TieredLimits);
            Assert.Equal(200, put.StatusCode);
            var read = await GetLimitsAsync(emu);
            Assert.Equal(put.Body, read.Body);
            var limits = read.Json;
            Assert.Equal(500, limits.GetProperty("global").GetProperty("limit").GetInt32());
            Assert.Equal(30, limits.GetProperty("global").GetProperty("windowSeconds").GetDouble());
            Assert.Equal("per-ip", limits.GetProperty("bucketing").GetString());
            Assert.Equal("tiered-only", limits.GetProperty("headers").GetString());
            var tiers = limits.GetProperty("tiers").EnumerateArray().ToList();
            Assert.Equal(2, tiers.Count);
            Assert.Equal("reads", tiers[0].GetProperty("name").GetString());
            Assert.Equal(new[] { "ListPortfolios", "GetPortfolio" }, tiers[0].GetProperty("routes").EnumerateArray().Select(r => r.GetString()).ToArray());
            Assert.Equal(2, tiers[0].GetProperty("limit").GetInt32());
            Assert.Equal(60, tiers[0].GetProperty("windowSeconds").GetDouble());
            Assert.Equal("writes", tiers[1].GetProperty("name").GetString());

            // The timings show the same global window.
            var timings = (await emu.ControlAsync(HttpMethod.Get, "timings")).Json;
            Assert.Equal(500, timings.GetProperty("rateLimitPerWindow").GetInt32());
            Assert.Equal(30, timings.GetProperty("rateLimitWindowSeconds").GetDouble());

            var listed = await emu.GetAsync("v2/portfolios?limit=1");
            Assert.Equal("2", listed.Header("X-RateLimit-Limit"));
            Assert.Equal("1", listed.Header("X-RateLimit-Remaining"));
            Assert.Equal(Unix(Start.AddSeconds(60)), listed.Header("X-RateLimit-Reset"));
            Assert.Null((await emu.GetAsync("v2/whoami")).Header("X-RateLimit-Limit"));
            // per-ip: another key spends the same tier window.
            Assert.Equal("0", (await emu.GetAsync("v2/portfolios/pf_acme_0001", EmulatorDemoKeys.ReadOnly)).Header("X-RateLimit-Remaining"));
            Assert.Equal(429, (await emu.GetAsync("v2/portfolios?limit=1", EmulatorDemoKeys.OtherTenant)).StatusCode);
        }

        [Fact]
        public async Task A_partial_put_keeps_what_it_does_not_send_and_tiers_are_replaced_whole()
        {
            await using var emu = await TestEmulator.StartAsync();
            await PutLimitsAsync(emu, TieredLimits);

            var headersOnly = (await PutLimitsAsync(emu, "{\"headers\": \"all\", \"global\": {\"limit\": 7}}")).Json;
            Assert.Equal("all", headersOnly.GetProperty("headers").GetString());
            Assert.Equal(7, headersOnly.GetProperty("global").GetProperty("limit").GetInt32());
            Assert.Equal(30, headersOnly.GetProperty("global").GetProperty("windowSeconds").GetDouble());
            Assert.Equal("per-ip", headersOnly.GetProperty("bucketing").GetString());
            Assert.Equal(2, headersOnly.GetProperty("tiers").GetArrayLength());

            var oneTier = (await PutLimitsAsync(emu, "{\"tiers\": [{\"name\": \"ops\", \"routes\": [\"GetOperation\"], \"limit\": 9, \"windowSeconds\": 1.5}]}")).Json;
            Assert.Equal("ops", oneTier.GetProperty("tiers")[0].GetProperty("name").GetString());
            Assert.Equal(1, oneTier.GetProperty("tiers").GetArrayLength());

            var noTier = (await PutLimitsAsync(emu, "{\"tiers\": []}")).Json;
            Assert.Equal(0, noTier.GetProperty("tiers").GetArrayLength());
            Assert.Equal(7, noTier.GetProperty("global").GetProperty("limit").GetInt32());

            // The timings' fields still set the global window.
            await emu.SetTimingsAsync("{\"rateLimitPerWindow\": 11, \"rateLimitWindowSeconds\": 4}");
            var global = (await GetLimitsAsync(emu)).Json.GetProperty("global");
            Assert.Equal(11, global.GetProperty("limit").GetInt32());
            Assert.Equal(4, global.GetProperty("windowSeconds").GetDouble());
        }

        [Theory]
        [InlineData("[]")]
        [InlineData("nope")]
        [InlineData("{\"global\": 5}")]
        [InlineData("{\"global\": {\"limit\": 0}}")]
        [InlineData("{\"global\": {\"limit\": 2.5}}")]
        [InlineData("{\"global\": {\"windowSeconds\": 0}}")]
        [InlineData("{\"bucketing\": \"per-tenant\"}")]
        [InlineData("{\"headers\": true}")]
        [InlineData("{\"tiers\": {}}")]
        [InlineData("{\"tiers\": [{\"routes\": [\"Stop\"], \"limit\": 1, \"windowSeconds\": 1}]}")]
        [InlineData("{\"tiers\": [{\"name\": \"a\", \"limit\": 1, \"windowSeconds\": 1}]}")]
        [InlineData("{\"tiers\": [{\"name\": \"a\", \"routes\": [], \"limit\": 1, \"windowSeconds\": 1}]}")]
        [InlineData("{\"tiers\": [{\"name\": \"a\", \"routes\": [\"Stop\"], \"windowSeconds\": 1}]}")]
        [InlineData("{\"tiers\": [{\"name\": \"a\", \"routes\": [\"Stop\"], \"limit\": 1}]}")]
        [InlineData("{\"tiers\": [{\"name\": \"a\", \"routes\": [\"Stop\"], \"limit\": 0, \"windowSeconds\": 1}]}")]
        [InlineData("{\"tiers\": [{\"name\": \"a\", \"routes\": [\"Delete\"], \"limit\": 1, \"windowSeconds\": 1}]}")]
        [InlineData("{\"tiers\": [{\"name\": \"a\", \"routes\": [3], \"limit\": 1, \"windowSeconds\": 1}]}")]
        [InlineData("{\"tiers\": [{\"name\": \"Global\", \"routes\": [\"Stop\"], \"limit\": 1, \"windowSeconds\": 1}]}")]
        [InlineData("{\"tiers\": [{\"name\": \"a\", \"routes\": [\"Stop\"], \"limit\": 1, \"windowSeconds\": 1}, {\"name\": \"b\", \"routes\": [\"stop\"], \"limit\": 1, \"windowSeconds\": 1}]}")]
        [InlineData("{\"tiers\": [{\"name\": \"a\", \"routes\": [\"Stop\"], \"limit\": 1, \"windowSeconds\": 1}, {\"name\": \"A\", \"routes\": [\"Start\"], \"limit\": 1, \"windowSeconds\": 1}]}")]
        public async Task Bad_limits_are_400_and_change_nothing(string body)
        {
            await using var emu = await TestEmulator.StartAsync();
            await PutLimitsAsync(emu, TieredLimits);
            var before = (await GetLimitsAsync(emu)).Body;

            var refused = await PutLimitsAsync(emu, body);

            Assert.Equal(400, refused.StatusCode);
            Assert.Equal("API_400", refused.ErrorCode);
            Assert.Equal(before, (await GetLimitsAsync(emu)).Body);
        }

        [Fact]
        public async Task Reset_clears_the_windows_the_counts_and_the_run_time_limits()
        {
            var clock = new ManualClock(Start);
            await using var emu = await TestEmulator.StartAsync(o =>
            {
                o.TimeProvider = clock;
                o.RateLimitPerWindow = 3;
                o.RateLimitWindowSeconds = 60;
                o.RateLimitTiers.Add(new RateLimitTier { Name = "reads", Routes = { "GetPortfolio" }, Limit = 1, WindowSeconds = 60 });
            });
            var startUp = (await GetLimitsAsync(emu)).Body;

            Assert.Equal(200, (await emu.GetAsync("v2/portfolios/pf_acme_0001")).StatusCode);
            Assert.Equal(429, (await emu.GetAsync("v2/portfolios/pf_acme_0001")).StatusCode);
            Assert.Equal(200, (await emu.GetAsync("v2/whoami")).StatusCode);
            Assert.Equal(429, (await emu.GetAsync("v2/whoami")).StatusCode);
            await PutLimitsAsync(emu, "{\"headers\": \"tiered-only\", \"tiers\": []}");
            var counted = (await emu.StatsAsync()).Json.GetProperty("rateLimited");
            Assert.Equal(1, counted.GetProperty("reads").GetInt32());
            Assert.Equal(1, counted.GetProperty("global").GetInt32());

            Assert.Equal(200, (await emu.ControlAsync(HttpMethod.Post, "reset")).StatusCode);

            Assert.Equal(startUp, (await GetLimitsAsync(emu)).Body);
            Assert.Empty((await emu.StatsAsync()).Json.GetProperty("rateLimited").EnumerateObject());
            // Same instant, fresh windows: the tier and the global window start over.
            var again = await emu.GetAsync("v2/portfolios/pf_acme_0001");
            Assert.Equal(200, again.StatusCode);
            Assert.Equal("1", again.Header("X-RateLimit-Limit"));
            Assert.Equal("0", again.Header("X-RateLimit-Remaining"));
            var whoami = await emu.GetAsync("v2/whoami");
            Assert.Equal(200, whoami.StatusCode);
            Assert.Equal("3", whoami.Header("X-RateLimit-Limit"));
            Assert.Equal("1", whoami.Header("X-RateLimit-Remaining"));
            var log = await emu.RequestLogAsync(2);
            Assert.All(log, e => Assert.Equal(JsonValueKind.Null, e.GetProperty("rateLimitedBy").ValueKind));
        }
    }
}
