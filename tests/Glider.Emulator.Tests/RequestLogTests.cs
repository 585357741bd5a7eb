using System;
using System.Linq;
using System.Net.Http;
using System.Text.Json;
using System.Threading.Tasks;
using Glider.Emulator.Tests.TestSupport;
using Xunit;

namespace Glider.Emulator.Tests
{
    public sealed class RequestLogTests
    {
        [Fact]
        public async Task An_entry_records_the_request_as_sent_without_the_key()
        {
            await using var emu = await TestEmulator.StartAsync(o => o.OperationMs = 60_000);
            var operationId = (await emu.PostAsync("v2/portfolios/pf_acme_0001/rebalance")).Data.GetProperty("operationId").GetString()!;
            var onTheWire = "/v2/portfolios/pf_acme_0001/operations/" + operationId.Replace("%", "%25", StringComparison.Ordinal);
            var exchange = await RawHttp.SendAsync(emu.BaseUri, "GET", onTheWire, EmulatorDemoKeys.ReadWrite, "User-Agent: GliderPS/0.1.0 (test)\r\n");
            Assert.Equal(200, exchange.Status);

            var log = await emu.RequestLogAsync(2);
            Assert.Equal(2, log.Count);
            Assert.Equal("POST", log[0].GetProperty("method").GetString());
            var entry = log[1];
            Assert.Equal("GET", entry.GetProperty("method").GetString());
            Assert.Equal(onTheWire, entry.GetProperty("rawTarget").GetString());
            Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$", entry.GetProperty("time").GetString());
            var headerNames = entry.GetProperty("headerNames").EnumerateArray().Select(h => h.GetString()).ToList();
            Assert.Contains("x-api-key", headerNames);
            Assert.Contains("user-agent", headerNames);
            Assert.Contains("host", headerNames);
            Assert.All(headerNames, h => Assert.Equal(h!.ToLowerInvariant(), h));
            Assert.True(entry.GetProperty("apiKeyPresent").GetBoolean());
            Assert.Equal("key_demo_rw", entry.GetProperty("apiKeyId").GetString());
            Assert.Equal("GliderPS/0.1.0 (test)", entry.GetProperty("userAgent").GetString());
            Assert.Equal(200, entry.GetProperty("status").GetInt32());
            Assert.Equal(JsonValueKind.Null, entry.GetProperty("fault").ValueKind);
            Assert.False(string.IsNullOrEmpty(entry.GetProperty("connectionId").GetString()));
            Assert.NotEqual(log[0].GetProperty("connectionId").GetString(), entry.GetProperty("connectionId").GetString());
        }

        [Fact]
        public async Task No_key_ever_appears_in_the_log()
        {
            await using var emu = await TestEmulator.StartAsync();
            var keys = new[]
            {
                EmulatorDemoKeys.ReadWrite, EmulatorDemoKeys.ReadOnly, EmulatorDemoKeys.OtherTenant, EmulatorDemoKeys.Expired,
                EmulatorDemoKeys.Extra(12), "gldr_sk_secret_that_is_not_known_1234",
            };
            foreach (var key in keys)
            {
                await emu.GetAsync("v2/whoami", key);
                await emu.PostAsync("v2/portfolios/pf_acme_0001/stop", key);
                await emu.GetAsync("v2/portfolios?note=" + Uri.EscapeDataString(key), key);
            }
            await emu.AddFaultAsync("{\"kind\":\"status\",\"status\":500,\"count\":1}");
            await emu.GetAsync("v2/whoami", EmulatorDemoKeys.ReadWrite);

            await emu.RequestLogAsync(keys.Length * 3 + 1);
            var log = await emu.RequestLogAsync();
            Assert.Equal(keys.Length * 3 + 1, log.Json.GetArrayLength());
            foreach (var key in keys)
            {
                Assert.DoesNotContain(key, log.Body, StringComparison.Ordinal);
                Assert.DoesNotContain(key.Substring(8), log.Body, StringComparison.Ordinal);
            }
            Assert.DoesNotContain("gldr_sk_", log.Body, StringComparison.Ordinal);
        }

        [Fact]
        public async Task The_key_id_is_known_unknown_or_absent()
        {
            await using var emu = await TestEmulator.StartAsync();
            await emu.GetAsync("v2/whoami", EmulatorDemoKeys.ReadOnly);
            await emu.GetAsync("v2/whoami", "gldr_sk_who_knows");
            await emu.GetAsync("v2/whoami", null);

            var log = await emu.RequestLogAsync(3);
            Assert.Equal("key_demo_ro", log[0].GetProperty("apiKeyId").GetString());
            Assert.Equal("unknown", log[1].GetProperty("apiKeyId").GetString());
            Assert.True(log[1].GetProperty("apiKeyPresent").GetBoolean());
            Assert.Equal(JsonValueKind.Null, log[2].GetProperty("apiKeyId").ValueKind);
            Assert.False(log[2].GetProperty("apiKeyPresent").GetBoolean());
            Assert.Equal(401, log[2].GetProperty("status").GetInt32());
        }

        [Fact]
        public async Task Entries_carry_the_response_ids_and_faults()
        {
            await using var emu = await TestEmulator.StartAsync();
            await emu.AddFaultAsync("{\"kind\":\"nonjson\",\"count\":1}");
            var response = await emu.GetAsync("v2/whoami");
            var entry = (await emu.RequestLogAsync(1)).Single();
            Assert.Equal(response.Header("X-Request-Id"), entry.GetProperty("requestId").GetString());
            Assert.Equal(response.Header("X-Correlation-Id"), entry.GetProperty("correlationId").GetString());
            Assert.Equal("nonjson", entry.GetProperty("fault").GetString());
            Assert.Equal(502, entry.GetProperty("status").GetInt32());
        }

        [Fact]
        public async Task Control_routes_are_not_logged_and_the_log_can_be_cleared()
        {
            await using var emu = await TestEmulator.StartAsync();
            await emu.StatsAsync();
            await emu.SetTimingsAsync("{}");
            Assert.Equal(0, (await emu.RequestLogAsync()).Json.GetArrayLength());

            await emu.GetAsync("v2/whoami");
            Assert.Equal(1, (await emu.RequestLogAsync()).Json.GetArrayLength());
            Assert.Equal(200, (await emu.ControlAsync(HttpMethod.Delete, "requests")).StatusCode);
            Assert.Equal(0, (await emu.RequestLogAsync()).Json.GetArrayLength());
        }

        [Fact]
        public async Task The_log_keeps_only_the_newest_entries_up_to_its_capacity()
        {
            await using var emu = await TestEmulator.StartAsync(o => o.RequestLogCapacity = 5);
            for (var i = 1; i <= 8; i++)
            {
                await emu.GetAsync("v2/portfolios?limit=" + i);
            }

            var log = (await emu.RequestLogAsync()).Json.EnumerateArray().ToList();
            Assert.Equal(
                new[] { "/v2/portfolios?limit=4", "/v2/portfolios?limit=5", "/v2/portfolios?limit=6", "/v2/portfolios?limit=7", "/v2/portfolios?limit=8" },
                log.Select(e => e.GetProperty("rawTarget").GetString()).ToArray());
            Assert.Equal(8, (await emu.StatsAsync()).Json.GetProperty("requests").GetInt32());
        }
    }
}
