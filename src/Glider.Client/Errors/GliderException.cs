using System;

namespace Glider.Client.Errors
{
    /// <summary>Base of every error the client raises. Messages never contain the API key or request headers.</summary>
    public class GliderException : Exception
    {
        public GliderException(string message, Exception? innerException = null)
            : base(message, innerException)
        {
        }

        /// <summary>The HTTP status, when a response arrived.</summary>
        public int? StatusCode { get; protected set; }
        /// <summary>The API's error code (API_004, ...), when the body carried one.</summary>
        public string? ApiErrorCode { get; protected set; }
        /// <summary>The server's own message, when the body carried one.</summary>
        public string? ServerMessage { get; protected set; }
        public string? CorrelationId { get; protected set; }
        public string? RequestId { get; protected set; }
        /// <summary>True when trying the same call again later may succeed.</summary>
        public virtual bool IsTransient => false;

        /// <summary>How many requests this call sent before it failed (1 = sent once, not retried); 0 when unknown.</summary>
        public int Attempts { get; internal set; }

        /// <summary>Which kind of call failed, so advice can fit it (a 400 on a schedule change is not a 400 on a filter).</summary>
        public GliderCallKind Call { get; internal set; }
    }
}
