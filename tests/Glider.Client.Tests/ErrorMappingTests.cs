using System;
using System.Threading;
using System.Threading.Tasks;
using Glider.Client.Errors;
using Glider.Client.Http;
using Glider.Client.Tests.Support;
using Xunit;

namespace Glider.Client.Tests
{
    public class ErrorMappingTests
    {
        private static readonly DateTimeOffset Now = new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);

        private static GliderApiException Map(int status, string body, string? retryAfter = null, string? reason = null, string? correlationId = "corr-1", DateTimeOffset? date = null)
        {
            var snapshot = new ResponseSnapshot(status, reason, "api.glider.fi", correlationId, correlationId == null ? null : "req-1",
                retryAfter == null ? Array.Empty<string>() : new[] { retryAfter }, date, null, body);
            return ErrorResponseMapper.Map(snapshot, "Rebalance of portfolio pf_x", Now, TimeSpan.FromSeconds(1));
        }

        private static string Envelope(string code, string message) =>
            $"{{\"success\":false,\"error\":{{\"code\":\"{code}\",\"message\":\"{message}\",\"details\":{{\"x\":1}}}}}}";

        [Fact]
        public void CooldownIsARebalanceCooldownWithRetryAtAndAUsefulMessage()
        {
            var error = Assert.IsType<GliderRateLimitException>(Map(429, Envelope("API_004", "Rebalance cooldown active"), retryAfter: "12"));

            Assert.Equal(RateLimitSource.RebalanceCooldown, error.LimitSource);
            Assert.True(error.IsRebalanceCooldown);
            Assert.Equal(TimeSpan.FromSeconds(12), error.RetryAfter);
            Assert.Equal(Now.AddSeconds(12), error.RetryAt);
            Assert.Equal("API_004", error.ApiErrorCode);
            Assert.Equal("Rebalance cooldown active", error.ServerMessage);
            Assert.Equal(429, error.StatusCode);
            Assert.Equal("corr-1", error.CorrelationId);
            Assert.True(error.IsTransient);
            Assert.StartsWith("Rebalance of portfolio pf_x refused: cooldown (API_004): Rebalance cooldown active. Retry after 12 s (at 2026-11-25T12:00:12Z).", error.Message);
            Assert.Contains("corr-1", error.Message);
        }

        [Fact]
        public void PlatformLimitShapeIsReadWithBodyFallbacks()
        {
            string body = "{\"error\":\"Too Many Requests\",\"message\":\"Per-IP limit exceeded\",\"retryAfter\":42,\"correlationId\":\"body-corr\",\"requestId\":\"body-req\"}";
            var error = Assert.IsType<GliderRateLimitException>(Map(429, body, retryAfter: null, correlationId: null));

            Assert.Equal(RateLimitSource.Platform, error.LimitSource);
            Assert.Equal(TimeSpan.FromSeconds(42), error.RetryAfter);
            Assert.Equal(Now.AddSeconds(42), error.RetryAt);
            Assert.Equal("Per-IP limit exceeded", error.ServerMessage);
            Assert.Equal("body-corr", error.CorrelationId);
            Assert.Equal("body-req", error.RequestId);
            Assert.Null(error.ApiErrorCode);
            Assert.Contains("rate limited by the platform", error.Message);
            Assert.Contains("Retry after 42 s", error.Message);
        }

        [Fact]
        public void TheHeaderWinsOverTheBodyAndGarbageFallsBackToTheBody()
        {
            string body = "{\"error\":\"Too Many Requests\",\"message\":\"m\",\"retryAfter\":42}";
            Assert.Equal(TimeSpan.FromSeconds(5), ((GliderRateLimitException)Map(429, body, retryAfter: "5")).RetryAfter);
            Assert.Equal(TimeSpan.FromSeconds(42), ((GliderRateLimitException)Map(429, body, retryAfter: "soon")).RetryAfter);
        }

        [Fact]
        public void A429WithoutAnyWaitReportsTheFallbackAndNoServerFloor()
        {
            var error = (GliderRateLimitException)Map(429, Envelope("API_004", "cooldown"), retryAfter: "abc");
            Assert.Equal(TimeSpan.FromSeconds(1), error.RetryAfter);
            Assert.Null(error.ServerRetryAfter);
        }

