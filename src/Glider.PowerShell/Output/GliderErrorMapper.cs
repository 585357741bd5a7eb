using System;
using System.Globalization;
using System.Management.Automation;
using System.Text;
using Glider.Client.Errors;
using Glider.Client.Models;

namespace Glider.PowerShell
{
    /// <summary>
    /// The one place where failures become ErrorRecords: stable error ids, categories, the item as TargetObject, the
    /// server's message and the tracing ids in ErrorDetails, and what to do next in RecommendedAction. The client's
    /// exception stays the record's Exception so a catch block still reads RetryAfter, StatusCode and the rest.
    /// </summary>
    internal static class GliderErrorMapper
    {
        public const string NotConnectedId = "GliderNotConnected";

        public static ErrorRecord FromException(Exception exception, object? target)
        {
            switch (exception)
            {
                case GliderRateLimitException rate:
                    return RateLimited(rate, target);
                case GliderAuthenticationException auth:
                    return Record(auth, "GliderAuthenticationFailed", ErrorCategory.AuthenticationError, target,
                        "Check the API key given to Connect-Glider (or in GLIDER_API_KEY): it is missing, invalid or expired.");
                case GliderPermissionException denied:
                    return Record(denied, "GliderPermissionDenied", ErrorCategory.PermissionDenied, target,
                        "Use a key with the scope this call needs: portfolios:write to rebalance, suspend or resume; portfolios:read to read. Get-GliderContext shows the scopes of the current key.");
                case GliderNotFoundException route when route.IsRouteNotFound:
                    return Record(route, "GliderRouteNotFound", ErrorCategory.InvalidArgument, target,
                        "The API has no such route, so the base URI is wrong (not an id): give Connect-Glider -BaseUri, or GLIDER_BASE_URI, the API's root only, such as https://api.glider.fi or https://api.glider.fi/v2, with no further path (the message names the path that was not found).");
                case GliderNotFoundException missing:
                    return Record(missing, "GliderNotFound", ErrorCategory.ObjectNotFound, target,
                        "Check the id. The API answers the same 404 for an id that does not exist and for one that belongs to another tenant.");
                case GliderBadRequestException bad:
                    return Record(bad, "GliderBadRequest", ErrorCategory.InvalidArgument, target, BadRequestAdvice(bad));
                case GliderServerException server:
                    return Record(server, "GliderServerError", ErrorCategory.ConnectionError, target, ServerErrorAdvice(server));
                case GliderApiException api:
                    return Record(api, "GliderApiError", ErrorCategory.InvalidResult, target,
                        "The API answered with an unexpected status; see the server's message.");
                case GliderTimeoutException timeout when MayHaveStartedRun(timeout):
                    return Record(timeout, "GliderRequestTimeout", ErrorCategory.OperationTimeout, target, MayHaveStartedAdvice);
                case GliderTimeoutException timeout:
                    return Record(timeout, "GliderRequestTimeout", ErrorCategory.OperationTimeout, target,
                        "The API did not answer in time. Try again later; check the network path to the API.");
                case GliderTransportException unknownHost when unknownHost.IsHostNotFound:
                    return Record(unknownHost, "GliderHostNotFound", ErrorCategory.ConnectionError, target,
                        "The API's host name does not resolve: check it for a typo in Connect-Glider -BaseUri or GLIDER_BASE_URI. Nothing was sent.");
                case GliderTransportException transport when MayHaveStartedRun(transport):
                    return Record(transport, "GliderConnectionFailed", ErrorCategory.ConnectionError, target, MayHaveStartedAdvice);
                case GliderTransportException transport:
                    return Record(transport, "GliderConnectionFailed", ErrorCategory.ConnectionError, target,
                        "No usable response from the API. Check the base URI, DNS, proxy and network path, then try again.");
                case GliderResponseFormatException format:
                    return Record(format, "GliderInvalidResponse", ErrorCategory.InvalidData, target,
                        "The API answered with a body that is not the documented JSON (often a proxy page). Try again later.");
                case GliderProxyAuthenticationException proxy:
                    return Record(proxy, "GliderProxyAuthenticationRequired", ErrorCategory.AuthenticationError, target,
                        $"Give the proxy{(proxy.Proxy == null ? string.Empty : " " + proxy.Proxy.GetLeftPart(UriPartial.Authority))} its credentials: Connect-Glider -Proxy <its URI> -ProxyCredential <user and password> (or -ProxyUseDefaultCredentials for your own logon); if you gave them, check them. The API key was not checked: nothing reached the API.");
                case GliderOperationException operation:
                    return Record(operation, "GliderOperationError", ErrorCategory.InvalidResult, target, null);
                case GliderException other:
                    return Record(other, "GliderError", ErrorCategory.NotSpecified, target, null);
                case ArgumentException refused:
                    return Record(refused, "GliderInvalidArgument", ErrorCategory.InvalidArgument, target,
                        "The value was refused before any request was sent; check the id.");
                default:
                    return Record(exception, "GliderUnexpectedError", ErrorCategory.NotSpecified, target, null);
            }
        }

