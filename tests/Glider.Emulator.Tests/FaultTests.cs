using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Text;
using System.Text.Json;
using System.Threading.Tasks;
using Glider.Emulator.Tests.TestSupport;
using Xunit;

namespace Glider.Emulator.Tests
{
    public sealed class FaultTests
    {
        private static async Task<int> FaultsInjected(TestEmulator emu, string kind)
        {
            var stats = await emu.StatsAsync();
            return stats.Json.GetProperty("faultsInjected").TryGetProperty(kind, out var n) ? n.GetInt32() : 0;
        }

        [Fact]
        public async Task Status_answers_the_next_N_matching_requests_with_an_envelope_error()
        {
            await using var emu = await TestEmulator.StartAsync();
            await emu.AddFaultAsync("{\"kind\":\"status\",\"status\":503,\"count\":2,\"method\":\"GET\",\"pathContains\":\"/portfolios/\"}");

            Assert.Equal(200, (await emu.GetAsync("v2/portfolios")).StatusCode);
            var first = await emu.GetAsync("v2/portfolios/pf_acme_0001");
            var second = await emu.GetAsync("v2/portfolios/pf_acme_0001");
            var third = await emu.GetAsync("v2/portfolios/pf_acme_0001");

            Assert.Equal(503, first.StatusCode);
            Assert.Equal("API_000", first.ErrorCode);
            Assert.False(first.Json.GetProperty("success").GetBoolean());
            Assert.Equal(503, second.StatusCode);
            Assert.Equal(200, third.StatusCode);
            Assert.Equal(2, await FaultsInjected(emu, "status"));
        }

        [Fact]
        public async Task Status_can_carry_a_raw_Retry_After_and_a_chosen_code()
        {
            await using var emu = await TestEmulator.StartAsync();
            await emu.AddFaultAsync("{\"kind\":\"status\",\"status\":429,\"retryAfter\":\"Wed, 25 Nov 2026 12:00:00 GMT\",\"count\":1}");
            await emu.AddFaultAsync("{\"kind\":\"status\",\"status\":500,\"code\":\"API_999\",\"retryAfter\":\"soon-ish\",\"count\":1}");

            var dated = await emu.GetAsync("v2/whoami");
            Assert.Equal(429, dated.StatusCode);
            Assert.Equal("API_004", dated.ErrorCode);
            Assert.Equal("Wed, 25 Nov 2026 12:00:00 GMT", dated.Header("Retry-After"));

            var garbage = await emu.GetAsync("v2/whoami");
            Assert.Equal(500, garbage.StatusCode);
            Assert.Equal("API_999", garbage.ErrorCode);
            Assert.Equal("soon-ish", garbage.Header("Retry-After"));
        }

        [Fact]
        public async Task A_429_with_platformBody_uses_the_platform_shape()
        {
            await using var emu = await TestEmulator.StartAsync();
            await emu.AddFaultAsync("{\"kind\":\"status\",\"status\":429,\"platformBody\":true,\"retryAfter\":\"7\",\"count\":1}");
            var result = await emu.GetAsync("v2/portfolios");
            Assert.Equal(429, result.StatusCode);
            Assert.Equal("7", result.Header("Retry-After"));
            Assert.Equal("Too Many Requests", result.Json.GetProperty("error").GetString());
            Assert.Equal(7, result.Json.GetProperty("retryAfter").GetInt32());
            Assert.Equal(result.Header("X-Request-Id"), result.Json.GetProperty("requestId").GetString());
        }

        [Fact]
        public async Task Delay_waits_then_answers_normally()
        {
            await using var emu = await TestEmulator.StartAsync();
            await emu.AddFaultAsync("{\"kind\":\"delay\",\"delayMs\":600,\"count\":1}");
            var watch = Stopwatch.StartNew();
            var result = await emu.GetAsync("v2/whoami");
            watch.Stop();
            Assert.Equal(200, result.StatusCode);
            Assert.True(watch.ElapsedMilliseconds >= 550, $"took {watch.ElapsedMilliseconds} ms");
            Assert.Equal(1, await FaultsInjected(emu, "delay"));
        }

