using System;
using System.Globalization;
using System.Text;
using Glider.Client.Errors;
using Glider.Client.Json;

namespace Glider.Client.Http
{
    /// <summary>
    /// The one place where an error response (status + headers + body) becomes an exception, with a message that says
    /// what was being done, what the server said, its code, and when to retry.
    /// </summary>
    internal static class ErrorResponseMapper
    {
        public const string CooldownCode = "API_004";
        /// <summary>The API's 404 for a path that matches no route, as opposed to API_006 for a resource that is not there.</summary>
        public const string NoSuchRouteCode = "API_200";
        private const int MaxServerMessageLength = 500;

        /// <param name="response">The response; its body must already have the key scrubbed out.</param>
        /// <param name="action">What was being done: "Rebalance of portfolio pf_x".</param>
        /// <param name="now">The client's clock, for RetryAt.</param>
        /// <param name="fallbackRetryAfter">RetryAfter to report on a 429 that named no wait at all.</param>
        public static GliderApiException Map(ResponseSnapshot response, string action, DateTimeOffset now, TimeSpan fallbackRetryAfter)
        {
            ErrorBody body = ErrorBody.Read(response.Body);
            int status = response.StatusCode;
            string? code = Clean(body.Code, 64);
            string? serverMessage = Clean(body.Message, MaxServerMessageLength);
            string? correlationId = response.CorrelationId ?? Clean(body.CorrelationId, 200);
            string? requestId = response.RequestId ?? Clean(body.RequestId, 200);

            TimeSpan? serverRetryAfter = RetryAfterParser.Parse(response.RetryAfterValues, response.Date, now)
                ?? (body.RetryAfterSeconds is double seconds ? RetryAfterParser.FromSeconds(seconds) : null);

            var message = new StringBuilder(action);
            message.Append(status >= 500 || status == 408 ? " failed: " : " refused: ");

            GliderApiException exception;
            if (status == 429)
            {
                bool cooldown = string.Equals(code, CooldownCode, StringComparison.OrdinalIgnoreCase);
                TimeSpan retryAfter = serverRetryAfter ?? fallbackRetryAfter;
                DateTimeOffset retryAt = now + retryAfter;
                AppendExplanation(message, response, body, code, serverMessage,
                    cooldown ? "cooldown" : body.Shape == ErrorBodyShape.Platform ? "rate limited by the platform" : "rate limited");
                message.Append(" Retry after ").Append(FormatSeconds(retryAfter))
                    .Append(" (at ").Append(retryAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)).Append(").");
                AppendTracing(message, correlationId, requestId);
                exception = new GliderRateLimitException(message.ToString(),
                    cooldown ? RateLimitSource.RebalanceCooldown : RateLimitSource.Platform,
                    retryAfter, retryAt, code, serverMessage, correlationId, requestId);
            }
            else
            {
                bool noSuchRoute = status == 404 && string.Equals(code, NoSuchRouteCode, StringComparison.OrdinalIgnoreCase);
                string? parameter = Clean(body.Parameter, 64);
                string explanation = noSuchRoute
                    ? $"no such route on {response.Host}, so the base URI is probably wrong"
                    : status == 400 && parameter != null ? $"invalid value of {parameter}" : Explain(status);
                AppendExplanation(message, response, body, code, serverMessage, explanation);
                AppendTracing(message, correlationId, requestId);
                string text = message.ToString();
                exception = status switch
                {
                    400 => new GliderBadRequestException(text, status, code, serverMessage, correlationId, requestId),
                    401 => new GliderAuthenticationException(text, status, code, serverMessage, correlationId, requestId),
                    403 => new GliderPermissionException(text, status, code, serverMessage, correlationId, requestId),
                    404 => new GliderNotFoundException(text, status, code, serverMessage, correlationId, requestId),
                    408 => new GliderServerException(text, status, code, serverMessage, correlationId, requestId),
                    >= 500 and <= 599 => new GliderServerException(text, status, code, serverMessage, correlationId, requestId),
                    _ => new GliderApiException(text, status, code, serverMessage, correlationId, requestId),
                };
                exception.RefusedParameter = parameter;
                if (exception is GliderNotFoundException notFound)
                {
                    notFound.IsRouteNotFound = noSuchRoute;
                }
            }

            exception.ServerRetryAfter = serverRetryAfter;
            return exception;
        }

