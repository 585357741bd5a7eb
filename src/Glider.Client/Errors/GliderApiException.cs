using System;

namespace Glider.Client.Errors
{
    /// <summary>The API answered with an error status.</summary>
    public class GliderApiException : GliderException
    {
        public GliderApiException(string message, int statusCode, string? apiErrorCode, string? serverMessage, string? correlationId, string? requestId, Exception? innerException = null)
            : base(message, innerException)
        {
            StatusCode = statusCode;
            ApiErrorCode = apiErrorCode;
            ServerMessage = serverMessage;
            CorrelationId = correlationId;
            RequestId = requestId;
        }

        public override bool IsTransient => StatusCode is 408 or 429 or 500 or 502 or 503 or 504;

        /// <summary>
        /// The request parameter the API named as refused (the error body's details.parameter: portfolioId,
        /// ownerAccountId, ...), when it named one.
        /// </summary>
        public string? RefusedParameter { get; internal set; }

        /// <summary>The wait the server asked for (Retry-After or the body's retryAfter), when it gave one; a lower bound for retries.</summary>
        internal TimeSpan? ServerRetryAfter { get; set; }
    }

    /// <summary>401: the key is missing, invalid or expired.</summary>
    public sealed class GliderAuthenticationException : GliderApiException
    {
        public GliderAuthenticationException(string message, int statusCode, string? apiErrorCode, string? serverMessage, string? correlationId, string? requestId)
            : base(message, statusCode, apiErrorCode, serverMessage, correlationId, requestId) { }
    }

    /// <summary>403: the key lacks the endpoint's scope.</summary>
    public sealed class GliderPermissionException : GliderApiException
    {
        public GliderPermissionException(string message, int statusCode, string? apiErrorCode, string? serverMessage, string? correlationId, string? requestId)
            : base(message, statusCode, apiErrorCode, serverMessage, correlationId, requestId) { }
    }

    /// <summary>404: missing, or not visible to this key (the API does not tell the two apart).</summary>
    public sealed class GliderNotFoundException : GliderApiException
    {
        public GliderNotFoundException(string message, int statusCode, string? apiErrorCode, string? serverMessage, string? correlationId, string? requestId)
            : base(message, statusCode, apiErrorCode, serverMessage, correlationId, requestId) { }

        /// <summary>
        /// The route itself does not exist (API_200, or a 404 on a call that names no id, such as whoami): the base
        /// URI is wrong, not an id.
        /// </summary>
        public bool IsRouteNotFound { get; internal set; }
    }

    /// <summary>400: the request was refused as invalid.</summary>
    public sealed class GliderBadRequestException : GliderApiException
    {
        public GliderBadRequestException(string message, int statusCode, string? apiErrorCode, string? serverMessage, string? correlationId, string? requestId)
            : base(message, statusCode, apiErrorCode, serverMessage, correlationId, requestId) { }
    }

    /// <summary>5xx (and 408): the server failed; usually worth another try.</summary>
    public sealed class GliderServerException : GliderApiException
    {
        public GliderServerException(string message, int statusCode, string? apiErrorCode, string? serverMessage, string? correlationId, string? requestId)
            : base(message, statusCode, apiErrorCode, serverMessage, correlationId, requestId) { }
    }
}
