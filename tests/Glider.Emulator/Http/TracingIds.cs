using System;
using Glider.Emulator.State;
using Microsoft.AspNetCore.Http;

namespace Glider.Emulator.Http
{
    /// <summary>The X-Request-Id / X-Correlation-Id pair every response carries.</summary>
    internal static class TracingIds
    {
        public const string RequestIdHeader = "X-Request-Id";
        public const string CorrelationIdHeader = "X-Correlation-Id";

        public static string NewRequestId(DateTimeOffset now) => "req_" + IdGenerator.NewUlid(now);

        /// <summary>A caller's correlation id is echoed so its logs and ours line up; otherwise a fresh one.</summary>
        public static string CorrelationIdFor(HttpRequest request, DateTimeOffset now)
        {
            var sent = request.Headers[CorrelationIdHeader].ToString();
            if (sent.Length is > 0 and <= 128 && IsVisibleAscii(sent))
            {
                return sent;
            }

            return "corr_" + IdGenerator.NewUlid(now);
        }

        public static void Apply(HttpResponse response, string requestId, string correlationId)
        {
            response.Headers[CorrelationIdHeader] = correlationId;
            response.Headers[RequestIdHeader] = requestId;
        }

        private static bool IsVisibleAscii(string value)
        {
            foreach (var c in value)
            {
                if (c < '!' || c > '~')
                {
                    return false;
                }
            }
            return true;
        }
    }
}