        [Fact]
        public async Task Drop_closes_the_connection_without_a_response()
        {
            await using var emu = await TestEmulator.StartAsync();
            await emu.AddFaultAsync("{\"kind\":\"drop\",\"count\":2,\"pathContains\":\"/whoami\"}");

            await Assert.ThrowsAsync<HttpRequestException>(() => emu.SendOnNewConnectionAsync(HttpMethod.Get, "v2/whoami"));
            var raw = await RawHttp.SendAsync(emu.BaseUri, "GET", "/v2/whoami", EmulatorDemoKeys.ReadWrite);
            Assert.Null(raw.Status);
            Assert.Equal(200, (await emu.GetAsync("v2/whoami")).StatusCode);
            Assert.Equal(2, await FaultsInjected(emu, "drop"));

            // A dropped request is logged once its connection is torn down, which may be a moment after the client
            // has seen the failure.
            var log = await Eventually.PollAsync(
                async () => (await emu.RequestLogAsync()).Json.EnumerateArray().ToList(),
                entries => entries.Count(e => e.GetProperty("fault").ValueKind == JsonValueKind.String) == 2,
                TimeSpan.FromSeconds(10));
            var dropped = log.Where(e => e.GetProperty("fault").ValueKind == JsonValueKind.String).ToList();
            Assert.Equal(2, dropped.Count);
            Assert.All(dropped, e =>
            {
                Assert.Equal("drop", e.GetProperty("fault").GetString());
                Assert.Equal(JsonValueKind.Null, e.GetProperty("status").ValueKind);
            });
        }

        [Fact]
        public async Task Drop_after_read_starts_the_run_and_a_retry_gets_the_same_run()
        {
            await using var emu = await TestEmulator.StartAsync(o => o.OperationMs = 60_000);
            await emu.AddFaultAsync("{\"kind\":\"drop-after-read\",\"count\":1,\"method\":\"POST\",\"pathContains\":\"/rebalance\"}");

            await Assert.ThrowsAsync<HttpRequestException>(() => emu.SendOnNewConnectionAsync(HttpMethod.Post, "v2/portfolios/pf_acme_0001/rebalance"));
            var stats = await emu.StatsAsync();
            Assert.Equal(1, stats.Json.GetProperty("rebalancesStarted").GetProperty("pf_acme_0001").GetInt32());

            var retry = await emu.PostAsync("v2/portfolios/pf_acme_0001/rebalance");
            Assert.Equal(202, retry.StatusCode);
            stats = await emu.StatsAsync();
            Assert.Equal(1, stats.Json.GetProperty("rebalancesStarted").GetProperty("pf_acme_0001").GetInt32());
            Assert.Equal(1, stats.Json.GetProperty("faultsInjected").GetProperty("drop-after-read").GetInt32());
            var operationId = retry.Data.GetProperty("operationId").GetString()!;
            Assert.Equal(200, (await emu.GetAsync("v2/portfolios/pf_acme_0001/operations/" + Uri.EscapeDataString(operationId))).StatusCode);
        }

        [Fact]
        public async Task Drop_on_a_rebalance_loses_the_request_before_any_run_starts()
        {
            await using var emu = await TestEmulator.StartAsync();
            await emu.AddFaultAsync("{\"kind\":\"drop\",\"count\":1,\"method\":\"POST\"}");
            await Assert.ThrowsAsync<HttpRequestException>(() => emu.SendOnNewConnectionAsync(HttpMethod.Post, "v2/portfolios/pf_acme_0001/rebalance"));
            Assert.Empty((await emu.StatsAsync()).Json.GetProperty("rebalancesStarted").EnumerateObject());
        }

        [Fact]
        public async Task Reset_mid_body_sends_headers_and_part_of_the_body_then_resets()
        {
            await using var emu = await TestEmulator.StartAsync();
            await emu.AddFaultAsync("{\"kind\":\"reset-mid-body\",\"count\":2,\"pathContains\":\"/portfolios\"}");

            var raw = await RawHttp.SendAsync(emu.BaseUri, "GET", "/v2/portfolios?limit=20", EmulatorDemoKeys.ReadWrite);
            Assert.Equal(200, raw.Status);
            var declared = int.Parse(raw.Text.Split("\r\n").First(l => l.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase)).Substring(15).Trim(), System.Globalization.CultureInfo.InvariantCulture);
            Assert.True(Encoding.UTF8.GetByteCount(raw.Body) < declared, "the body must be shorter than its Content-Length");
            Assert.True(raw.Body.Length > 0, "part of the body is sent");

