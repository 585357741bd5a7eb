using System;
using System.Collections.Concurrent;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using Glider.Client.Errors;
using Glider.Client.Tests.Support;
using Xunit;

namespace Glider.Client.Tests
{
    public class KeySecrecyTests
    {
        private static void AssertNoKey(Exception error)
        {
            for (Exception? e = error; e != null; e = e.InnerException)
            {
                Assert.DoesNotContain(TestClients.Key, e.Message);
            }
            Assert.DoesNotContain(TestClients.Key, error.ToString());
            Assert.DoesNotContain("x-api-key", error.ToString(), StringComparison.OrdinalIgnoreCase);
        }

        [Fact]
        public async Task TheKeyIsSentPerRequestAndNeverInDefaultHeaders()
        {
            var handler = RecordingHandler.Always(() => Responses.Portfolio());
            using GliderClient client = TestClients.Create(handler);

            await client.GetPortfolioAsync("pf_1", CancellationToken.None);
            await client.GetPortfolioAsync("pf_1", CancellationToken.None);

            Assert.All(handler.Requests, r => Assert.Equal(TestClients.Key, r.Headers["x-api-key"]));
        }

        [Fact]
        public async Task UserAgentNamesProductVersionSuffixAndPlatform()
        {
            var handler = RecordingHandler.Always(() => Responses.Portfolio());
            using GliderClient client = TestClients.Create(handler, o => o.UserAgentSuffix = "PowerShell/7.6.9\r\nX-Evil: 1");

            await client.GetPortfolioAsync("pf_1", CancellationToken.None);

            string userAgent = handler.Requests.Single().Headers["user-agent"];
            Assert.Matches(@"^GliderPS/\d+\.\d+\.\d+ PowerShell/7\.6\.9 +X-Evil: 1 \(.+; [a-z0-9]+\)$", userAgent);
            Assert.DoesNotContain("\n", userAgent);
        }

        [Fact]
        public async Task AServerEchoingTheKeyHasItScrubbedFromTheException()
        {
            var handler = RecordingHandler.Always(() => Responses.Error(401, "API_102", "Invalid key " + TestClients.Key));
            using GliderClient client = TestClients.Create(handler);

            var error = await Assert.ThrowsAsync<GliderAuthenticationException>(() => client.GetWhoAmIAsync(CancellationToken.None));

            AssertNoKey(error);
            Assert.DoesNotContain(TestClients.Key, error.ServerMessage);
            Assert.Contains("[redacted]", error.ServerMessage);
        }

        [Fact]
        public async Task TransportFailuresQuotingTheKeyLoseTheirInnerException()
        {
            var handler = new RecordingHandler((r, n) => throw new HttpRequestException("proxy said: bad header " + TestClients.Key));
            using GliderClient client = TestClients.Create(handler, o => o.MaxRetryAttempts = 0);

            var error = await Assert.ThrowsAsync<GliderTransportException>(() => client.GetWhoAmIAsync(CancellationToken.None));

            AssertNoKey(error);
            Assert.Null(error.InnerException);
        }

        [Fact]
        public async Task OrdinaryTransportFailuresKeepTheirInnerException()
        {
            var inner = new HttpRequestException("Connection refused (127.0.0.1:5099)");
            var handler = new RecordingHandler((r, n) => throw inner);
            using GliderClient client = TestClients.Create(handler, o => o.MaxRetryAttempts = 0);

            var error = await Assert.ThrowsAsync<GliderTransportException>(() => client.GetWhoAmIAsync(CancellationToken.None));

            Assert.Same(inner, error.InnerException);
            Assert.True(error.IsTransient);
            Assert.Contains("Connection refused", error.Message);
        }