        public static ErrorRecord OperationFinishedUnsuccessfully(Operation operation)
        {
            bool cancelled = string.Equals(operation.State, OperationStates.Cancelled, StringComparison.Ordinal);
            string verb = cancelled ? "was cancelled" : "failed";
            string message = $"Operation {operation.OperationId} of portfolio {operation.PortfolioId} {verb}: {operation.Error ?? "the server gave no reason"}.";
            var exception = new GliderOperationException(message, operation.PortfolioId, operation.OperationId, operation);
            return Record(
                exception,
                cancelled ? "GliderOperationCancelled" : "GliderOperationFailed",
                cancelled ? ErrorCategory.OperationStopped : ErrorCategory.InvalidResult,
                operation,
                "Read the portfolio's state (Get-GliderPortfolio) before triggering another rebalance.");
        }

        /// <param name="lastFailure">The last poll's error when polls were failing at the end (a 503, a 429 whose wait passed the deadline), else null.</param>
        public static ErrorRecord OperationTimedOut(OperationReference reference, Operation? lastKnown, GliderException? lastFailure, TimeSpan timeout)
        {
            string limit = timeout.TotalSeconds.ToString(CultureInfo.InvariantCulture) + " s";
            string what = $"Operation {reference.OperationId} of portfolio {reference.PortfolioId}";
            string message;
            if (lastFailure is GliderRateLimitException limited)
            {
                message = $"{what} did not finish within {limit}: the API asked for no poll before {FormatUtc(limited.RetryAt)}, after the wait's end (last state: {lastKnown?.State ?? "not polled successfully"}). {lastFailure.Message}";
            }
            else if (lastFailure != null)
            {
                message = lastKnown == null
                    ? $"{what} did not finish within {limit}: every poll failed; the last one: {lastFailure.Message}"
                    : $"{what} did not finish within {limit} (last state seen: {lastKnown.State}); the polls since then failed, the last one: {lastFailure.Message}";
            }
            else
            {
                message = lastKnown == null
                    ? $"{what} did not finish within {limit}: the wait ended before its first poll was due."
                    : $"{what} did not finish within {limit} (last state: {lastKnown.State}).";
            }

            var exception = new GliderOperationException(message, reference.PortfolioId, reference.OperationId, lastKnown, lastFailure);
            bool awaitingUser = string.Equals(lastKnown?.State, OperationStates.AwaitingUser, StringComparison.Ordinal);
            return Record(
                exception,
                "GliderOperationTimeout",
                ErrorCategory.OperationTimeout,
                (object?)lastKnown ?? reference,
                awaitingUser
                    ? "The run is waiting for a person (state awaiting_user): it will not go on until someone acts on it in Glider, however long you wait. Have it seen to there, then wait again with Wait-GliderOperation (pipe this error's TargetObject). Do not trigger it again before it ends."
                    : "The operation may still finish: wait again with Wait-GliderOperation (pipe this error's TargetObject) or a longer -Timeout. Do not trigger it again before it ends.");
        }

