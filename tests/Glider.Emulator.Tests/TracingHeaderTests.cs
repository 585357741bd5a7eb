using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using System.Threading.Tasks;
using Glider.Emulator.Tests.TestSupport;
using Xunit;

namespace Glider.Emulator.Tests
{
    public sealed class TracingHeaderTests
    {
        [Fact]
        public async Task Every_kind_of_response_carries_both_tracing_headers()
        {
            await using var emu = await TestEmulator.StartAsync(o => o.CooldownSeconds = 600);
            var results = new List<(string What, ApiResult Result)>();
            async Task Record(string what, Task<ApiResult> call) => results.Add((what, await call));

            await Record("200 list", emu.GetAsync("v2/portfolios"));
            await Record("200 scopes without key", emu.GetAsync("v2/scopes", null));
            await Record("202 rebalance", emu.PostAsync("v2/portfolios/pf_acme_0001/rebalance"));
            await Record("400 bad limit", emu.GetAsync("v2/portfolios?limit=0"));
            await Record("400 no schedule", emu.PostAsync("v2/portfolios/pf_acme_0025/stop"));
            await Record("401 missing", emu.GetAsync("v2/portfolios", null));
            await Record("401 invalid", emu.GetAsync("v2/portfolios", "gldr_sk_bogus"));
            await Record("401 expired", emu.GetAsync("v2/portfolios", EmulatorDemoKeys.Expired));
            await Record("403 scope", emu.PostAsync("v2/portfolios/pf_acme_0001/stop", EmulatorDemoKeys.ReadOnly));
            await Record("404 portfolio", emu.GetAsync("v2/portfolios/pf_acme_9999"));
            await Record("404 unknown route", emu.GetAsync("v2/unknown"));
            await Record("404 outside v2", emu.GetAsync("", null));
            await Record("405", emu.SendAsync(HttpMethod.Put, "v2/portfolios", EmulatorDemoKeys.ReadWrite));
            await Record("control stats", emu.StatsAsync());
            await Record("control 404", emu.ControlAsync(HttpMethod.Get, "nope"));
            await Record("control 400", emu.ControlAsync(HttpMethod.Post, "faults", "{}"));

            // Cooldown 429: let a short run finish first.
            await emu.SetTimingsAsync("{\"operationMs\": 1}");
            await emu.PostAsync("v2/portfolios/pf_acme_0002/rebalance");
            await Task.Delay(50);
            await Record("429 cooldown", emu.PostAsync("v2/portfolios/pf_acme_0002/rebalance"));

            await emu.AddFaultAsync("{\"kind\":\"status\",\"status\":503,\"count\":1,\"pathContains\":\"/whoami\"}");
            await Record("fault status", emu.GetAsync("v2/whoami"));
            await emu.AddFaultAsync("{\"kind\":\"nonjson\",\"count\":1,\"pathContains\":\"/whoami\"}");
            await Record("fault nonjson", emu.GetAsync("v2/whoami"));
            await emu.AddFaultAsync("{\"kind\":\"empty\",\"status\":504,\"count\":1,\"pathContains\":\"/whoami\"}");
            await Record("fault empty", emu.GetAsync("v2/whoami"));
            await emu.AddFaultAsync("{\"kind\":\"redirect\",\"count\":1,\"pathContains\":\"/whoami\"}");
            await Record("fault redirect", emu.GetAsync("v2/whoami"));
            await emu.AddFaultAsync("{\"kind\":\"truncate\",\"count\":1,\"pathContains\":\"/scopes\"}");
            await Record("fault truncate", emu.GetAsync("v2/scopes"));

            await emu.SetTimingsAsync("{\"rateLimitPerWindow\": 1, \"rateLimitWindowSeconds\": 600}");
            await emu.GetAsync("v2/portfolios", EmulatorDemoKeys.Extra(9));
            await Record("429 platform", emu.GetAsync("v2/portfolios", EmulatorDemoKeys.Extra(9)));

            Assert.Contains(results, r => r.Result.StatusCode == 429 && r.What == "429 cooldown");
            foreach (var (what, result) in results)
            {
                Assert.True(!string.IsNullOrEmpty(result.Header("X-Correlation-Id")), what + " lacks X-Correlation-Id");
                Assert.True(!string.IsNullOrEmpty(result.Header("X-Request-Id")), what + " lacks X-Request-Id");
            }
            var requestIds = results.Select(r => r.Result.Header("X-Request-Id")).ToList();
            Assert.Equal(requestIds.Count, requestIds.Distinct().Count());
            Assert.DoesNotContain(results, r => r.Result.Body.Contains("X-Request-Id", StringComparison.OrdinalIgnoreCase));
        }

        [Fact]
        public async Task A_callers_correlation_id_is_echoed_and_the_request_id_is_always_new()
        {
            await using var emu = await TestEmulator.StartAsync();
            var result = await emu.SendAsync(HttpMethod.Get, "v2/whoami", EmulatorDemoKeys.ReadWrite,
                adjust: r => r.Headers.TryAddWithoutValidation("X-Correlation-Id", "corr-test-123"));
            Assert.Equal("corr-test-123", result.Header("X-Correlation-Id"));
            Assert.StartsWith("req_", result.Header("X-Request-Id"));
            Assert.StartsWith("corr_", (await emu.GetAsync("v2/whoami")).Header("X-Correlation-Id"));
        }
    }
}
