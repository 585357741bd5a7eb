using System;

namespace Glider.Client.Errors
{
    /// <summary>No usable response: connection refused or reset, DNS failure, a body cut short, or a refused redirect.</summary>
    public sealed class GliderTransportException : GliderException
    {
        public GliderTransportException(string message, bool isTransient, Exception? innerException = null)
            : base(message, innerException)
        {
            transient = isTransient;
        }

        private readonly bool transient;
        public override bool IsTransient => transient;

        /// <summary>The API's host name did not resolve (DNS: name not known): a typo in the base URI, never retried.</summary>
        public bool IsHostNotFound { get; internal set; }
    }

    /// <summary>A request (or the whole call) ran past its time limit. Not a user cancellation.</summary>
    public sealed class GliderTimeoutException : GliderException
    {
        public GliderTimeoutException(string message, TimeSpan timeout, Exception? innerException = null)
            : base(message, innerException)
        {
            Timeout = timeout;
        }

        public TimeSpan Timeout { get; }
        public override bool IsTransient => true;
    }

    /// <summary>A success status with a body that could not be read as the documented JSON.</summary>
    public sealed class GliderResponseFormatException : GliderException
    {
        public GliderResponseFormatException(string message, int statusCode, string? correlationId, string? requestId, Exception? innerException = null)
            : base(message, innerException)
        {
            StatusCode = statusCode;
            CorrelationId = correlationId;
            RequestId = requestId;
        }

        public override bool IsTransient => true;
    }
}
