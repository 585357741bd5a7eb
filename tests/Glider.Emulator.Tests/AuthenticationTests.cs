using System.Linq;
using System.Net.Http;
using System.Threading.Tasks;
using Glider.Emulator.Tests.TestSupport;
using Xunit;

namespace Glider.Emulator.Tests
{
    public sealed class AuthenticationTests
    {
        [Fact]
        public async Task A_request_without_a_key_is_401_API_101()
        {
            await using var emu = await TestEmulator.StartAsync();
            var result = await emu.GetAsync("v2/portfolios", key: null);
            Assert.Equal(401, result.StatusCode);
            Assert.False(result.Json.GetProperty("success").GetBoolean());
            Assert.Equal("API_101", result.ErrorCode);
            Assert.False(string.IsNullOrEmpty(result.Json.GetProperty("error").GetProperty("message").GetString()));
        }

        [Fact]
        public async Task An_empty_key_header_counts_as_no_key()
        {
            await using var emu = await TestEmulator.StartAsync();
            var result = await emu.GetAsync("v2/whoami", key: string.Empty);
            Assert.Equal(401, result.StatusCode);
            Assert.Equal("API_101", result.ErrorCode);
        }

        [Theory]
        [InlineData("gldr_sk_not_a_real_key_000000000")]
        [InlineData("something-else")]
        public async Task An_unknown_key_is_401_API_102(string key)
        {
            await using var emu = await TestEmulator.StartAsync();
            var result = await emu.GetAsync("v2/portfolios/pf_acme_0001", key);
            Assert.Equal(401, result.StatusCode);
            Assert.Equal("API_102", result.ErrorCode);
        }

        [Theory]
        [InlineData("GET", "v2/whoami")]
        [InlineData("GET", "v2/portfolios")]
        [InlineData("GET", "v2/portfolios/pf_acme_0001")]
        [InlineData("POST", "v2/portfolios/pf_acme_0001/rebalance")]
        [InlineData("POST", "v2/portfolios/pf_acme_0001/stop")]
        public async Task The_expired_key_is_401_API_103_everywhere(string method, string path)
        {
            await using var emu = await TestEmulator.StartAsync();
            var result = await emu.SendAsync(new HttpMethod(method), path, EmulatorDemoKeys.Expired);
            Assert.Equal(401, result.StatusCode);
            Assert.Equal("API_103", result.ErrorCode);
        }

        [Theory]
        [InlineData(EmulatorDemoKeys.ReadWrite, "Acme Capital", "key_demo_rw", "portfolios:read,portfolios:write,strategies:read")]
        [InlineData(EmulatorDemoKeys.ReadOnly, "Acme Capital", "key_demo_ro", "portfolios:read")]
        [InlineData(EmulatorDemoKeys.OtherTenant, "Borealis Treasury", "key_demo_t2", "portfolios:read,portfolios:write")]
        [InlineData("gldr_sk_extra_00_0000000000000000", "Acme Capital", "key_extra_00", "portfolios:read,portfolios:write")]
        [InlineData("gldr_sk_extra_49_0000000000000000", "Acme Capital", "key_extra_49", "portfolios:read,portfolios:write")]
        public async Task Whoami_describes_the_key(string key, string tenant, string keyId, string scopes)
        {
            await using var emu = await TestEmulator.StartAsync();
            var result = await emu.GetAsync("v2/whoami", key);
            Assert.Equal(200, result.StatusCode);
            Assert.True(result.Json.GetProperty("success").GetBoolean());
            Assert.Equal(tenant, result.Data.GetProperty("tenantName").GetString());
            Assert.Contains("@", result.Data.GetProperty("tenantEmail").GetString());
            Assert.Equal(keyId, result.Data.GetProperty("apiKeyId").GetString());
            Assert.Equal(scopes, string.Join(",", result.Data.GetProperty("scopes").EnumerateArray().Select(s => s.GetString())));
        }

        [Fact]
        public void The_public_extra_key_helper_matches_the_readme()
        {
            Assert.Equal("gldr_sk_extra_07_0000000000000000", EmulatorDemoKeys.Extra(7));
            Assert.Throws<System.ArgumentOutOfRangeException>(() => EmulatorDemoKeys.Extra(50));
        }

        [Fact]
        public async Task Scopes_are_listed_without_a_key()
        {
            await using var emu = await TestEmulator.StartAsync();
            var result = await emu.GetAsync("v2/scopes", key: null);
            Assert.Equal(200, result.StatusCode);
            var scopes = result.Data.GetProperty("scopes").EnumerateArray().ToList();
            Assert.Equal(
                new[] { "enroll:write", "portfolios:read", "portfolios:write", "strategies:read", "strategies:write" },
                scopes.Select(s => s.GetProperty("name").GetString()).OrderBy(n => n, System.StringComparer.Ordinal).ToArray());
            Assert.All(scopes, s =>
            {
                Assert.False(string.IsNullOrEmpty(s.GetProperty("description").GetString()));
                Assert.False(string.IsNullOrEmpty(s.GetProperty("tier").GetString()));
            });
        }

        [Theory]
        [InlineData("rebalance")]
        [InlineData("stop")]
        [InlineData("start")]
        public async Task A_read_only_key_gets_403_API_104_on_writes_and_changes_nothing(string action)
        {
            await using var emu = await TestEmulator.StartAsync();
            var portfolio = action == "start" ? "pf_acme_0005" : "pf_acme_0001";
            var before = await emu.GetAsync("v2/portfolios/" + portfolio, EmulatorDemoKeys.ReadOnly);

            var result = await emu.PostAsync($"v2/portfolios/{portfolio}/{action}", EmulatorDemoKeys.ReadOnly);

            Assert.Equal(403, result.StatusCode);
            Assert.Equal("API_104", result.ErrorCode);
            var after = await emu.GetAsync("v2/portfolios/" + portfolio, EmulatorDemoKeys.ReadOnly);
            Assert.Equal(before.Body, after.Body);
            var stats = await emu.StatsAsync();
            Assert.Empty(stats.Json.GetProperty("rebalancesStarted").EnumerateObject());
        }

        [Fact]
        public async Task A_read_only_key_can_read()
        {
            await using var emu = await TestEmulator.StartAsync();
            Assert.Equal(200, (await emu.GetAsync("v2/portfolios", EmulatorDemoKeys.ReadOnly)).StatusCode);
            Assert.Equal(200, (await emu.GetAsync("v2/portfolios/pf_acme_0001", EmulatorDemoKeys.ReadOnly)).StatusCode);
        }

        [Fact]
        public async Task Key_header_name_is_case_insensitive()
        {
            await using var emu = await TestEmulator.StartAsync();
            var result = await emu.SendAsync(HttpMethod.Get, "v2/whoami", null, adjust: r => r.Headers.TryAddWithoutValidation("X-API-KEY", EmulatorDemoKeys.ReadOnly));
            Assert.Equal(200, result.StatusCode);
        }
    }
}
