using System;
using System.Diagnostics;
using System.Linq;
using System.Net.Http;
using System.Threading.Tasks;
using Glider.Emulator.Tests.TestSupport;
using Xunit;
using Xunit.Abstractions;

namespace Glider.Emulator.Tests
{
    public sealed class ThroughputTests
    {
        private readonly ITestOutputHelper _output;

        public ThroughputTests(ITestOutputHelper output) => _output = output;

        [Fact]
        public async Task Thousands_of_requests_complete_quickly_on_loopback()
        {
            await using var emu = await TestEmulator.StartAsync();
            await emu.GetAsync("v2/portfolios/pf_acme_0001");
            const int workers = 8;
            const int perWorker = 400;
            var watch = Stopwatch.StartNew();
            var statuses = await Task.WhenAll(Enumerable.Range(0, workers).Select(async w =>
            {
                var failures = 0;
                for (var i = 0; i < perWorker; i++)
                {
                    var id = $"pf_acme_{(w * perWorker + i) % 250 + 1:0000}";
                    using var request = new HttpRequestMessage(HttpMethod.Get, "v2/portfolios/" + id);
                    request.Headers.Add("x-api-key", EmulatorDemoKeys.ReadOnly);
                    using var response = await emu.Client.SendAsync(request);
                    await response.Content.ReadAsByteArrayAsync();
                    if ((int)response.StatusCode != 200)
                    {
                        failures++;
                    }
                }
                return failures;
            }));
            watch.Stop();
            var rate = workers * perWorker / watch.Elapsed.TotalSeconds;
            _output.WriteLine($"{workers * perWorker} requests in {watch.ElapsedMilliseconds} ms: {rate:0} req/s");
            Assert.Equal(0, statuses.Sum());
            // Deliberately loose: the suite runs on loaded 2-core machines; this only catches a gross regression.
            Assert.True(rate > 200, $"only {rate:0} req/s");
        }
    }
}