            var ex = await Record.ExceptionAsync(() => emu.SendOnNewConnectionAsync(HttpMethod.Get, "v2/portfolios?limit=20"));
            Assert.True(ex is HttpRequestException or IOException, "HttpClient must see a broken response, saw " + ex);
            Assert.Equal(2, await FaultsInjected(emu, "reset-mid-body"));
        }

        [Fact]
        public async Task Truncate_sends_a_well_framed_response_whose_json_is_cut()
        {
            await using var emu = await TestEmulator.StartAsync();
            await emu.AddFaultAsync("{\"kind\":\"truncate\",\"count\":1,\"pathContains\":\"/portfolios/pf_acme_0001\"}");

            using var response = await emu.Client.SendAsync(new HttpRequestMessage(HttpMethod.Get, "v2/portfolios/pf_acme_0001") { Headers = { { "x-api-key", EmulatorDemoKeys.ReadWrite } } });
            var body = await response.Content.ReadAsByteArrayAsync();
            Assert.Equal(200, (int)response.StatusCode);
            Assert.Equal(body.Length, response.Content.Headers.ContentLength);
            Assert.True(body.Length > 10);
            Assert.ThrowsAny<JsonException>(() => JsonDocument.Parse(body));
            Assert.Equal(200, (await emu.GetAsync("v2/portfolios/pf_acme_0001")).StatusCode);
        }

        [Fact]
        public async Task Nonjson_answers_an_html_page()
        {
            await using var emu = await TestEmulator.StartAsync();
            await emu.AddFaultAsync("{\"kind\":\"nonjson\",\"count\":1}");
            await emu.AddFaultAsync("{\"kind\":\"nonjson\",\"status\":503,\"count\":1}");
            var first = await emu.GetAsync("v2/whoami");
            Assert.Equal(502, first.StatusCode);
            Assert.StartsWith("text/html", first.Header("Content-Type"));
            Assert.StartsWith("<html", first.Body);
            Assert.Equal(503, (await emu.GetAsync("v2/whoami")).StatusCode);
        }

        [Fact]
        public async Task Empty_answers_the_status_with_no_body()
        {
            await using var emu = await TestEmulator.StartAsync();
            await emu.AddFaultAsync("{\"kind\":\"empty\",\"status\":500,\"count\":1}");
            await emu.AddFaultAsync("{\"kind\":\"empty\",\"count\":1}");
            var first = await emu.GetAsync("v2/whoami");
            Assert.Equal(500, first.StatusCode);
            Assert.Equal(string.Empty, first.Body);
            Assert.Equal("0", first.Header("Content-Length"));
            Assert.Equal(502, (await emu.GetAsync("v2/whoami")).StatusCode);
        }

        [Fact]
        public async Task Redirect_answers_a_Location()
        {
            await using var emu = await TestEmulator.StartAsync();
            await emu.AddFaultAsync("{\"kind\":\"redirect\",\"count\":1}");
            await emu.AddFaultAsync("{\"kind\":\"redirect\",\"status\":307,\"location\":\"http://127.0.0.2:9/other\",\"count\":1}");
            var first = await emu.GetAsync("v2/whoami");
            Assert.Equal(302, first.StatusCode);
            Assert.Equal("http://127.0.0.2:1/elsewhere", first.Header("Location"));
            var second = await emu.GetAsync("v2/whoami");
            Assert.Equal(307, second.StatusCode);
            Assert.Equal("http://127.0.0.2:9/other", second.Header("Location"));
            Assert.Equal(2, await FaultsInjected(emu, "redirect"));
        }

