using System;
using System.Net.Http;
using System.Reflection;
using System.Threading;
using System.Threading.Tasks;
using Glider.Client.Errors;
using Glider.Client.Tests.Support;
using Xunit;

namespace Glider.Client.Tests.Resilience
{
    /// <summary>
    /// Resilience properties best checked inside the client: the whole retry sequence is never capped by
    /// HttpClient.Timeout, and a Retry-After date already past falls back to the backoff instead of "retry in 0 s".
    /// (The 10-minutes-off clock case is RetryPolicyTests.AnHttpDateRetryAfterIsHonouredAgainstTheServersClock.)
    /// </summary>
    public class ResilienceTransportTests
    {
        private static HttpClient HttpClientOf(GliderClient client)
        {
            const BindingFlags Private = BindingFlags.Instance | BindingFlags.NonPublic;
            object transport = typeof(GliderClient).GetField("transport", Private)!.GetValue(client)!;
            return (HttpClient)transport.GetType().GetField("http", Private)!.GetValue(transport)!;
        }

        [Fact]
        public void TheHttpClientHasNoOverallTimeoutSoItCannotCapTheRetrySequence()
        {
            // HttpClient.Timeout (100 s by default) spans one SendAsync; our per-attempt limit is RequestTimeout, and a
            // retry sequence (attempts + Retry-After waits of up to MaxRetryDelay) may legitimately last longer.
            using var client = new GliderClient(new GliderClientOptions { BaseUri = new Uri(TestClients.LocalBase), RequestTimeout = TimeSpan.FromSeconds(300) }, TestClients.Secure(TestClients.Key));
            Assert.Equal(Timeout.InfiniteTimeSpan, HttpClientOf(client).Timeout);
        }

        [Fact]
        public async Task ARetrySequenceLongerThanThePerAttemptTimeoutStillSucceeds()
        {
            // Two attempts time out at 150 ms each, then a Retry-After wait of 1 s: the sequence takes far longer than
            // one RequestTimeout and still ends with the answer.
            var handler = new RecordingHandler(async (request, n, ct) =>
            {
                if (n <= 2)
                {
                    await Task.Delay(Timeout.Infinite, ct);
                }

                if (n == 3)
                {
                    return Responses.Error(503, "API_000", "busy", "1");
                }

                return Responses.Portfolio();
            });
            using GliderClient client = TestClients.Create(handler, o => { o.RequestTimeout = TimeSpan.FromMilliseconds(150); o.MaxRetryAttempts = 4; });

            var started = DateTimeOffset.UtcNow;
            var portfolio = await client.GetPortfolioAsync("pf_1", CancellationToken.None);

            Assert.Equal("pf_1", portfolio.PortfolioId);
            Assert.Equal(4, handler.Count);
            Assert.True(DateTimeOffset.UtcNow - started >= TimeSpan.FromSeconds(1.2));
        }

        [Fact]
        public async Task A429WithARetryAfterDateInThePastReportsTheBackoffNotZero()
        {
            var clock = FakeClock.Create();
            var handler = new RecordingHandler((r, n) => Responses.Error(429, "API_005", "limited", "Wed, 25 Nov 2026 11:00:00 GMT")
                .Also(m => m.Headers.Date = clock.GetUtcNow()), clock);
            using GliderClient client = TestClients.Create(handler, o => { o.TimeProvider = clock; o.MaxRetryAttempts = 0; o.RetryBaseDelay = TimeSpan.FromSeconds(1); });

            var error = await Assert.ThrowsAsync<GliderRateLimitException>(() => client.GetPortfolioAsync("pf_1", CancellationToken.None));

            Assert.True(error.RetryAfter > TimeSpan.Zero, $"RetryAfter was {error.RetryAfter}");
            Assert.True(error.RetryAt > clock.GetUtcNow(), $"RetryAt {error.RetryAt:O} is not after now {clock.GetUtcNow():O}");
            Assert.DoesNotContain("Retry after 0 s", error.Message);
        }

        [Theory]
        [InlineData("-1")]
        [InlineData("abc")]
        [InlineData("")]
        [InlineData("Wed, 25 Nov 2026 11:00:00 GMT")]
        public async Task AnUnusableRetryAfterWaitsTheBackoffNeverAtOnce(string value)
        {
            var clock = FakeClock.Create();
            var handler = new RecordingHandler((r, n) => n == 1
                ? Responses.Error(503, "API_000", "busy", value).Also(m => m.Headers.Date = clock.GetUtcNow())
                : Responses.Portfolio(), clock);
            using GliderClient client = TestClients.Create(handler, o => { o.TimeProvider = clock; o.RetryBaseDelay = TimeSpan.FromSeconds(1); });

            await FakeClock.RunAsync(clock, client.GetPortfolioAsync("pf_1", CancellationToken.None), TimeSpan.FromMilliseconds(10));

            Assert.Equal(2, handler.Count);
            TimeSpan waited = handler.Requests[1].At - handler.Requests[0].At;
            Assert.InRange(waited, TimeSpan.Zero, TimeSpan.FromSeconds(1.05)); // within the first backoff step
        }
    }
}
