using System;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using Glider.Client.Errors;
using Glider.Client.Http;
using Glider.Client.Tests.Support;
using Xunit;

namespace Glider.Client.Tests
{
    public class RetryPolicyTests
    {
        public static TheoryData<string, Func<HttpResponseMessage>> TransientFailures => new TheoryData<string, Func<HttpResponseMessage>>
        {
            { "408", () => Responses.Error(408, "API_000", "slow") },
            { "429 envelope", () => Responses.Error(429, "API_004", "limited", "0") },
            { "429 platform", () => Responses.PlatformLimit(0, "0") },
            { "500", () => Responses.Error(500, "API_000", "boom") },
            { "502 html", () => Responses.Text(502, "<html>bad gateway</html>") },
            { "503 empty", () => Responses.Text(503, "") },
            { "504", () => Responses.Error(504, "API_000", "gw") },
            { "200 not json", () => Responses.Text(200, "<html>captive portal</html>") },
            { "200 truncated", () => Responses.Json(200, "{\"success\":true,\"data\":{\"operationId\":\"op") },
            { "connection refused", () => throw new HttpRequestException("Connection refused") },
            { "reset", () => throw new IOException("Connection reset by peer") },
        };

        [Theory]
        [MemberData(nameof(TransientFailures))]
        public async Task GetsRetryTransientFailures(string name, Func<HttpResponseMessage> failure)
        {
            var handler = RecordingHandler.Sequence(failure, failure, () => Responses.Operation("running"));
            using GliderClient client = TestClients.Create(handler);

            var operation = await client.GetOperationAsync("pf_1", "op:1", CancellationToken.None);

            Assert.Equal("running", operation.State);
            Assert.True(handler.Count == 3, name);
        }

        [Theory]
        [InlineData(400, "API_002")]
        [InlineData(401, "API_102")]
        [InlineData(403, "API_104")]
        [InlineData(404, "API_006")]
        [InlineData(501, "API_000")]
        public async Task DefinitiveErrorsAreNeverRetried(int status, string code)
        {
            var handler = RecordingHandler.Always(() => Responses.Error(status, code, "no"));
            using GliderClient client = TestClients.Create(handler);

            var error = await Assert.ThrowsAnyAsync<GliderApiException>(() => client.GetPortfolioAsync("pf_1", CancellationToken.None));

            Assert.Equal(status, error.StatusCode);
            Assert.Equal(1, handler.Count);
        }

        [Fact]
        public async Task RetriesAreBoundedByMaxRetryAttempts()
        {
            var handler = RecordingHandler.Always(() => Responses.Error(503, "API_000", "down"));
            using GliderClient client = TestClients.Create(handler, o => o.MaxRetryAttempts = 3);

            var error = await Assert.ThrowsAsync<GliderServerException>(() => client.GetPortfolioAsync("pf_1", CancellationToken.None));

            Assert.Equal(4, handler.Count);
            Assert.Equal(503, error.StatusCode);
        }

        [Fact]
        public async Task ZeroRetriesMeansOneAttempt()
        {
            var handler = RecordingHandler.Always(() => Responses.Error(503, "API_000", "down"));
            using GliderClient client = TestClients.Create(handler, o => o.MaxRetryAttempts = 0);
            await Assert.ThrowsAsync<GliderServerException>(() => client.GetPortfolioAsync("pf_1", CancellationToken.None));
            Assert.Equal(1, handler.Count);
        }

        [Theory]
        [InlineData(429, "API_004")]
        [InlineData(500, "API_000")]
        [InlineData(503, "API_000")]
        [InlineData(408, "API_000")]
        public async Task TheRebalancePostIsNeverRetriedOnAnHttpStatus(int status, string code)
        {
            var handler = RecordingHandler.Always(() => Responses.Error(status, code, "no", retryAfter: "0"));
            using GliderClient client = TestClients.Create(handler);

            var error = await Assert.ThrowsAnyAsync<GliderApiException>(() => client.StartRebalanceAsync("pf_1", CancellationToken.None));

            Assert.Equal(status, error.StatusCode);
            Assert.Equal(1, handler.Count);
        }

        [Fact]
        public async Task TheRebalancePostIsResentWhenNoAnswerArrived()
        {
            var handler = RecordingHandler.Sequence(
                () => throw new HttpRequestException("Connection reset"),
                () => Responses.Data("{\"operationId\":\"op:same\",\"submittedAt\":\"2026-11-25T12:00:00Z\"}", 202));
            using GliderClient client = TestClients.Create(handler);

            var submission = await client.StartRebalanceAsync("pf_1", CancellationToken.None);

            Assert.Equal("op:same", submission.OperationId);
            Assert.Equal(2, handler.Count);
            Assert.All(handler.Requests, r => Assert.Equal("POST", r.Method));
        }