        [Fact]
        public void AnHttpDateRetryAfterUsesTheResponseDate()
        {
            var error = (GliderRateLimitException)Map(429, Envelope("API_004", "cooldown"), retryAfter: "Wed, 25 Nov 2026 11:50:30 GMT",
                date: new DateTimeOffset(2026, 11, 25, 11, 50, 0, TimeSpan.Zero));
            Assert.Equal(TimeSpan.FromSeconds(30), error.RetryAfter);
            Assert.Equal(Now.AddSeconds(30), error.RetryAt);
        }

        [Theory]
        [InlineData(400, "API_002", typeof(GliderBadRequestException), false)]
        [InlineData(401, "API_102", typeof(GliderAuthenticationException), false)]
        [InlineData(403, "API_104", typeof(GliderPermissionException), false)]
        [InlineData(404, "API_006", typeof(GliderNotFoundException), false)]
        [InlineData(408, "API_000", typeof(GliderServerException), true)]
        [InlineData(500, "API_000", typeof(GliderServerException), true)]
        [InlineData(502, "API_000", typeof(GliderServerException), true)]
        [InlineData(503, "API_000", typeof(GliderServerException), true)]
        [InlineData(504, "API_000", typeof(GliderServerException), true)]
        [InlineData(501, "API_000", typeof(GliderServerException), false)]
        [InlineData(409, "API_999", typeof(GliderApiException), false)]
        public void StatusesMapToTheirExceptions(int status, string code, Type expected, bool transient)
        {
            GliderApiException error = Map(status, Envelope(code, "server says no"));
            Assert.Equal(expected, error.GetType());
            Assert.Equal(status, error.StatusCode);
            Assert.Equal(code, error.ApiErrorCode);
            Assert.Equal("server says no", error.ServerMessage);
            Assert.Equal(transient, error.IsTransient);
            Assert.Contains(code, error.Message);
            Assert.Contains("server says no", error.Message);
            Assert.StartsWith("Rebalance of portfolio pf_x", error.Message);
        }

        [Fact]
        public void AnHtmlBodyStillGivesAClearMessage()
        {
            GliderApiException error = Map(502, "<html><body><h1>502 Bad Gateway</h1></body></html>", reason: "Bad Gateway");
            Assert.IsType<GliderServerException>(error);
            Assert.Contains("HTTP 502 Bad Gateway from api.glider.fi (body was not JSON)", error.Message);
            Assert.DoesNotContain("<html>", error.Message);
            Assert.Null(error.ServerMessage);
        }

        [Fact]
        public void AnEmptyBodyStillGivesAClearMessage()
        {
            GliderApiException error = Map(503, "", reason: null);
            Assert.Contains("HTTP 503 Service Unavailable from api.glider.fi (empty body)", error.Message);
        }

        [Fact]
        public void OtherJsonIsNotACrash()
        {
            Assert.IsType<GliderServerException>(Map(500, "[1,2,3]"));
            Assert.IsType<GliderServerException>(Map(500, "\"oops\""));
            Assert.IsType<GliderNotFoundException>(Map(404, "{\"message\":\"gone\"}"));
            Assert.IsType<GliderServerException>(Map(500, "{\"success\":false,\"error\":{\"code\":42,\"message\":null}}"));
        }

        [Fact]
        public void ServerTextIsKeptToOneBoundedLine()
        {
            string longMessage = new string('x', 5000);
            GliderApiException error = Map(400, Envelope("API_002", "line1\\nline2\\r\\n" + longMessage));
            Assert.DoesNotContain("\n", error.Message);
            Assert.True(error.Message.Length < 1000);
        }

        [Fact]
        public async Task ClientErrorsUseHeaderTracingIds()
        {
            var handler = RecordingHandler.Always(() => Responses.Error(404, "API_006", "Portfolio not found"));
            using GliderClient client = TestClients.Create(handler);

            var error = await Assert.ThrowsAsync<GliderNotFoundException>(() => client.GetPortfolioAsync("pf_missing", CancellationToken.None));

            Assert.Equal(Responses.CorrelationId, error.CorrelationId);
            Assert.Equal(Responses.RequestId, error.RequestId);
            Assert.Contains("pf_missing", error.Message);
            Assert.Contains("Portfolio not found", error.Message);
        }
    }
}
