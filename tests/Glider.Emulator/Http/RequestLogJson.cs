using System.Text.Json;
using Glider.Emulator.State;

namespace Glider.Emulator.Http
{
    internal static class RequestLogJson
    {
        public static void Write(Utf8JsonWriter w, RequestLogEntry e)
        {
            w.WriteStartObject();
            w.WriteString("time", IsoTime.Format(e.Time));
            w.WriteString("method", e.Method);
            w.WriteString("rawTarget", e.RawTarget);
            w.WriteStartArray("headerNames");
            foreach (var name in e.HeaderNames)
            {
                w.WriteStringValue(name);
            }

            w.WriteEndArray();
            w.WriteBoolean("apiKeyPresent", e.ApiKeyPresent);
            if (e.ApiKeyId is null)
            {
                w.WriteNull("apiKeyId");
            }
            else
            {
                w.WriteString("apiKeyId", e.ApiKeyId);
            }

            if (e.UserAgent is null)
            {
                w.WriteNull("userAgent");
            }
            else
            {
                w.WriteString("userAgent", e.UserAgent);
            }

            if (e.Status is null)
            {
                w.WriteNull("status");
            }
            else
            {
                w.WriteNumber("status", e.Status.Value);
            }

            if (e.Fault is null)
            {
                w.WriteNull("fault");
            }
            else
            {
                w.WriteString("fault", e.Fault);
            }

            w.WriteString("connectionId", e.ConnectionId);
            w.WriteString("requestId", e.RequestId);
            w.WriteString("correlationId", e.CorrelationId);
            w.WriteString("completedAt", IsoTime.Format(e.CompletedAt == default ? e.Time : e.CompletedAt));
            w.WriteBoolean("clientAborted", e.ClientAborted);
            if (e.RateLimitedBy is null)
            {
                w.WriteNull("rateLimitedBy");
            }
            else
            {
                w.WriteString("rateLimitedBy", e.RateLimitedBy);
            }
            w.WriteEndObject();
        }
    }
}