        [Fact]
        public async Task Filters_select_method_path_and_portfolio()
        {
            await using var emu = await TestEmulator.StartAsync();
            await emu.AddFaultAsync("{\"kind\":\"status\",\"status\":500,\"portfolioId\":\"pf_acme_0002\"}");
            await emu.AddFaultAsync("{\"kind\":\"status\",\"status\":502,\"method\":\"POST\"}");

            Assert.Equal(200, (await emu.GetAsync("v2/portfolios/pf_acme_0001")).StatusCode);
            Assert.Equal(500, (await emu.GetAsync("v2/portfolios/pf_acme_0002")).StatusCode);
            Assert.Equal(500, (await emu.PostAsync("v2/portfolios/pf_acme_0002/stop")).StatusCode);
            Assert.Equal(502, (await emu.PostAsync("v2/portfolios/pf_acme_0001/stop")).StatusCode);
            Assert.Equal(200, (await emu.GetAsync("v2/portfolios")).StatusCode);
        }

        [Fact]
        public async Task The_oldest_matching_rule_wins_and_a_used_rule_gives_way()
        {
            await using var emu = await TestEmulator.StartAsync();
            await emu.AddFaultAsync("{\"kind\":\"status\",\"status\":500,\"count\":1}");
            await emu.AddFaultAsync("{\"kind\":\"status\",\"status\":503,\"count\":1}");
            Assert.Equal(500, (await emu.GetAsync("v2/whoami")).StatusCode);
            Assert.Equal(503, (await emu.GetAsync("v2/whoami")).StatusCode);
            Assert.Equal(200, (await emu.GetAsync("v2/whoami")).StatusCode);
        }

        [Fact]
        public async Task A_fraction_is_drawn_from_a_seeded_generator_so_runs_repeat()
        {
            async Task<string> Pattern()
            {
                await using var emu = await TestEmulator.StartAsync();
                await emu.AddFaultAsync("{\"kind\":\"status\",\"status\":503,\"fraction\":0.3}");
                var pattern = new StringBuilder();
                for (var i = 0; i < 60; i++)
                {
                    pattern.Append((await emu.GetAsync("v2/whoami")).StatusCode == 503 ? 'x' : '.');
                }

                return pattern.ToString();
            }

            var first = await Pattern();
            var second = await Pattern();
            Assert.Equal(first, second);
            Assert.InRange(first.Count(c => c == 'x'), 5, 40);
        }

        [Fact]
        public async Task Deleting_faults_clears_every_rule()
        {
            await using var emu = await TestEmulator.StartAsync();
            await emu.AddFaultAsync("{\"kind\":\"status\",\"status\":500}");
            Assert.Equal(500, (await emu.GetAsync("v2/whoami")).StatusCode);
            var listed = await emu.ControlAsync(HttpMethod.Get, "faults");
            Assert.Single(listed.Json.GetProperty("faults").EnumerateArray());
            Assert.Equal(200, (await emu.ControlAsync(HttpMethod.Delete, "faults")).StatusCode);
            Assert.Equal(200, (await emu.GetAsync("v2/whoami")).StatusCode);
        }

        [Theory]
        [InlineData("{\"kind\":\"meteor\"}")]
        [InlineData("{\"status\":500}")]
        [InlineData("{\"kind\":\"status\"}")]
        [InlineData("{\"kind\":\"status\",\"status\":500,\"count\":1,\"fraction\":0.5}")]
        [InlineData("{\"kind\":\"status\",\"status\":500,\"count\":0}")]
        [InlineData("{\"kind\":\"status\",\"status\":500,\"fraction\":1.5}")]
        [InlineData("{\"kind\":\"status\",\"status\":99}")]
        [InlineData("{\"kind\":\"delay\"}")]
        [InlineData("[]")]
        [InlineData("{")]
        public async Task A_bad_fault_rule_is_400(string body)
        {
            await using var emu = await TestEmulator.StartAsync();
            var result = await emu.ControlAsync(HttpMethod.Post, "faults", body);
            Assert.Equal(400, result.StatusCode);
            Assert.Equal("API_400", result.ErrorCode);
        }

        [Fact]
        public async Task Faults_never_touch_control_routes()
        {
            await using var emu = await TestEmulator.StartAsync();
            await emu.AddFaultAsync("{\"kind\":\"drop\"}");
            Assert.Equal(200, (await emu.StatsAsync()).StatusCode);
            Assert.Equal(200, (await emu.ControlAsync(HttpMethod.Delete, "faults")).StatusCode);
        }
    }
}
