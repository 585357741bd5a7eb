using System;
using Glider.Emulator.Model;
using Microsoft.AspNetCore.Http;

namespace Glider.Emulator.Http
{
    /// <summary>One /v2 request as the handlers see it.</summary>
    internal sealed class V2Call
    {
        public V2Call(HttpContext http, RawRequestTarget target, string requestId, string correlationId, string? apiKeyHeader, ApiKey? key)
        {
            Http = http;
            Target = target;
            RequestId = requestId;
            CorrelationId = correlationId;
            ApiKeyHeader = apiKeyHeader;
            Key = key;
        }

        public HttpContext Http { get; }
        public RawRequestTarget Target { get; }
        public string Method => Http.Request.Method;
        public string RequestId { get; }
        public string CorrelationId { get; }

        /// <summary>The x-api-key value; only for authentication, never logged.</summary>
        public string? ApiKeyHeader { get; }

        public ApiKey? Key { get; }

        /// <summary>What the request log may say about the key: the id of a known one, "unknown", or null when absent.</summary>
        public string? ApiKeyIdForLog => ApiKeyHeader is null ? null : Key?.KeyId ?? "unknown";

        /// <summary>The platform layer that answered 429 ("global" or a tier's name), for the request log; null otherwise.</summary>
        public string? RateLimitedBy { get; set; }
    }
}