        private static string FormatUtc(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

        public static ErrorRecord NotConnected()
        {
            var exception = new InvalidOperationException(
                "Not connected to Glider. Run Connect-Glider, pass -Connection, or set the GLIDER_API_KEY environment variable (and GLIDER_BASE_URI for a non-production API).");
            return new ErrorRecord(exception, NotConnectedId, ErrorCategory.ConnectionError, null);
        }

        public static ErrorRecord ApiKeyMissing()
        {
            var exception = new ArgumentException(
                "No API key: give -ApiKey (a SecureString) or -Credential (the key as the password), or set the GLIDER_API_KEY environment variable.");
            return new ErrorRecord(exception, "GliderApiKeyMissing", ErrorCategory.InvalidArgument, null);
        }

        public static ErrorRecord ProxyParameterConflict(string message) =>
            new ErrorRecord(new ArgumentException(message), "GliderProxyParameterConflict", ErrorCategory.InvalidArgument, null);

        /// <summary>-Proxy was refused; the message never quotes user info (the client refuses a URI that has some without echoing it).</summary>
        public static ErrorRecord InvalidProxy(ArgumentException reason) =>
            new ErrorRecord(new ArgumentException("Cannot use -Proxy: " + reason.Message, reason), "GliderInvalidProxy", ErrorCategory.InvalidArgument, null);

        public static ErrorRecord WaitParameterWithoutWait()
        {
            var exception = new ArgumentException("-Timeout and -PollIntervalSec apply only with -Wait. Add -Wait, or pipe the submissions to Wait-GliderOperation.");
            return new ErrorRecord(exception, "GliderWaitParameterWithoutWait", ErrorCategory.InvalidArgument, null);
        }

        /// <summary>
        /// The client refused its settings. Its key check names the "apiKey" parameter and never quotes the key; anything
        /// else it refuses at construction is the base URI (https required off loopback, no query, ...).
        /// </summary>
        public static ErrorRecord ClientRefused(object? baseUri, Exception reason)
        {
            if (reason is ArgumentException argument && string.Equals(argument.ParamName, "apiKey", StringComparison.Ordinal))
            {
                var exception = new ArgumentException("The API key was refused before any request: " + argument.Message, argument);
                return new ErrorRecord(exception, "GliderInvalidApiKey", ErrorCategory.InvalidArgument, null);
            }

            return InvalidBaseUri(baseUri, reason);
        }

        public static ErrorRecord InvalidBaseUri(object? value, Exception reason)
        {
            // Never wrap the client's exception text blindly: an ArgumentException from its constructor is about the URI only.
            var exception = new ArgumentException($"Cannot use base URI '{value}': {reason.Message}", reason);
            return new ErrorRecord(exception, "GliderInvalidBaseUri", ErrorCategory.InvalidArgument, value);
        }

        private const string MayHaveStartedAdvice =
            "The rebalance may have started: the request can have reached the API before the connection failed. To find out, run Invoke-GliderRebalance again for this portfolio: while a run is in flight the API answers with that run's operation instead of starting a second one (a cooldown error means a run has just ended: read it with Get-GliderPortfolio).";

        /// <summary>A rebalance trigger that got no answer, and not because nothing could be sent (unknown host, refused connection).</summary>
        /// <summary>A rebalance POST that failed this way may still have started a run on the server.</summary>
        internal static bool MayHaveStartedRun(GliderException exception) =>
            exception.Call == GliderCallKind.Rebalance
            && !(exception is GliderTransportException transport && (transport.IsHostNotFound || ConnectionRefused(transport)));

        private static bool ConnectionRefused(Exception exception)
        {
            for (Exception? current = exception; current != null; current = current.InnerException)
            {
                if (current is System.Net.Sockets.SocketException socket && socket.SocketErrorCode == System.Net.Sockets.SocketError.ConnectionRefused)
                {
                    return true;
                }
            }

            return false;
        }

        private static string BadRequestAdvice(GliderBadRequestException bad)
        {
            if (bad.RefusedParameter != null)
            {
                return $"The API refused the value of {ParameterName(bad.RefusedParameter)}; see the server's message, correct it and try again.";
            }

            return bad.Call == GliderCallKind.ScheduleChange
                ? "The API refused the request as invalid; see the server's message. Suspend/Resume answer this for a portfolio without a schedule (Get-GliderPortfolio shows its ScheduleStatus)."
                : "The API refused the request as invalid; see the server's message.";
        }

        /// <summary>The cmdlet parameter that carries an API request parameter, where there is one.</summary>
        private static string ParameterName(string apiParameter) => apiParameter.ToLowerInvariant() switch
        {
            "portfolioid" => "-PortfolioId",
            "operationid" => "-OperationId",
            "owneraccountid" => "-OwnerAccountId",
            "strategyid" => "-StrategyId",
            "status" => "-Status",
            _ => $"the request's '{apiParameter}'",
        };

        private static string ServerErrorAdvice(GliderServerException server)
        {
            string what = server.Attempts > 1
                ? $"The Glider API failed on each of {server.Attempts.ToString(CultureInfo.InvariantCulture)} attempts."
                : server.Call == GliderCallKind.Rebalance
                    ? "The Glider API answered the rebalance trigger with a server error; it was sent once and not re-sent (a trigger that got an answer never is)."
                    : "The Glider API failed; the request was sent once and not retried.";
            return what + " Try again later, and quote the correlation id to Glider support if it persists.";
        }

        private static ErrorRecord RateLimited(GliderRateLimitException rate, object? target)
        {
            string id = rate.IsRebalanceCooldown ? "GliderRebalanceCooldown" : "GliderRateLimited";
            string seconds = Math.Ceiling(rate.RetryAfter.TotalSeconds).ToString(CultureInfo.InvariantCulture);
            string when = rate.RetryAt.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture);
            string action = rate.IsRebalanceCooldown
                ? $"Retry after {when} (in {seconds} s): the portfolio was rebalanced recently and manual rebalances have a cooldown."
                : $"Retry after {when} (in {seconds} s): the API's rate limit was exceeded; slow down or spread the calls.";
            return Record(rate, id, ErrorCategory.LimitsExceeded, target, action);
        }

