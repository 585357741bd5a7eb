using System;
using System.Globalization;
using System.Linq;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using Glider.Client.Errors;
using Glider.Client.Tests.Support;
using Xunit;

namespace Glider.Client.Tests.Pacing
{
    /// <summary>The gate inside a client: every request of the connection passes it, whoever sends it.</summary>
    public class ConnectionPacingTests
    {
        private static HttpResponseMessage WithWindow(HttpResponseMessage response, int limit, int remaining, DateTimeOffset reset)
        {
            response.Headers.TryAddWithoutValidation("X-RateLimit-Limit", limit.ToString(CultureInfo.InvariantCulture));
            response.Headers.TryAddWithoutValidation("X-RateLimit-Remaining", remaining.ToString(CultureInfo.InvariantCulture));
            response.Headers.TryAddWithoutValidation("X-RateLimit-Reset", reset.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture));
            return response;
        }

        [Fact]
        public async Task APlatform429HoldsEveryRequestOfTheConnectionUntilRetryAt()
        {
            var clock = FakeClock.Create();
            DateTimeOffset start = clock.GetUtcNow();
            var handler = new RecordingHandler((request, n) => n == 1 ? Responses.PlatformLimit(10, "10") : Responses.Portfolio(), clock);
            using GliderClient client = TestClients.Create(handler, o => { o.TimeProvider = clock; o.MaxRetryDelay = TimeSpan.FromMinutes(1); });

            Task<Models.Portfolio> limited = client.GetPortfolioAsync("pf_1", CancellationToken.None);
            await WaitUntil(() => handler.Count == 1);
            Task<Models.Portfolio>[] others = Enumerable.Range(2, 5).Select(i => client.GetPortfolioAsync("pf_" + i, CancellationToken.None)).ToArray();

            await FakeClock.RunAsync(clock, Task.WhenAll(others.Append(limited)), TimeSpan.FromMilliseconds(100));

            Assert.Equal(7, handler.Count); // the refused one, its retry, and the five others: no second 429
            Assert.All(handler.Requests.Skip(1), r => Assert.True(r.At >= start.AddSeconds(10), $"sent at +{(r.At - start).TotalSeconds} s"));
        }

        [Fact]
        public async Task AnAnswerSayingTheWindowIsUsedUpHoldsTheNextRequestUntilItsReset()
        {
            var clock = FakeClock.Create();
            DateTimeOffset reset = DateTimeOffset.FromUnixTimeSeconds(clock.GetUtcNow().AddSeconds(4).ToUnixTimeSeconds());
            var handler = new RecordingHandler((request, n) => WithWindow(Responses.Portfolio(), 100, n == 1 ? 0 : 50, reset), clock);
            using GliderClient client = TestClients.Create(handler, o => o.TimeProvider = clock);

            await client.GetPortfolioAsync("pf_1", CancellationToken.None);
            await FakeClock.RunAsync(clock, client.GetPortfolioAsync("pf_2", CancellationToken.None), TimeSpan.FromMilliseconds(100));

            Assert.Equal(2, handler.Count);
            Assert.True(handler.Requests[1].At >= reset, $"second request at {handler.Requests[1].At:O}, reset {reset:O}");
        }

        [Fact]
        public async Task TheCooldown429DoesNotHoldTheConnection()
        {
            var clock = FakeClock.Create();
            var handler = new RecordingHandler(
                (request, n) => n == 1 ? WithWindow(Responses.Error(429, "API_004", "cooldown", "600"), 1, 0, clock.GetUtcNow().AddMinutes(10)) : Responses.Portfolio(),
                clock);
            using GliderClient client = TestClients.Create(handler, o => o.TimeProvider = clock);

            var cooldown = await Assert.ThrowsAsync<GliderRateLimitException>(() => client.StartRebalanceAsync("pf_1", CancellationToken.None));
            Task<Models.Portfolio> next = client.GetPortfolioAsync("pf_2", CancellationToken.None);

            Assert.True(cooldown.IsRebalanceCooldown);
            Assert.True(next.IsCompleted, "a read after another portfolio's cooldown must not wait for it");
            Assert.Equal(2, handler.Count);
        }

        [Fact]
        public async Task ARebalanceRefusedByThePlatformLimiterIsResentAfterTheWait()
        {
            var clock = FakeClock.Create();
            DateTimeOffset start = clock.GetUtcNow();
            var handler = new RecordingHandler(
                (request, n) => n <= 3 ? Responses.PlatformLimit(2, "2") : Responses.Data("{\"operationId\":\"op:1\",\"submittedAt\":\"2026-11-25T12:00:00Z\"}", 202),
                clock);
            using GliderClient client = TestClients.Create(handler, o => { o.TimeProvider = clock; o.MaxRetryAttempts = 4; o.MaxRetryDelay = TimeSpan.FromMinutes(1); });

            var submission = await FakeClock.RunAsync(clock, client.StartRebalanceAsync("pf_1", CancellationToken.None), TimeSpan.FromMilliseconds(100));

            Assert.Equal("op:1", submission.OperationId);
            Assert.Equal(4, handler.Count); // more re-sends than the two allowed after "no answer": the limiter dispatched nothing
            Assert.All(handler.Requests, r => Assert.Equal("POST", r.Method));
            Assert.True(handler.Requests[3].At >= start.AddSeconds(6));
        }

