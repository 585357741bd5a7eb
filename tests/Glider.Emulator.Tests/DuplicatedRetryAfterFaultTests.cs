using System;
using System.Linq;
using System.Threading.Tasks;
using Glider.Emulator.Tests.TestSupport;
using Xunit;

namespace Glider.Emulator.Tests
{
    public sealed class DuplicatedRetryAfterFaultTests
    {
        [Fact]
        public async Task An_array_retryAfter_is_sent_as_one_header_line_per_value()
        {
            await using var emu = await TestEmulator.StartAsync();
            await emu.AddFaultAsync("{\"kind\":\"status\",\"status\":429,\"retryAfter\":[\"2\",\"7\"],\"count\":1}");

            var exchange = await RawHttp.SendAsync(emu.BaseUri, "GET", "/v2/whoami", EmulatorDemoKeys.ReadWrite);

            Assert.Equal(429, exchange.Status);
            var lines = exchange.Text.Split("\r\n").Where(l => l.StartsWith("Retry-After:", StringComparison.OrdinalIgnoreCase)).Select(l => l.Substring(12).Trim()).ToList();
            Assert.Equal(new[] { "2", "7" }, lines);
        }

        [Fact]
        public async Task A_plain_retryAfter_is_still_one_header_line()
        {
            await using var emu = await TestEmulator.StartAsync();
            await emu.AddFaultAsync("{\"kind\":\"status\",\"status\":503,\"retryAfter\":\"3\",\"count\":1}");

            var exchange = await RawHttp.SendAsync(emu.BaseUri, "GET", "/v2/whoami", EmulatorDemoKeys.ReadWrite);

            Assert.Equal(503, exchange.Status);
            Assert.Single(exchange.Text.Split("\r\n"), l => l.StartsWith("Retry-After: 3", StringComparison.OrdinalIgnoreCase));
        }

        [Fact]
        public async Task An_empty_retryAfter_array_is_refused()
        {
            await using var emu = await TestEmulator.StartAsync();
            var result = await emu.ControlAsync(System.Net.Http.HttpMethod.Post, "faults", "{\"kind\":\"status\",\"status\":429,\"retryAfter\":[]}");
            Assert.Equal(400, result.StatusCode);
        }
    }
}
