using System;
using System.Text.Json;

namespace Glider.Client.Json
{
    /// <summary>Which of the documented error body shapes arrived.</summary>
    internal enum ErrorBodyShape
    {
        /// <summary>{"success":false,"error":{"code","message","details"}}</summary>
        Envelope,
        /// <summary>The platform limiter's {"error":"Too Many Requests","message","retryAfter","correlationId","requestId"}</summary>
        Platform,
        /// <summary>JSON, but neither shape.</summary>
        OtherJson,
        NotJson,
        Empty,
    }

    /// <summary>What an error body said, whatever its shape.</summary>
    internal sealed class ErrorBody
    {
        private ErrorBody(ErrorBodyShape shape, string? code = null, string? message = null, double? retryAfterSeconds = null, string? correlationId = null, string? requestId = null, string? parameter = null)
        {
            Parameter = parameter;
            Shape = shape;
            Code = code;
            Message = message;
            RetryAfterSeconds = retryAfterSeconds;
            CorrelationId = correlationId;
            RequestId = requestId;
        }

        public ErrorBodyShape Shape { get; }
        public string? Code { get; }
        public string? Message { get; }
        public double? RetryAfterSeconds { get; }
        public string? CorrelationId { get; }
        public string? RequestId { get; }
        /// <summary>error.details.parameter: the request parameter the API refused, when it named one.</summary>
        public string? Parameter { get; }

        public static ErrorBody Read(string body)
        {
            if (string.IsNullOrWhiteSpace(body))
            {
                return new ErrorBody(ErrorBodyShape.Empty);
            }

            try
            {
                using JsonDocument document = JsonDocument.Parse(body);
                JsonElement root = document.RootElement;
                if (root.ValueKind != JsonValueKind.Object)
                {
                    return new ErrorBody(ErrorBodyShape.OtherJson);
                }

                string? correlationId = JsonFields.String(root, "correlationId");
                string? requestId = JsonFields.String(root, "requestId");
                JsonElement? error = JsonFields.Property(root, "error");

                if (error is { ValueKind: JsonValueKind.Object })
                {
                    return new ErrorBody(ErrorBodyShape.Envelope,
                        JsonFields.String(error.Value, "code"),
                        JsonFields.String(error.Value, "message"),
                        JsonFields.Number(error.Value, "retryAfter") ?? JsonFields.Number(root, "retryAfter"),
                        correlationId, requestId,
                        JsonFields.Object(error.Value, "details") is JsonElement details ? JsonFields.String(details, "parameter") : null);
                }

                if (error is { ValueKind: JsonValueKind.String })
                {
                    string? title = error.Value.GetString();
                    string? message = JsonFields.String(root, "message");
                    return new ErrorBody(ErrorBodyShape.Platform,
                        code: null,
                        message: string.IsNullOrWhiteSpace(message) ? title : message,
                        JsonFields.Number(root, "retryAfter"),
                        correlationId, requestId);
                }

                return new ErrorBody(ErrorBodyShape.OtherJson, JsonFields.String(root, "code"), JsonFields.String(root, "message"),
                    JsonFields.Number(root, "retryAfter"), correlationId, requestId);
            }
            catch (JsonException)
            {
                return new ErrorBody(ErrorBodyShape.NotJson);
            }
        }
    }
}
