using System;
using System.Linq;
using System.Net.Http;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Glider.Emulator.Tests.TestSupport;
using Xunit;

namespace Glider.Emulator.Tests
{
    /// <summary>The log says when a request ended and whether the client hung up first (for cancellation tests).</summary>
    public sealed class AbortedRequestLogTests
    {
        [Fact]
        public async Task A_client_that_hangs_up_during_a_delay_is_logged_as_aborted_when_it_hung_up()
        {
            await using var emu = await TestEmulator.StartAsync();
            await emu.AddFaultAsync("{\"kind\":\"delay\",\"delayMs\":20000,\"count\":1}");

            using var client = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { BaseAddress = emu.BaseUri };
            using var cancel = new CancellationTokenSource();
            using var request = new HttpRequestMessage(HttpMethod.Get, "v2/whoami");
            request.Headers.TryAddWithoutValidation("x-api-key", EmulatorDemoKeys.ReadWrite);
            var sending = client.SendAsync(request, cancel.Token);
            // Hang up only once the emulator has the request: a fixed timer could fire before a loaded machine had
            // even connected, and then there would be nothing to log.
            await Eventually.PollAsync(
                async () => (await emu.StatsAsync()).Json.GetProperty("requests").GetInt64(),
                received => received >= 1,
                TimeSpan.FromSeconds(10));
            cancel.Cancel();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => sending);

            var log = await Eventually.PollAsync(
                async () => (await emu.RequestLogAsync()).Json.EnumerateArray().ToList(),
                entries => entries.Count == 1,
                TimeSpan.FromSeconds(10));
            var entry = log[0];
            Assert.True(entry.GetProperty("clientAborted").GetBoolean());
            Assert.Equal("delay", entry.GetProperty("fault").GetString());
            Assert.Equal(JsonValueKind.Null, entry.GetProperty("status").ValueKind);
            var took = entry.GetProperty("completedAt").GetDateTimeOffset() - entry.GetProperty("time").GetDateTimeOffset();
            // Far less than the 20 s delay: the emulator noticed the hang-up, it did not sleep it through.
            Assert.InRange(took, TimeSpan.Zero, TimeSpan.FromSeconds(10));
        }

        [Fact]
        public async Task Answered_requests_and_the_emulators_own_aborts_are_not_client_aborts()
        {
            await using var emu = await TestEmulator.StartAsync();
            await emu.GetAsync("v2/whoami");
            await emu.AddFaultAsync("{\"kind\":\"drop\",\"count\":1}");
            await Assert.ThrowsAnyAsync<HttpRequestException>(() => emu.SendOnNewConnectionAsync(HttpMethod.Get, "v2/whoami"));

            // The dropped request is logged once its connection is torn down, a moment after the client saw it fail.
            var log = await Eventually.PollAsync(
                async () => (await emu.RequestLogAsync()).Json.EnumerateArray().ToList(),
                entries => entries.Count == 2,
                TimeSpan.FromSeconds(10));
            Assert.Equal(2, log.Count);
            Assert.All(log, e =>
            {
                Assert.False(e.GetProperty("clientAborted").GetBoolean());
                Assert.True(e.GetProperty("completedAt").GetDateTimeOffset() >= e.GetProperty("time").GetDateTimeOffset());
            });
            Assert.Equal("drop", log[1].GetProperty("fault").GetString());
        }
    }
}
