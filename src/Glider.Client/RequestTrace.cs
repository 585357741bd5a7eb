using System;

namespace Glider.Client
{
    /// <summary>What one HTTP attempt did, for verbose output. Holds no header and no key.</summary>
    internal sealed class RequestTrace
    {
        public RequestTrace(string method, string uri, int? statusCode, TimeSpan elapsed, int attempt, string? correlationId, string? failure)
        {
            Method = method;
            Uri = uri;
            StatusCode = statusCode;
            Elapsed = elapsed;
            Attempt = attempt;
            CorrelationId = correlationId;
            Failure = failure;
        }

        public string Method { get; }
        public string Uri { get; }
        public int? StatusCode { get; }
        public TimeSpan Elapsed { get; }
        public int Attempt { get; }
        public string? CorrelationId { get; }
        /// <summary>Why the attempt produced no response (timeout, reset, ...), or null.</summary>
        public string? Failure { get; }

        public override string ToString() =>
            $"{Method} {Uri} -> {(StatusCode.HasValue ? StatusCode.Value.ToString() : Failure ?? "no response")} in {(int)Elapsed.TotalMilliseconds} ms (attempt {Attempt}, correlation id {CorrelationId ?? "none"})";
    }
}