        [Fact]
        public async Task TheRebalancePostIsResentAtMostTwice()
        {
            var handler = RecordingHandler.Always(() => throw new HttpRequestException("Connection refused"));
            using GliderClient client = TestClients.Create(handler, o => o.MaxRetryAttempts = 10);

            await Assert.ThrowsAsync<GliderTransportException>(() => client.StartRebalanceAsync("pf_1", CancellationToken.None));

            Assert.Equal(3, handler.Count);
        }

        [Fact]
        public async Task ACooldownAfterAResentRebalanceSaysTheFirstMayHaveStarted()
        {
            var handler = RecordingHandler.Sequence(
                () => throw new IOException("reset"),
                () => Responses.Error(429, "API_004", "cooldown", "30"));
            using GliderClient client = TestClients.Create(handler);

            var error = await Assert.ThrowsAsync<GliderRateLimitException>(() => client.StartRebalanceAsync("pf_1", CancellationToken.None));

            Assert.True(error.IsRebalanceCooldown);
            Assert.Contains("may have started a run", error.Message);
            Assert.Equal(2, handler.Count);
        }

        [Fact]
        public async Task StopAndStartAreRetriedLikeReads()
        {
            var handler = RecordingHandler.Sequence(() => Responses.Error(503, "API_000", "down"), () => Responses.Portfolio());
            using GliderClient client = TestClients.Create(handler);

            await client.StopScheduleAsync("pf_1", CancellationToken.None);
            await client.StartScheduleAsync("pf_1", CancellationToken.None);

            Assert.Equal(3, handler.Count);
            Assert.EndsWith("/v2/portfolios/pf_1/stop", handler.Requests[0].Uri.AbsoluteUri);
            Assert.EndsWith("/v2/portfolios/pf_1/start", handler.Requests[2].Uri.AbsoluteUri);
        }

        [Fact]
        public async Task RetryAfterIsALowerBoundOnTheWait()
        {
            var clock = FakeClock.Create();
            var handler = new RecordingHandler((r, n) => n == 1 ? Responses.Error(429, "X", "limited", "7") : Responses.Portfolio(), clock);
            using GliderClient client = TestClients.Create(handler, o => { o.TimeProvider = clock; o.RetryBaseDelay = TimeSpan.FromSeconds(1); o.MaxRetryDelay = TimeSpan.FromSeconds(60); });

            await FakeClock.RunAsync(clock, client.GetPortfolioAsync("pf_1", CancellationToken.None), TimeSpan.FromMilliseconds(250));

            var requests = handler.Requests;
            Assert.Equal(2, requests.Count);
            TimeSpan waited = requests[1].At - requests[0].At;
            Assert.InRange(waited, TimeSpan.FromSeconds(7), TimeSpan.FromSeconds(8.5)); // 7 s + at most 1 s of jitter (+ one step)
        }

        [Fact]
        public async Task AnHttpDateRetryAfterIsHonouredAgainstTheServersClock()
        {
            var clock = FakeClock.Create();
            // The server's clock is 10 minutes behind the client's.
            var handler = new RecordingHandler((r, n) => n == 1
                ? Responses.Error(503, "API_000", "busy", "Wed, 25 Nov 2026 11:50:05 GMT").Also(m => m.Headers.Date = new DateTimeOffset(2026, 11, 25, 11, 50, 0, TimeSpan.Zero))
                : Responses.Portfolio(), clock);
            using GliderClient client = TestClients.Create(handler, o => { o.TimeProvider = clock; o.RetryBaseDelay = TimeSpan.FromMilliseconds(100); });

            await FakeClock.RunAsync(clock, client.GetPortfolioAsync("pf_1", CancellationToken.None), TimeSpan.FromMilliseconds(100));

            TimeSpan waited = handler.Requests[1].At - handler.Requests[0].At;
            Assert.InRange(waited, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(5.5));
        }

        [Fact]
        public async Task AWaitLongerThanMaxRetryDelayIsHandedToTheCallerAtOnce()
        {
            var handler = RecordingHandler.Always(() => Responses.PlatformLimit(600, "600"));
            using GliderClient client = TestClients.Create(handler, o => o.MaxRetryDelay = TimeSpan.FromSeconds(60));

            var started = DateTimeOffset.UtcNow;
            var error = await Assert.ThrowsAsync<GliderRateLimitException>(() => client.GetPortfolioAsync("pf_1", CancellationToken.None));

            Assert.Equal(1, handler.Count);
            Assert.Equal(TimeSpan.FromSeconds(600), error.RetryAfter);
            Assert.True(error.RetryAt >= started.AddSeconds(599));
        }

