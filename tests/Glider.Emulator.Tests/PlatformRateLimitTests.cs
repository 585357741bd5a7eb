using System;
using System.Globalization;
using System.Threading.Tasks;
using Glider.Emulator.Tests.TestSupport;
using Xunit;

namespace Glider.Emulator.Tests
{
    public sealed class PlatformRateLimitTests
    {
        private static readonly DateTimeOffset Start = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);

        [Fact]
        public async Task Over_the_limit_the_platform_answers_429_in_its_own_shape()
        {
            var clock = new ManualClock(Start);
            await using var emu = await TestEmulator.StartAsync(o => o.TimeProvider = clock);
            var set = await emu.SetTimingsAsync("{\"rateLimitPerWindow\": 3, \"rateLimitWindowSeconds\": 60}");
            Assert.Equal(200, set.StatusCode);

            for (var i = 0; i < 3; i++)
            {
                var ok = await emu.GetAsync("v2/portfolios?limit=1");
                Assert.Equal(200, ok.StatusCode);
                Assert.Equal("3", ok.Header("X-RateLimit-Limit"));
                Assert.Equal((2 - i).ToString(CultureInfo.InvariantCulture), ok.Header("X-RateLimit-Remaining"));
                Assert.Equal(Start.AddSeconds(60).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture), ok.Header("X-RateLimit-Reset"));
            }

            clock.Advance(TimeSpan.FromSeconds(15.5));
            var limited = await emu.GetAsync("v2/portfolios?limit=1");

            Assert.Equal(429, limited.StatusCode);
            Assert.Equal("45", limited.Header("Retry-After"));
            Assert.Equal("Too Many Requests", limited.Json.GetProperty("error").GetString());
            Assert.False(string.IsNullOrEmpty(limited.Json.GetProperty("message").GetString()));
            Assert.Equal(45, limited.Json.GetProperty("retryAfter").GetInt32());
            Assert.Equal(limited.Header("X-Correlation-Id"), limited.Json.GetProperty("correlationId").GetString());
            Assert.Equal(limited.Header("X-Request-Id"), limited.Json.GetProperty("requestId").GetString());
            Assert.False(limited.Json.TryGetProperty("success", out _));
            Assert.Equal("0", limited.Header("X-RateLimit-Remaining"));

            var otherKey = await emu.GetAsync("v2/portfolios?limit=1", EmulatorDemoKeys.ReadOnly);
            Assert.Equal(200, otherKey.StatusCode);

            clock.Advance(TimeSpan.FromSeconds(45));
            Assert.Equal(200, (await emu.GetAsync("v2/portfolios?limit=1")).StatusCode);
        }

        [Fact]
        public async Task The_limiter_runs_before_authentication()
        {
            await using var emu = await TestEmulator.StartAsync(o =>
            {
                o.RateLimitPerWindow = 1;
                o.RateLimitWindowSeconds = 600;
            });
            Assert.Equal(401, (await emu.GetAsync("v2/whoami", "gldr_sk_unknown_a")).StatusCode);
            var limited = await emu.GetAsync("v2/whoami", "gldr_sk_unknown_b");
            Assert.Equal(429, limited.StatusCode);
            Assert.NotNull(limited.Header("Retry-After"));
        }

        [Fact]
        public async Task Every_v2_response_carries_the_rate_limit_headers()
        {
            await using var emu = await TestEmulator.StartAsync();
            foreach (var path in new[] { "v2/scopes", "v2/whoami", "v2/portfolios", "v2/portfolios/pf_acme_0001", "v2/portfolios/pf_nope" })
            {
                var result = await emu.GetAsync(path);
                Assert.NotNull(result.Header("X-RateLimit-Limit"));
                Assert.NotNull(result.Header("X-RateLimit-Remaining"));
                Assert.True(long.Parse(result.Header("X-RateLimit-Reset")!, CultureInfo.InvariantCulture) >= DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 1);
            }
        }
    }
}
