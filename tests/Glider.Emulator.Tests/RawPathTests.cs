using System;
using System.Threading.Tasks;
using Glider.Emulator.Http;
using Glider.Emulator.Tests.TestSupport;
using Xunit;

namespace Glider.Emulator.Tests
{
    /// <summary>Ids come from the raw request target, each segment decoded exactly once.</summary>
    public sealed class RawPathTests
    {
        private static async Task<(TestEmulator Emu, string OperationId)> StartWithRun()
        {
            var emu = await TestEmulator.StartAsync(o => o.OperationMs = 60_000);
            var operationId = (await emu.PostAsync("v2/portfolios/pf_acme_0001/rebalance")).Data.GetProperty("operationId").GetString()!;
            Assert.Contains("%3A", operationId);
            return (emu, operationId);
        }

        [Fact]
        public async Task An_id_with_a_literal_percent_3A_matches_when_sent_as_percent_253A()
        {
            var (emu, operationId) = await StartWithRun();
            await using var _ = emu;

            // Only the '%' is escaped; the plain colons go as they are (legal in a path segment).
            var onTheWire = operationId.Replace("%", "%25", StringComparison.Ordinal);
            var exchange = await RawHttp.SendAsync(emu.BaseUri, "GET", "/v2/portfolios/pf_acme_0001/operations/" + onTheWire, EmulatorDemoKeys.ReadWrite);

            Assert.Equal(200, exchange.Status);
            Assert.Contains("\"operationId\":\"" + operationId + "\"", exchange.Body);
        }

        [Fact]
        public async Task The_fully_escaped_form_works_too()
        {
            var (emu, operationId) = await StartWithRun();
            await using var _ = emu;
            var exchange = await RawHttp.SendAsync(emu.BaseUri, "GET", "/v2/portfolios/pf_acme_0001/operations/" + Uri.EscapeDataString(operationId), EmulatorDemoKeys.ReadWrite);
            Assert.Equal(200, exchange.Status);
        }

        [Fact]
        public async Task The_id_sent_with_percent_3A_decodes_to_a_colon_and_is_404()
        {
            var (emu, operationId) = await StartWithRun();
            await using var _ = emu;
            var exchange = await RawHttp.SendAsync(emu.BaseUri, "GET", "/v2/portfolios/pf_acme_0001/operations/" + operationId, EmulatorDemoKeys.ReadWrite);
            Assert.Equal(404, exchange.Status);
            Assert.Contains("\"API_006\"", exchange.Body);

            var colons = operationId.Replace("%3A", ":", StringComparison.Ordinal);
            var decoded = await RawHttp.SendAsync(emu.BaseUri, "GET", "/v2/portfolios/pf_acme_0001/operations/" + colons, EmulatorDemoKeys.ReadWrite);
            Assert.Equal(404, decoded.Status);
        }

        [Fact]
        public async Task Segments_are_decoded_exactly_once()
        {
            await using var emu = await TestEmulator.StartAsync();
            var once = await RawHttp.SendAsync(emu.BaseUri, "GET", "/v2/portfolios/pf%5Facme%5F0001", EmulatorDemoKeys.ReadWrite);
            Assert.Equal(200, once.Status);

            var twice = await RawHttp.SendAsync(emu.BaseUri, "GET", "/v2/portfolios/pf%255Facme_0001", EmulatorDemoKeys.ReadWrite);
            Assert.Equal(404, twice.Status);
        }

        [Fact]
        public async Task An_escaped_slash_stays_inside_its_segment()
        {
            await using var emu = await TestEmulator.StartAsync();
            var exchange = await RawHttp.SendAsync(emu.BaseUri, "POST", "/v2/portfolios/pf_acme_0001%2Fstop", EmulatorDemoKeys.ReadWrite);
            Assert.Equal(405, exchange.Status);

            var read = await RawHttp.SendAsync(emu.BaseUri, "GET", "/v2/portfolios/pf_acme_0001%2Fstop", EmulatorDemoKeys.ReadWrite);
            Assert.Equal(404, read.Status);
            var detail = await emu.GetAsync("v2/portfolios/pf_acme_0001");
            Assert.Equal("active", detail.Data.GetProperty("schedule").GetProperty("status").GetString());
        }

        [Theory]
        [InlineData("/v2/portfolios/a%253Ab", new[] { "v2", "portfolios", "a%3Ab" }, "")]
        [InlineData("/v2/portfolios/a%3Ab?limit=5", new[] { "v2", "portfolios", "a:b" }, "limit=5")]
        [InlineData("http://127.0.0.1:5000/v2/whoami", new[] { "v2", "whoami" }, "")]
        [InlineData("/", new[] { "" }, "")]
        public void Raw_targets_are_split_then_decoded(string raw, string[] segments, string query)
        {
            var target = RawRequestTarget.Parse(raw);
            Assert.Equal(segments, target.Segments);
            Assert.Equal(query, target.Query);
        }

        [Fact]
        public void Query_values_are_decoded_once_with_plus_as_space()
        {
            var target = RawRequestTarget.Parse("/v2/portfolios?cursor=a%253D&x=1+2&flag&limit=3&limit=4");
            Assert.Equal("a%3D", target.QueryValue("cursor"));
            Assert.Equal("1 2", target.QueryValue("x"));
            Assert.Equal(string.Empty, target.QueryValue("flag"));
            Assert.Equal("3", target.QueryValue("limit"));
            Assert.Null(target.QueryValue("missing"));
        }
    }
}