        [Fact]
        public async Task NoExceptionNorTraceEverCarriesTheKey()
        {
            var traces = new ConcurrentQueue<RequestTrace>();
            Func<HttpResponseMessage>[] answers =
            {
                () => Responses.Error(400, "API_002", "bad"),
                () => Responses.Error(401, "API_101", "missing"),
                () => Responses.Error(403, "API_104", "scope"),
                () => Responses.Error(404, "API_006", "nope"),
                () => Responses.Error(429, "API_004", "cooldown", "3"),
                () => Responses.PlatformLimit(3, "3"),
                () => Responses.Error(500, "API_000", "boom"),
                () => Responses.Text(502, "<html>bad gateway</html>"),
                () => Responses.Text(200, "not json"),
                () => Responses.Json(302, "", r => r.Headers.Location = new Uri("https://evil.example/steal")),
                () => throw new IOException("reset"),
            };
            foreach (var answer in answers)
            {
                var handler = RecordingHandler.Always(answer);
                using GliderClient client = TestClients.Create(handler, o => { o.MaxRetryAttempts = 0; o.OnRequest = traces.Enqueue; });
                var error = await Assert.ThrowsAnyAsync<GliderException>(() => client.StartRebalanceAsync("pf_1", CancellationToken.None));
                AssertNoKey(error);
            }

            Assert.Equal(answers.Length, traces.Count);
            Assert.All(traces, t => Assert.DoesNotContain(TestClients.Key, t.ToString() + t.Uri + t.Failure));
        }

        [Fact]
        public async Task ARedirectToAnotherOriginIsRefusedAndNotFollowed()
        {
            var handler = RecordingHandler.Always(() => Responses.Json(307, "", r => r.Headers.Location = new Uri("https://evil.example/v2/portfolios/pf_1")));
            using GliderClient client = TestClients.Create(handler);

            var error = await Assert.ThrowsAsync<GliderTransportException>(() => client.GetPortfolioAsync("pf_1", CancellationToken.None));

            Assert.False(error.IsTransient);
            Assert.Contains("redirect", error.Message);
            Assert.Contains("https://evil.example", error.Message);
            RecordedRequest only = Assert.Single(handler.Requests);
            Assert.Equal("127.0.0.1", only.Uri.Host);
        }

        [Fact]
        public void AKeyWithControlCharactersIsRefusedWithoutQuotingIt()
        {
            var error = Assert.Throws<ArgumentException>(() => TestClients.Create(RecordingHandler.Always(() => Responses.Portfolio()), key: "gldr_sk_abc\r\nX: y"));
            Assert.Equal("apiKey", error.ParamName);
            Assert.DoesNotContain("gldr_sk_abc", error.Message);
        }

        [Fact]
        public async Task AnEmptyKeySendsNoHeader()
        {
            var handler = RecordingHandler.Always(() => Responses.Error(401, "API_101", "missing"));
            using GliderClient client = TestClients.Create(handler, key: "");
            await Assert.ThrowsAsync<GliderAuthenticationException>(() => client.GetWhoAmIAsync(CancellationToken.None));
            Assert.False(handler.Requests.Single().Headers.ContainsKey("x-api-key"));
        }

        [Fact]
        public async Task TheCallersSecureStringMayBeDisposedAfterConstruction()
        {
            var handler = RecordingHandler.Always(() => Responses.Portfolio());
            var secure = TestClients.Secure(TestClients.Key);
            using var client = new GliderClient(new GliderClientOptions { BaseUri = new Uri(TestClients.LocalBase), InnerHandler = handler }, secure);
            secure.Dispose();

            await client.GetPortfolioAsync("pf_1", CancellationToken.None);

            Assert.Equal(TestClients.Key, handler.Requests.Single().Headers["x-api-key"]);
        }

        [Fact]
        public async Task ATraceCallbackThatThrowsDoesNotLoseAStartedRebalance()
        {
            var handler = RecordingHandler.Always(() => Responses.Data("{\"operationId\":\"op:1\",\"submittedAt\":\"2026-11-25T12:00:00Z\"}", 202));
            using GliderClient client = TestClients.Create(handler, o => o.OnRequest = t => throw new InvalidOperationException("observer bug"));

            var submission = await client.StartRebalanceAsync("pf_1", CancellationToken.None);

            Assert.Equal("op:1", submission.OperationId);
        }
    }
}
