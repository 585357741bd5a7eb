using System;
using System.Globalization;
using System.Linq;
using System.Net.Http;
using System.Threading.Tasks;
using Glider.Emulator.Tests.TestSupport;
using Xunit;

namespace Glider.Emulator.Tests
{
    /// <summary>The platform limiter's two layers: the global window and the tiers' shared windows.</summary>
    public sealed class RateLimitTierTests
    {
        private static readonly DateTimeOffset Start = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);

        private static string Unix(DateTimeOffset time) => time.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);

        private static RateLimitTier Tier(string name, int limit, double windowSeconds, params string[] routes) =>
            new() { Name = name, Routes = routes.ToList(), Limit = limit, WindowSeconds = windowSeconds };

        private static void AssertWindow(ApiResult result, int limit, int remaining, DateTimeOffset reset)
        {
            Assert.Equal(limit.ToString(CultureInfo.InvariantCulture), result.Header("X-RateLimit-Limit"));
            Assert.Equal(remaining.ToString(CultureInfo.InvariantCulture), result.Header("X-RateLimit-Remaining"));
            Assert.Equal(Unix(reset), result.Header("X-RateLimit-Reset"));
        }

        private static void AssertNoRateLimitHeaders(ApiResult result)
        {
            Assert.Null(result.Header("X-RateLimit-Limit"));
            Assert.Null(result.Header("X-RateLimit-Remaining"));
            Assert.Null(result.Header("X-RateLimit-Reset"));
        }

        [Fact]
        public async Task The_routes_of_a_tier_share_one_counter_that_other_routes_do_not_touch()
        {
            var clock = new ManualClock(Start);
            await using var emu = await TestEmulator.StartAsync(o =>
            {
                o.TimeProvider = clock;
                o.RateLimitTiers.Add(Tier("reads", 3, 60, "ListPortfolios", "GetPortfolio"));
                o.RateLimitTiers.Add(Tier("writes", 1, 60, "Rebalance"));
            });

            AssertWindow(await emu.GetAsync("v2/portfolios?limit=1"), 3, 2, Start.AddSeconds(60));
            AssertWindow(await emu.GetAsync("v2/portfolios/pf_acme_0001"), 3, 1, Start.AddSeconds(60));
            // A 404 of a tiered route is still that route's answer, and counts.
            var missing = await emu.GetAsync("v2/portfolios/pf_nope");
            Assert.Equal(404, missing.StatusCode);
            AssertWindow(missing, 3, 0, Start.AddSeconds(60));

            clock.Advance(TimeSpan.FromSeconds(20));
            var refused = await emu.GetAsync("v2/portfolios?limit=1");
            Assert.Equal(429, refused.StatusCode);
            Assert.Equal("Too Many Requests", refused.Json.GetProperty("error").GetString());
            Assert.Equal(40, refused.Json.GetProperty("retryAfter").GetInt32());
            Assert.Equal("40", refused.Header("Retry-After"));
            AssertWindow(refused, 3, 0, Start.AddSeconds(60));

            // Routes in another tier, or in none, still pass while the reads are used up.
            Assert.Equal(200, (await emu.GetAsync("v2/whoami")).StatusCode);
            var rebalance = await emu.PostAsync("v2/portfolios/pf_acme_0002/rebalance");
            Assert.Equal(202, rebalance.StatusCode);
            AssertWindow(rebalance, 1, 0, Start.AddSeconds(80));
            var operationId = Uri.EscapeDataString(rebalance.Data.GetProperty("operationId").GetString()!);
            Assert.Equal(200, (await emu.GetAsync($"v2/portfolios/pf_acme_0002/operations/{operationId}")).StatusCode);

            clock.Advance(TimeSpan.FromSeconds(40));
            AssertWindow(await emu.GetAsync("v2/portfolios/pf_acme_0003"), 3, 2, Start.AddSeconds(120));

            var log = await emu.RequestLogAsync(8);
            var refusedEntry = log.Single(e => e.GetProperty("requestId").GetString() == refused.Header("X-Request-Id"));
            Assert.Equal("reads", refusedEntry.GetProperty("rateLimitedBy").GetString());
            Assert.Equal(1, log.Count(e => e.GetProperty("rateLimitedBy").ValueKind != System.Text.Json.JsonValueKind.Null));
            var stats = (await emu.StatsAsync()).Json.GetProperty("rateLimited");
            Assert.Equal(1, stats.GetProperty("reads").GetInt32());
            Assert.False(stats.TryGetProperty("global", out _));
            Assert.False(stats.TryGetProperty("writes", out _));
        }

        [Fact]
        public async Task A_tiered_answer_reports_whichever_window_has_fewer_requests_left()
        {
            var clock = new ManualClock(Start);
            await using var emu = await TestEmulator.StartAsync(o =>
            {
                o.TimeProvider = clock;
                o.RateLimitPerWindow = 6;
                o.RateLimitWindowSeconds = 60;
                o.RateLimitTiers.Add(Tier("reads", 5, 30, "GetPortfolio"));
            });

            // Tier 4 left, global 5 left: the tier's.
            AssertWindow(await emu.GetAsync("v2/portfolios/pf_acme_0001"), 5, 4, Start.AddSeconds(30));
            // A route in no tier reports the global window (header scope "all", the default).
            AssertWindow(await emu.GetAsync("v2/whoami"), 6, 4, Start.AddSeconds(60));
            AssertWindow(await emu.GetAsync("v2/scopes"), 6, 3, Start.AddSeconds(60));
            AssertWindow(await emu.GetAsync("v2/whoami"), 6, 2, Start.AddSeconds(60));
            // Tier 3 left, global 1 left: the global's.
            AssertWindow(await emu.GetAsync("v2/portfolios/pf_acme_0001"), 6, 1, Start.AddSeconds(60));
        }

        [Fact]
        public async Task On_a_tie_the_tier_window_is_reported()
        {
            var clock = new ManualClock(Start);
            await using var emu = await TestEmulator.StartAsync(o =>
            {
                o.TimeProvider = clock;
                o.RateLimitPerWindow = 3;
                o.RateLimitWindowSeconds = 60;
                o.RateLimitTiers.Add(Tier("reads", 3, 30, "GetPortfolio"));
            });

            AssertWindow(await emu.GetAsync("v2/portfolios/pf_acme_0001"), 3, 2, Start.AddSeconds(30));
        }

        [Fact]
        public async Task With_tiered_only_headers_routes_in_no_tier_send_none()
        {
            var clock = new ManualClock(Start);
            await using var emu = await TestEmulator.StartAsync(o =>
            {
                o.TimeProvider = clock;
                o.RateLimitHeaderScope = RateLimitHeaderScope.TieredOnly;
                o.RateLimitTiers.Add(Tier("reads", 10, 60, "ListPortfolios", "GetPortfolio"));
            });

            AssertWindow(await emu.GetAsync("v2/portfolios/pf_acme_0001"), 10, 9, Start.AddSeconds(60));
            AssertWindow(await emu.GetAsync("v2/portfolios/pf_acme_0001", null), 10, 9, Start.AddSeconds(60));
            foreach (var path in new[] { "v2/whoami", "v2/scopes", "v2/nowhere", "elsewhere" })
            {
                var result = await emu.GetAsync(path);
                Assert.NotNull(result.Header("X-Request-Id"));
                AssertNoRateLimitHeaders(result);
            }
            var wrongMethod = await emu.SendAsync(HttpMethod.Delete, "v2/portfolios", EmulatorDemoKeys.ReadWrite);
            Assert.Equal(405, wrongMethod.StatusCode);
            AssertNoRateLimitHeaders(wrongMethod);

            // Rebalance is in no tier, but its cooldown 429 keeps describing the cooldown.
            var accepted = await emu.PostAsync("v2/portfolios/pf_acme_0004/rebalance");
            Assert.Equal(202, accepted.StatusCode);
            AssertNoRateLimitHeaders(accepted);
            clock.Advance(TimeSpan.FromSeconds(1));
            var cooldown = await emu.PostAsync("v2/portfolios/pf_acme_0004/rebalance");
            Assert.Equal(429, cooldown.StatusCode);
            Assert.Equal("API_004", cooldown.ErrorCode);
            Assert.Equal("1", cooldown.Header("X-RateLimit-Limit"));
            Assert.Equal("0", cooldown.Header("X-RateLimit-Remaining"));
            var log = await emu.RequestLogAsync(9);
            Assert.All(log, e => Assert.Equal(System.Text.Json.JsonValueKind.Null, e.GetProperty("rateLimitedBy").ValueKind));
        }

        [Fact]
        public async Task A_global_429_carries_the_global_window_and_its_retry_after_even_on_a_tiered_route()
        {
            var clock = new ManualClock(Start);
            await using var emu = await TestEmulator.StartAsync(o =>
            {
                o.TimeProvider = clock;
                o.RateLimitPerWindow = 2;
                o.RateLimitWindowSeconds = 60;
                o.RateLimitHeaderScope = RateLimitHeaderScope.TieredOnly;
                o.RateLimitTiers.Add(Tier("reads", 100, 10, "GetPortfolio"));
            });

            clock.Advance(TimeSpan.FromSeconds(5));
            // One left globally, 99 in the tier: the tighter is the global window.
            AssertWindow(await emu.GetAsync("v2/portfolios/pf_acme_0001"), 2, 1, Start.AddSeconds(65));
            AssertNoRateLimitHeaders(await emu.GetAsync("v2/whoami"));

            clock.Advance(TimeSpan.FromSeconds(12));
            var tiered = await emu.GetAsync("v2/portfolios/pf_acme_0001");
            Assert.Equal(429, tiered.StatusCode);
            Assert.Equal("48", tiered.Header("Retry-After"));
            Assert.Equal(48, tiered.Json.GetProperty("retryAfter").GetInt32());
            AssertWindow(tiered, 2, 0, Start.AddSeconds(65));

            // An untiered route refused by the global layer reports it too, whatever the header scope.
            var untiered = await emu.GetAsync("v2/whoami");
            Assert.Equal(429, untiered.StatusCode);
            AssertWindow(untiered, 2, 0, Start.AddSeconds(65));

            var log = await emu.RequestLogAsync(4);
            Assert.Equal(new[] { null, null, "global", "global" }, log.Select(e => e.GetProperty("rateLimitedBy").GetString()).ToArray());
            var stats = (await emu.StatsAsync()).Json.GetProperty("rateLimited");
            Assert.Equal(2, stats.GetProperty("global").GetInt32());
            Assert.False(stats.TryGetProperty("reads", out _));

            clock.Advance(TimeSpan.FromSeconds(48));
            AssertWindow(await emu.GetAsync("v2/portfolios/pf_acme_0001"), 2, 1, Start.AddSeconds(125));
        }

        [Fact]
        public async Task A_request_the_tier_refuses_still_counts_in_the_global_window()
        {
            var clock = new ManualClock(Start);
            await using var emu = await TestEmulator.StartAsync(o =>
            {
                o.TimeProvider = clock;
                o.RateLimitPerWindow = 3;
                o.RateLimitWindowSeconds = 60;
                o.RateLimitTiers.Add(Tier("reads", 1, 60, "GetPortfolio"));
            });

            Assert.Equal(200, (await emu.GetAsync("v2/portfolios/pf_acme_0001")).StatusCode);
            Assert.Equal(429, (await emu.GetAsync("v2/portfolios/pf_acme_0001")).StatusCode);
            AssertWindow(await emu.GetAsync("v2/whoami"), 3, 0, Start.AddSeconds(60));
            var refused = await emu.GetAsync("v2/whoami");
            Assert.Equal(429, refused.StatusCode);

            var stats = (await emu.StatsAsync()).Json.GetProperty("rateLimited");
            Assert.Equal(1, stats.GetProperty("reads").GetInt32());
            Assert.Equal(1, stats.GetProperty("global").GetInt32());
        }

        [Fact]
        public async Task Per_key_buckets_keep_keys_apart()
        {
            var clock = new ManualClock(Start);
            await using var emu = await TestEmulator.StartAsync(o =>
            {
                o.TimeProvider = clock;
                o.RateLimitTiers.Add(Tier("reads", 1, 60, "ListPortfolios"));
            });

            Assert.Equal(200, (await emu.GetAsync("v2/portfolios?limit=1", EmulatorDemoKeys.ReadWrite)).StatusCode);
            Assert.Equal(429, (await emu.GetAsync("v2/portfolios?limit=1", EmulatorDemoKeys.ReadWrite)).StatusCode);
            Assert.Equal(200, (await emu.GetAsync("v2/portfolios?limit=1", EmulatorDemoKeys.ReadOnly)).StatusCode);
            Assert.Equal(200, (await emu.GetAsync("v2/portfolios?limit=1", EmulatorDemoKeys.OtherTenant)).StatusCode);
        }

        [Fact]
        public async Task Per_ip_buckets_make_every_local_client_share_the_windows()
        {
            var clock = new ManualClock(Start);
            await using var emu = await TestEmulator.StartAsync(o =>
            {
                o.TimeProvider = clock;
                o.RateLimitBucketing = RateLimitBucketing.PerIp;
                o.RateLimitPerWindow = 4;
                o.RateLimitWindowSeconds = 60;
                o.RateLimitTiers.Add(Tier("reads", 1, 60, "ListPortfolios"));
            });

            Assert.Equal(200, (await emu.GetAsync("v2/portfolios?limit=1", EmulatorDemoKeys.ReadWrite)).StatusCode);
            var otherKey = await emu.GetAsync("v2/portfolios?limit=1", EmulatorDemoKeys.ReadOnly);
            Assert.Equal(429, otherKey.StatusCode);
            AssertWindow(otherKey, 1, 0, Start.AddSeconds(60));

            // The global window is shared as well: by other keys, no key, and another connection.
            AssertWindow(await emu.GetAsync("v2/whoami", EmulatorDemoKeys.OtherTenant), 4, 1, Start.AddSeconds(60));
            var raw = await RawHttp.SendAsync(emu.BaseUri, "GET", "/v2/scopes", null);
            Assert.Equal(200, raw.Status);
            var anonymous = await emu.GetAsync("v2/scopes", null);
            Assert.Equal(429, anonymous.StatusCode);
            AssertWindow(anonymous, 4, 0, Start.AddSeconds(60));
        }
    }
}