        [Fact]
        public async Task ARebalanceIsResentAfterThePlatformLimiterOnlyWithinTheRetryCount()
        {
            var clock = FakeClock.Create();
            var handler = new RecordingHandler((request, n) => Responses.PlatformLimit(1, "1"), clock);
            using GliderClient client = TestClients.Create(handler, o => { o.TimeProvider = clock; o.MaxRetryAttempts = 3; });

            var error = await Assert.ThrowsAsync<GliderRateLimitException>(() =>
                FakeClock.RunAsync(clock, client.StartRebalanceAsync("pf_1", CancellationToken.None), TimeSpan.FromMilliseconds(100)));

            Assert.Equal(RateLimitSource.Platform, error.LimitSource);
            Assert.Equal(4, handler.Count);
        }

        [Fact]
        public async Task ARebalanceIsNotResentWhenThePlatformAsksForAWaitPastMaxRetryDelay()
        {
            var handler = RecordingHandler.Always(() => Responses.PlatformLimit(120, "120"));
            using GliderClient client = TestClients.Create(handler, o => o.MaxRetryDelay = TimeSpan.FromSeconds(5));

            var error = await Assert.ThrowsAsync<GliderRateLimitException>(() => client.StartRebalanceAsync("pf_1", CancellationToken.None));

            Assert.Equal(TimeSpan.FromSeconds(120), error.RetryAfter);
            Assert.Equal(1, handler.Count);

            // The connection stays held; a call that may not wait that long fails at once, sending nothing.
            var held = await Assert.ThrowsAsync<GliderRateLimitException>(() => client.GetPortfolioAsync("pf_2", CancellationToken.None));
            Assert.Equal(RateLimitSource.Platform, held.LimitSource);
            Assert.True(held.RetryAt >= error.RetryAt.AddSeconds(-1), $"{held.RetryAt:O} vs {error.RetryAt:O}");
            Assert.Contains("was not sent", held.Message);
            Assert.Equal(1, handler.Count);
        }

        [Fact]
        public async Task TheListRoutesWindowDoesNotHoldTriggersOrPolls()
        {
            // The list route reports a window of its own (600 a minute); triggers and polls report none. Their requests
            // must not spend the list's budget, nor wait for the list's reset.
            var clock = FakeClock.Create();
            DateTimeOffset start = clock.GetUtcNow();
            var handler = new RecordingHandler(
                (request, n) => request.RequestUri!.AbsolutePath.EndsWith("/portfolios", StringComparison.Ordinal)
                    ? WithWindow(Responses.Data("{\"portfolios\":[]}"), 600, 599, start.AddSeconds(60))
                    : request.Method == HttpMethod.Post
                        ? Responses.Data("{\"operationId\":\"op:1\",\"submittedAt\":\"2026-11-25T12:00:00Z\"}", 202)
                        : Responses.Operation("running"),
                clock);
            using GliderClient client = TestClients.Create(handler, o => o.TimeProvider = clock);

            await client.ListPortfoliosAsync(new Models.PortfolioQuery(), null, CancellationToken.None);
            for (int i = 0; i < 350; i++)
            {
                await Bounded.Within(client.StartRebalanceAsync("pf_" + i, CancellationToken.None));
                await Bounded.Within(client.GetOperationAsync("pf_1", "op:1", CancellationToken.None));
            }

            Assert.Equal(701, handler.Count);
            Assert.All(handler.Requests, r => Assert.Equal(start, r.At));
        }

        [Fact]
        public async Task APlatform429sHeadersHoldTheRefusedRouteAndOnlyItPastRetryAt()
        {
            var clock = FakeClock.Create();
            DateTimeOffset start = clock.GetUtcNow();
            DateTimeOffset reset = DateTimeOffset.FromUnixTimeSeconds(start.AddSeconds(20).ToUnixTimeSeconds());
            var handler = new RecordingHandler(
                (request, n) => n == 1
                    ? WithWindow(Responses.PlatformLimit(1, "1"), 10, 0, reset)
                    : request.Method == HttpMethod.Post
                        ? Responses.Data("{\"operationId\":\"op:1\",\"submittedAt\":\"2026-11-25T12:00:00Z\"}", 202)
                        : Responses.Operation("running"),
                clock);
            using GliderClient client = TestClients.Create(handler, o => { o.TimeProvider = clock; o.MaxRetryDelay = TimeSpan.FromMinutes(1); });

            Task<Models.RebalanceSubmission> trigger = client.StartRebalanceAsync("pf_1", CancellationToken.None);
            await WaitUntil(() => handler.Count == 1);
            Task<Models.Operation> poll = client.GetOperationAsync("pf_2", "op:2", CancellationToken.None);
            await FakeClock.RunAsync(clock, Task.WhenAll(trigger, poll), TimeSpan.FromMilliseconds(100));

            RecordedRequest[] sent = handler.Requests.ToArray();
            RecordedRequest polled = Assert.Single(sent, r => r.Method == "GET");
            RecordedRequest resent = sent.Last(r => r.Method == "POST");
            Assert.True(polled.At >= start.AddSeconds(1) && polled.At < start.AddSeconds(2), $"poll sent at +{(polled.At - start).TotalSeconds} s: after RetryAt, not held to the trigger route's reset");
            Assert.True(resent.At >= reset, $"re-sent trigger at +{(resent.At - start).TotalSeconds} s, before the refused route's reset");
        }

        private static async Task WaitUntil(Func<bool> condition)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            while (!condition())
            {
                await Task.Delay(5, timeout.Token);
            }
        }
    }
}
