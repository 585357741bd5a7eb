using System;
using System.Net;
using System.Net.Http;
using System.Text;

namespace Glider.Client.Tests.Support
{
    public static class Responses
    {
        public const string CorrelationId = "corr-123";
        public const string RequestId = "req-456";

        public static HttpResponseMessage Json(int status, string json, Action<HttpResponseMessage>? configure = null)
        {
            var response = new HttpResponseMessage((HttpStatusCode)status)
            {
                Content = new StringContent(json, Encoding.UTF8, "application/json"),
            };
            response.Headers.TryAddWithoutValidation("X-Correlation-Id", CorrelationId);
            response.Headers.TryAddWithoutValidation("X-Request-Id", RequestId);
            configure?.Invoke(response);
            return response;
        }

        public static HttpResponseMessage Text(int status, string body, string mediaType = "text/html")
        {
            return new HttpResponseMessage((HttpStatusCode)status) { Content = new StringContent(body, Encoding.UTF8, mediaType) };
        }

        public static HttpResponseMessage Data(string dataJson, int status = 200) =>
            Json(status, "{\"success\":true,\"data\":" + dataJson + "}");

        public static HttpResponseMessage Error(int status, string code, string message, string? retryAfter = null) =>
            Json(status, $"{{\"success\":false,\"error\":{{\"code\":\"{code}\",\"message\":\"{message}\"}}}}", r =>
            {
                if (retryAfter != null)
                {
                    r.Headers.TryAddWithoutValidation("Retry-After", retryAfter);
                }
            });

        public static HttpResponseMessage PlatformLimit(int retryAfterBody, string? retryAfterHeader) =>
            Json(429, $"{{\"error\":\"Too Many Requests\",\"message\":\"Slow down.\",\"retryAfter\":{retryAfterBody},\"correlationId\":\"body-corr\",\"requestId\":\"body-req\"}}", r =>
            {
                if (retryAfterHeader != null)
                {
                    r.Headers.TryAddWithoutValidation("Retry-After", retryAfterHeader);
                }
            });

        public static HttpResponseMessage Operation(string state, string operationId = "op:1", string portfolioId = "pf_1") =>
            Data($"{{\"operationId\":\"{operationId}\",\"portfolioId\":\"{portfolioId}\",\"kind\":\"rebalance\",\"state\":\"{state}\",\"createdAt\":\"2026-11-25T12:00:00Z\"}}");

        public static HttpResponseMessage Portfolio(string portfolioId = "pf_1") =>
            Data($"{{\"portfolioId\":\"{portfolioId}\",\"ownerAccountId\":\"eip155:0:0xabc\",\"schedule\":{{\"status\":\"active\",\"intervalMs\":3600000}}}}");
    }
}
