using System.Linq;
using System.Net.Http;
using System.Text.Json;
using System.Threading.Tasks;
using Glider.Emulator.Tests.TestSupport;
using Xunit;

namespace Glider.Emulator.Tests
{
    public sealed class PortfolioDetailTests
    {
        [Fact]
        public async Task A_portfolio_has_the_list_fields_plus_strategyVersion_and_updatedAt()
        {
            await using var emu = await TestEmulator.StartAsync();
            var result = await emu.GetAsync("v2/portfolios/pf_acme_0001");
            Assert.Equal(200, result.StatusCode);
            Assert.StartsWith("application/json", result.Header("Content-Type"));
            var p = result.Data;
            Assert.Equal("pf_acme_0001", p.GetProperty("portfolioId").GetString());
            Assert.Equal("strat_balanced", p.GetProperty("strategyId").GetString());
            Assert.False(string.IsNullOrEmpty(p.GetProperty("strategyName").GetString()));
            Assert.False(string.IsNullOrEmpty(p.GetProperty("strategyDescription").GetString()));
            Assert.Equal(JsonValueKind.Number, p.GetProperty("strategyVersion").ValueKind);
            Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$", p.GetProperty("updatedAt").GetString());
            Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$", p.GetProperty("createdAt").GetString());
            Assert.StartsWith("eip155:", p.GetProperty("smartAccounts").EnumerateArray().Single().GetProperty("accountId").GetString());
            var schedule = p.GetProperty("schedule");
            Assert.Equal("active", schedule.GetProperty("status").GetString());
            Assert.False(string.IsNullOrEmpty(schedule.GetProperty("frequency").GetString()));
            Assert.True(schedule.GetProperty("intervalMs").GetInt64() > 0);
            Assert.Equal(JsonValueKind.String, schedule.GetProperty("nextDueAt").ValueKind);
            Assert.Equal(JsonValueKind.String, schedule.GetProperty("lastRebalanceAt").ValueKind);
        }

        [Fact]
        public async Task Every_25th_portfolio_has_no_schedule_and_every_5th_is_paused()
        {
            await using var emu = await TestEmulator.StartAsync();
            Assert.Equal(JsonValueKind.Null, (await emu.GetAsync("v2/portfolios/pf_acme_0025")).Data.GetProperty("schedule").ValueKind);
            var paused = (await emu.GetAsync("v2/portfolios/pf_acme_0005")).Data.GetProperty("schedule");
            Assert.Equal("paused", paused.GetProperty("status").GetString());
            Assert.Equal(JsonValueKind.Null, paused.GetProperty("nextDueAt").ValueKind);
        }

        [Theory]
        [InlineData("GET", "")]
        [InlineData("POST", "/rebalance")]
        [InlineData("POST", "/stop")]
        [InlineData("POST", "/start")]
        [InlineData("GET", "/operations/rebalance%3Ax")]
        public async Task Another_tenants_portfolio_is_indistinguishable_from_a_missing_one(string method, string suffix)
        {
            await using var emu = await TestEmulator.StartAsync();
            var missing = await emu.SendAsync(new HttpMethod(method), "v2/portfolios/pf_acme_9999" + suffix, EmulatorDemoKeys.ReadWrite);
            var foreign = await emu.SendAsync(new HttpMethod(method), "v2/portfolios/pf_boreal_0001" + suffix, EmulatorDemoKeys.ReadWrite);
            var foreignFromOtherSide = await emu.SendAsync(new HttpMethod(method), "v2/portfolios/pf_acme_0001" + suffix, EmulatorDemoKeys.OtherTenant);

            Assert.Equal(404, missing.StatusCode);
            Assert.Equal("API_006", missing.ErrorCode);
            Assert.Equal(missing.Body, foreign.Body);
            Assert.Equal(missing.Body, foreignFromOtherSide.Body);
            Assert.Equal(foreign.StatusCode, foreignFromOtherSide.StatusCode);
            Assert.Equal(missing.Header("Content-Type"), foreign.Header("Content-Type"));
            Assert.Equal(missing.Header("Content-Length"), foreign.Header("Content-Length"));

            var stats = await emu.StatsAsync();
            Assert.Empty(stats.Json.GetProperty("rebalancesStarted").EnumerateObject());
        }

        [Fact]
        public async Task The_owning_tenant_sees_its_portfolio()
        {
            await using var emu = await TestEmulator.StartAsync();
            var result = await emu.GetAsync("v2/portfolios/pf_boreal_0001", EmulatorDemoKeys.OtherTenant);
            Assert.Equal(200, result.StatusCode);
        }

        [Theory]
        [InlineData("pf%20acme")]
        [InlineData("pf%7Fx")]
        [InlineData("%C3%A9t%C3%A9")]
        public async Task A_path_id_that_cannot_be_an_id_is_400_API_002(string rawId)
        {
            await using var emu = await TestEmulator.StartAsync();
            var exchange = await RawHttp.SendAsync(emu.BaseUri, "GET", "/v2/portfolios/" + rawId, EmulatorDemoKeys.ReadWrite);
            Assert.Equal(400, exchange.Status);
            Assert.Contains("\"API_002\"", exchange.Body);
        }

        [Fact]
        public async Task Unknown_routes_and_wrong_methods_answer_in_the_envelope()
        {
            await using var emu = await TestEmulator.StartAsync();
            var unknown = await emu.GetAsync("v2/nothing-here");
            Assert.Equal(404, unknown.StatusCode);
            Assert.Equal("API_200", unknown.ErrorCode);

            var outside = await emu.GetAsync("favicon.ico", key: null);
            Assert.Equal(404, outside.StatusCode);
            Assert.Equal("API_200", outside.ErrorCode);

            var wrongMethod = await emu.SendAsync(HttpMethod.Delete, "v2/portfolios/pf_acme_0001", EmulatorDemoKeys.ReadWrite);
            Assert.Equal(405, wrongMethod.StatusCode);
            Assert.Equal("GET", wrongMethod.Header("Allow"));
            Assert.False(wrongMethod.Json.GetProperty("success").GetBoolean());
        }
    }
}