        [Fact]
        public async Task NoRetrySleepsPastTheCallersDeadline()
        {
            var clock = FakeClock.Create();
            var handler = new RecordingHandler((r, n) => Responses.Error(429, "X", "limited", "10"), clock);
            using GliderClient client = TestClients.Create(handler, o => { o.TimeProvider = clock; o.MaxRetryDelay = TimeSpan.FromSeconds(60); });

            var error = await Assert.ThrowsAsync<GliderRateLimitException>(() =>
                client.GetOperationAsync("pf_1", "op:1", clock.GetUtcNow().AddSeconds(5), CancellationToken.None));

            Assert.Equal(1, handler.Count);
            Assert.Equal(clock.GetUtcNow().AddSeconds(10), error.RetryAt);
        }

        [Fact]
        public async Task BackoffIsClampedToTheDeadline()
        {
            var clock = FakeClock.Create();
            DateTimeOffset deadline = clock.GetUtcNow().AddSeconds(3);
            var handler = new RecordingHandler((r, n) => Responses.Error(503, "API_000", "down"), clock);
            using GliderClient client = TestClients.Create(handler, o => { o.TimeProvider = clock; o.RetryBaseDelay = TimeSpan.FromSeconds(10); o.MaxRetryAttempts = 10; });

            await Assert.ThrowsAsync<GliderServerException>(() =>
                FakeClock.RunAsync(clock, client.GetOperationAsync("pf_1", "op:1", deadline, CancellationToken.None), TimeSpan.FromMilliseconds(100)));

            Assert.All(handler.Requests, r => Assert.True(r.At <= deadline, $"attempt at {r.At:O} after deadline {deadline:O}"));
            Assert.True(clock.GetUtcNow() <= deadline.AddMilliseconds(200));
        }

        [Fact]
        public void ThePlannerOnlyAddsJitterToAServerWait()
        {
            var now = DateTimeOffset.UtcNow;
            var limited = new GliderRateLimitException("m", RateLimitSource.Platform, TimeSpan.FromSeconds(5), now.AddSeconds(5), null, null, null, null) { ServerRetryAfter = TimeSpan.FromSeconds(5) };

            var noJitter = new RetryDelayPlanner(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(60), () => 0.0);
            var fullJitter = new RetryDelayPlanner(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(60), () => 0.999);

            Assert.Equal(TimeSpan.FromSeconds(5), noJitter.Plan(limited, 0, now, null));
            Assert.InRange(fullJitter.Plan(limited, 0, now, null)!.Value, TimeSpan.FromSeconds(5.9), TimeSpan.FromSeconds(6));
            Assert.InRange(fullJitter.Plan(limited, 3, now, null)!.Value, TimeSpan.FromSeconds(12.9), TimeSpan.FromSeconds(13));
        }

        [Fact]
        public void ThePlannerBacksOffExponentiallyUpToTheCap()
        {
            var now = DateTimeOffset.UtcNow;
            var failure = new GliderServerException("m", 503, null, null, null, null);
            var planner = new RetryDelayPlanner(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(10), () => 0.999);

            Assert.InRange(planner.Plan(failure, 0, now, null)!.Value.TotalSeconds, 0.99, 1);
            Assert.InRange(planner.Plan(failure, 2, now, null)!.Value.TotalSeconds, 3.99, 4);
            Assert.InRange(planner.Plan(failure, 40, now, null)!.Value.TotalSeconds, 9.9, 10);
            Assert.Null(planner.Plan(failure, 0, now, now.AddSeconds(-1)));
            Assert.Equal(TimeSpan.FromMilliseconds(300), planner.Plan(failure, 5, now, now.AddMilliseconds(300)));
        }

        [Fact]
        public async Task EveryAttemptIsTraced()
        {
            var traces = new System.Collections.Concurrent.ConcurrentQueue<RequestTrace>();
            var handler = RecordingHandler.Sequence(() => throw new HttpRequestException("refused"), () => Responses.Error(503, "API_000", "down"), () => Responses.Operation("running"));
            using GliderClient client = TestClients.Create(handler, o => o.OnRequest = traces.Enqueue);

            await client.GetOperationAsync("pf_1", "op:1", CancellationToken.None);

            var list = traces.ToArray();
            Assert.Equal(new[] { 1, 2, 3 }, list.Select(t => t.Attempt));
            Assert.Null(list[0].StatusCode);
            Assert.Contains("refused", list[0].Failure);
            Assert.Equal(503, list[1].StatusCode);
            Assert.Equal(200, list[2].StatusCode);
            Assert.Equal(Responses.CorrelationId, list[2].CorrelationId);
            Assert.All(list, t => Assert.Equal("GET", t.Method));
            Assert.All(list, t => Assert.Equal(TestClients.LocalBase + "/v2/portfolios/pf_1/operations/op%3A1", t.Uri));
        }
    }

    internal static class ResponseExtensions
    {
        public static HttpResponseMessage Also(this HttpResponseMessage response, Action<HttpResponseMessage> configure)
        {
            configure(response);
            return response;
        }
    }
}
