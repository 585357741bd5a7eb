using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;

namespace Glider.Client.Http
{
    /// <summary>
    /// What the client keeps of a response once it is read: status, the few headers it uses, the body text. Exceptions
    /// are built from this, never from HttpResponseMessage (whose ToString prints headers).
    /// </summary>
    internal sealed class ResponseSnapshot
    {
        public ResponseSnapshot(int statusCode, string? reasonPhrase, string host, string? correlationId, string? requestId,
            IReadOnlyList<string> retryAfterValues, DateTimeOffset? date, string? location, string body)
        {
            StatusCode = statusCode;
            ReasonPhrase = reasonPhrase;
            Host = host;
            CorrelationId = correlationId;
            RequestId = requestId;
            RetryAfterValues = retryAfterValues;
            Date = date;
            Location = location;
            Body = body;
        }

        public int StatusCode { get; }
        public string? ReasonPhrase { get; }
        public string Host { get; }
        public string? CorrelationId { get; }
        public string? RequestId { get; }
        public IReadOnlyList<string> RetryAfterValues { get; }
        public DateTimeOffset? Date { get; }
        public string? Location { get; }
        public string Body { get; }

        public bool IsSuccess => StatusCode >= 200 && StatusCode <= 299;
        public bool IsRedirect => StatusCode >= 300 && StatusCode <= 399;

        public static ResponseSnapshot From(HttpResponseMessage response, Uri requestUri, string? correlationId, string body)
        {
            int status = (int)response.StatusCode;
            // Retry-After, Date and Location only ever explain a failure or a redirect; a success (every poll) skips
            // parsing them.
            bool success = status >= 200 && status <= 299;
            return new ResponseSnapshot(
                status,
                response.ReasonPhrase,
                requestUri.Host,
                correlationId,
                FirstHeader(response, "X-Request-Id"),
                success ? Array.Empty<string>() : AllHeaderValues(response, "Retry-After"),
                success ? null : response.Headers.Date,
                success ? null : FirstHeader(response, "Location"),
                body);
        }

        public static string? CorrelationIdOf(HttpResponseMessage response) => FirstHeader(response, "X-Correlation-Id");

        public static string? FirstHeader(HttpResponseMessage response, string name)
        {
            // TryGetValues also returns values that failed the typed header parsing (a garbage Retry-After).
            if (response.Headers.TryGetValues(name, out IEnumerable<string>? values))
            {
                foreach (string value in values)
                {
                    if (!string.IsNullOrWhiteSpace(value))
                    {
                        return value.Trim();
                    }
                }
            }
            return null;
        }

        private static IReadOnlyList<string> AllHeaderValues(HttpResponseMessage response, string name) =>
            response.Headers.TryGetValues(name, out IEnumerable<string>? values) ? values.ToList() : (IReadOnlyList<string>)Array.Empty<string>();
    }
}