        private static ErrorRecord Record(Exception exception, string errorId, ErrorCategory category, object? target, string? recommendedAction)
        {
            var record = new ErrorRecord(exception, errorId, category, target);
            var details = new ErrorDetails(Describe(exception));
            if (recommendedAction != null)
            {
                details.RecommendedAction = recommendedAction;
            }

            record.ErrorDetails = details;
            return record;
        }

        /// <summary>The client's message, the server's own words when they add something, and the ids support asks for.</summary>
        private static string Describe(Exception exception)
        {
            var text = new StringBuilder(exception.Message);
            if (exception is GliderException glider)
            {
                if (!string.IsNullOrEmpty(glider.ServerMessage) && exception.Message.IndexOf(glider.ServerMessage, StringComparison.Ordinal) < 0)
                {
                    text.Append(" Server: ").Append(glider.ServerMessage);
                    if (!string.IsNullOrEmpty(glider.ApiErrorCode))
                    {
                        text.Append(" (").Append(glider.ApiErrorCode).Append(')');
                    }

                    text.Append('.');
                }

                // The client usually names the ids in its message already; say them once.
                bool idsShown = (glider.CorrelationId == null || exception.Message.IndexOf(glider.CorrelationId, StringComparison.Ordinal) >= 0)
                    && (glider.RequestId == null || exception.Message.IndexOf(glider.RequestId, StringComparison.Ordinal) >= 0);
                if (!idsShown)
                {
                    text.Append(" Correlation id: ").Append(glider.CorrelationId ?? "none")
                        .Append(", request id: ").Append(glider.RequestId ?? "none").Append('.');
                }
            }

            return text.ToString();
        }
    }
}
