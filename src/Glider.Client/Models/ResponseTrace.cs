namespace Glider.Client.Models
{
    /// <summary>The tracing headers of one response; support asks for them.</summary>
    public readonly struct ResponseTrace
    {
        public ResponseTrace(string? correlationId, string? requestId)
        {
            CorrelationId = correlationId;
            RequestId = requestId;
        }

        public string? CorrelationId { get; }
        public string? RequestId { get; }
    }
}