        /// <summary>
        /// The proxy answered 407, to the request itself (http) or to the tunnel it was asked to open (https). Its own
        /// error, not the API's: the key was fine or never seen, and only the proxy credentials can change the answer.
        /// </summary>
        /// <param name="action">What was being done: "Rebalance of portfolio pf_x".</param>
        /// <param name="proxy">The proxy in use (no user info), when known.</param>
        /// <param name="status">407, or the 401 some proxies answer to a wrong password.</param>
        public static GliderProxyAuthenticationException ProxyAuthenticationRequired(string action, Uri? proxy, int status, int attempt, Exception? inner)
        {
            string who = proxy == null ? "the proxy" : "the proxy " + proxy.GetLeftPart(UriPartial.Authority);
            string message = $"{action} failed: {who} refused it with {StatusText(status, status == 407 ? "Proxy Authentication Required" : null)}: it wants credentials, or refused the ones given. Nothing reached the API (attempt {attempt.ToString(CultureInfo.InvariantCulture)}, not retried).";
            return new GliderProxyAuthenticationException(message, proxy, inner) { Attempts = attempt };
        }

        public static string StatusText(int status, string? reasonPhrase)
        {
            string? reason = Clean(reasonPhrase, 80) ?? DefaultReason(status);
            return reason == null ? $"HTTP {status}" : $"HTTP {status} {reason}";
        }

        private static void AppendExplanation(StringBuilder message, ResponseSnapshot response, ErrorBody body, string? code, string? serverMessage, string explanation)
        {
            if (body.Shape == ErrorBodyShape.NotJson || body.Shape == ErrorBodyShape.Empty)
            {
                message.Append(StatusText(response.StatusCode, response.ReasonPhrase)).Append(" from ").Append(response.Host)
                    .Append(body.Shape == ErrorBodyShape.Empty ? " (empty body)." : " (body was not JSON).");
                return;
            }

            message.Append(explanation).Append(" (");
            message.Append(code ?? StatusText(response.StatusCode, response.ReasonPhrase));
            message.Append(')');
            message.Append(serverMessage == null ? "." : ": " + EndSentence(serverMessage));
        }

        private static void AppendTracing(StringBuilder message, string? correlationId, string? requestId)
        {
            if (correlationId == null && requestId == null)
            {
                return;
            }

            message.Append(" [correlation id ").Append(correlationId ?? "none").Append(", request id ").Append(requestId ?? "none").Append(']');
        }

        private static string Explain(int status) => status switch
        {
            400 => "invalid request",
            401 => "the API key is missing, invalid or expired",
            403 => "the API key lacks the scope this call needs",
            404 => "not found, or not visible to this API key",
            408 => "the server timed the request out",
            >= 500 and <= 599 => "server error",
            _ => "unexpected answer",
        };

        private static string? DefaultReason(int status) => status switch
        {
            400 => "Bad Request",
            401 => "Unauthorized",
            403 => "Forbidden",
            404 => "Not Found",
            408 => "Request Timeout",
            429 => "Too Many Requests",
            500 => "Internal Server Error",
            502 => "Bad Gateway",
            503 => "Service Unavailable",
            504 => "Gateway Timeout",
            _ => null,
        };

        private static string FormatSeconds(TimeSpan wait)
        {
            double seconds = Math.Ceiling(wait.TotalSeconds);
            return seconds.ToString("0", CultureInfo.InvariantCulture) + " s";
        }

        private static string EndSentence(string text) =>
            text.EndsWith(".", StringComparison.Ordinal) || text.EndsWith("!", StringComparison.Ordinal) || text.EndsWith("?", StringComparison.Ordinal)
                ? text
                : text + ".";

        /// <summary>Server text goes into one-line messages: control characters become spaces, and the length is bounded.</summary>
        internal static string? Clean(string? text, int maxLength)
        {
            if (string.IsNullOrWhiteSpace(text))
            {
                return null;
            }

            var cleaned = new StringBuilder(Math.Min(text!.Length, maxLength + 1));
            bool lastWasSpace = false;
            foreach (char c in text.Trim())
            {
                bool space = char.IsWhiteSpace(c) || char.IsControl(c);
                if (space && lastWasSpace)
                {
                    continue;
                }

                cleaned.Append(space ? ' ' : c);
                lastWasSpace = space;
                if (cleaned.Length >= maxLength)
                {
                    cleaned.Append('…');
                    break;
                }
            }
            return cleaned.ToString();
        }
    }
}
