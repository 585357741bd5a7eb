using System;
using System.IO;
using System.Net.Http;
using System.Net.Sockets;
using System.Runtime.ExceptionServices;
using System.Security.Authentication;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Glider.Client.Errors;
using Glider.Client.Json;
using Glider.Client.Pacing;
using Glider.Client.Security;
using Polly;

namespace Glider.Client.Http
{
    /// <summary>
    /// Sends one ApiRequest through its retry pipeline: builds each attempt's message (key decoded into that message
    /// only), enforces the per-attempt timeout, reads the body, turns every failure into a GliderException, and reports
    /// each attempt to OnRequest.
    /// </summary>
    internal sealed class ApiTransport : IDisposable
    {
        private readonly HttpClient http;
        private readonly ApiKey apiKey;
        private readonly string userAgent;
        private readonly TimeSpan requestTimeout;
        private readonly TimeSpan fallbackRetryAfter;
        private readonly TimeSpan maxRetryDelay;
        private readonly TimeProvider timeProvider;
        private readonly Action<RequestTrace>? onRequest;
        private readonly PacingGate gate;
        private readonly ProxySettings proxy;
        // Built on the first retry, not with the client: a process whose calls all succeed never builds them, and a
        // cold Connect-Glider does not pay for compiling Polly's builder.
        private readonly Lazy<ResiliencePipeline> anyTransientPipeline;
        private readonly Lazy<ResiliencePipeline> noUsableAnswerPipeline;

        public ApiTransport(HttpMessageHandler handler, bool ownsHandler, ApiKey apiKey, string userAgent, GliderClientOptions options, RetryDelayPlanner planner)
        {
            // HttpClient.Timeout would cap the whole retry sequence; the per-attempt limit is ours.
            http = new HttpClient(handler, ownsHandler) { Timeout = System.Threading.Timeout.InfiniteTimeSpan };
            this.apiKey = apiKey;
            this.userAgent = userAgent;
            requestTimeout = options.RequestTimeout;
            fallbackRetryAfter = options.RetryBaseDelay;
            maxRetryDelay = options.MaxRetryDelay > RetryDelayPlanner.LongestWait ? RetryDelayPlanner.LongestWait : options.MaxRetryDelay;
            timeProvider = options.TimeProvider;
            onRequest = options.OnRequest;
            proxy = options.Proxy ?? ProxySettings.SystemDefault;
            gate = new PacingGate(options.TimeProvider, SharedRandom.NextDouble, maxRetryDelay);
            int maxRetryAttempts = options.MaxRetryAttempts;
            TimeProvider clock = options.TimeProvider;
            anyTransientPipeline = new Lazy<ResiliencePipeline>(
                () => ResiliencePipelineFactory.Create(RetryRule.AnyTransientFailure, maxRetryAttempts, planner, clock), LazyThreadSafetyMode.ExecutionAndPublication);
            noUsableAnswerPipeline = new Lazy<ResiliencePipeline>(
                () => ResiliencePipelineFactory.Create(RetryRule.NoUsableAnswerOnly, maxRetryAttempts, planner, clock), LazyThreadSafetyMode.ExecutionAndPublication);
        }

        public TimeProvider TimeProvider => timeProvider;

        /// <summary>The connection's one pacing gate: every attempt of every caller passes it.</summary>
        public PacingGate Gate => gate;

        public async Task<T> SendAsync<T>(ApiRequest request, Func<ResponseSnapshot, T> readSuccess, CancellationToken cancellationToken)
        {
            var state = new CallState();
            ExceptionDispatchInfo firstFailure;
            try
            {
                // Nearly every call succeeds at once, so the first attempt is sent outside the retry pipeline: the
                // successful call then pays nothing for Polly, in a warm process or a cold one.
                return await AttemptAsync(request, ++state.Attempts, state, readSuccess, cancellationToken).ConfigureAwait(false);
            }
            catch (GliderException error) when (RetryClassifier.MayRetry(error, request.RetryRule))
            {
                firstFailure = ExceptionDispatchInfo.Capture(error);
            }

            return await RetryAsync(request, state, firstFailure, readSuccess, cancellationToken).ConfigureAwait(false);
        }

        /// <summary>
        /// Hands a failed first attempt to the Polly pipeline, which decides on it exactly as if it had sent it: the
        /// pipeline's first execution rethrows that failure instead of sending, so its classification, delay and
        /// attempt count apply unchanged, and every later execution is a real attempt.
        /// </summary>
        private async Task<T> RetryAsync<T>(ApiRequest request, CallState state, ExceptionDispatchInfo firstFailure, Func<ResponseSnapshot, T> readSuccess, CancellationToken cancellationToken)
        {
            ResiliencePipeline pipeline = (request.RetryRule == RetryRule.NoUsableAnswerOnly ? noUsableAnswerPipeline : anyTransientPipeline).Value;
            ResilienceContext context = ResilienceContextPool.Shared.Get(cancellationToken);
            context.Properties.Set(ResiliencePipelineFactory.DeadlineKey, request.Deadline);
            ExceptionDispatchInfo? replay = firstFailure;
            try
            {
                return await pipeline.ExecuteAsync(
                    async ctx =>
                    {
                        if (replay != null)
                        {
                            ExceptionDispatchInfo failure = replay;
                            replay = null;
                            failure.Throw();
                        }

                        return await AttemptAsync(request, ++state.Attempts, state, readSuccess, ctx.CancellationToken).ConfigureAwait(false);
                    },
                    context).ConfigureAwait(false);
            }
            finally
            {
                ResilienceContextPool.Shared.Return(context);
            }
        }

        private sealed class CallState
        {
            public int Attempts;
            public bool EarlierAttemptGotNoAnswer;
        }

        private async ValueTask<T> AttemptAsync<T>(ApiRequest request, int attempt, CallState state, Func<ResponseSnapshot, T> readSuccess, CancellationToken cancellationToken)
        {
            cancellationToken.ThrowIfCancellationRequested();
            // Held here, before the attempt's own timer starts: a wait the limiter asked for is not a slow answer.
            PacingTicket ticket;
            try
            {
                // Held no longer than a retry may wait (MaxRetryDelay), nor past the caller's deadline: the same rule
                // that keeps a retry from sleeping through a long Retry-After.
                DateTimeOffset latest = timeProvider.GetUtcNow() + maxRetryDelay;
                DateTimeOffset heldAtMost = request.Deadline is DateTimeOffset deadline && deadline < latest ? deadline : latest;
                ticket = await gate.EnterAsync(request.Route, heldAtMost, cancellationToken).ConfigureAwait(false);
            }
            catch (HeldPastDeadlineException held)
            {
                DateTimeOffset now = timeProvider.GetUtcNow();
                throw new GliderRateLimitException(
                    $"{request.Action} was not sent: the platform's rate limit holds it until {held.Until.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture)}, longer than this call may wait. Retry after that.",
                    RateLimitSource.Platform, held.Until - now, held.Until, apiErrorCode: null, serverMessage: null, correlationId: null, requestId: null)
                {
                    ServerRetryAfter = held.Until - now, // so that no retry is planned inside the deadline either
                };
            }

            // One source per attempt: cancelled by the caller's token (linked) or by the per-attempt timer. Which of
            // the two fired is told apart below by asking the caller's token.
            using CancellationTokenSource linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            using IDisposable? attemptTimer = TimeProviderCompat.CancelAfter(linked, timeProvider, requestTimeout);
            long started = timeProvider.GetTimestamp();
            int? status = null;
            string? correlationId = null;
            string? failure = null;
            try
            {
                using HttpRequestMessage message = CreateMessage(request);
                using HttpResponseMessage response = await http.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, linked.Token).ConfigureAwait(false);
                status = (int)response.StatusCode;
                correlationId = ResponseSnapshot.CorrelationIdOf(response);

                string body;
                try
                {
                    body = await HttpContentReader.ReadAsync(response, linked.Token).ConfigureAwait(false);
                }
                catch (HttpContentReader.BodyTooLargeException ex)
                {
                    failure = "body too large";
                    throw FormatError(request, ResponseSnapshot.From(response, request.Uri, correlationId, string.Empty), ex.Message, inner: null);
                }

                bool success = status >= 200 && status <= 299;
                // The cooldown 429 reuses the rate-limit headers for the cooldown; a platform 429's are read below.
                if (status != 429)
                {
                    gate.Observe(ticket, ReadRateLimit(response));
                }

                ResponseSnapshot snapshot = ResponseSnapshot.From(response, request.Uri, correlationId, success ? body : apiKey.Redact(body));
                try
                {
                    return Interpret(request, snapshot, state, readSuccess);
                }
                catch (GliderRateLimitException limited) when (limited.LimitSource == RateLimitSource.Platform)
                {
                    // Either layer may have refused (the global one counts every route): hold them all, not only this
                    // one's retry.
                    gate.Refused(ticket, ReadRateLimit(response), limited.RetryAt);
                    throw;
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                failure = "cancelled";
                throw;
            }
            catch (OperationCanceledException ex) when (linked.IsCancellationRequested)
            {
                failure = $"timed out after {FormatDuration(requestTimeout)}";
                if (status == null)
                {
                    state.EarlierAttemptGotNoAnswer = true;
                }

                string stage = status == null ? "no answer" : "the answer's body did not arrive";
                throw new GliderTimeoutException(
                    $"{request.Action} timed out: {stage} within {FormatDuration(requestTimeout)} (attempt {attempt}, {request.Uri.Host}).",
                    requestTimeout, ex)
                { Attempts = attempt };
            }
            catch (Exception ex) when ((ex is HttpRequestException || ex is IOException || ex is SocketException) && TransportFailures.ProxyAuthenticationStatus(ex) is int proxyStatus)
            {
                failure = "proxy authentication required";
                state.EarlierAttemptGotNoAnswer = true;
                throw ErrorResponseMapper.ProxyAuthenticationRequired(request.Action, proxy.ProxyFor(request.Uri), proxyStatus, attempt, apiKey.AppearsIn(ex.ToString()) ? null : ex);
            }
            catch (Exception ex) when (ex is HttpRequestException || ex is IOException || ex is SocketException)
            {
                string description = DescribeTransportFailure(ex);
                failure = description;
                if (status == null)
                {
                    state.EarlierAttemptGotNoAnswer = true;
                }

                bool hostNotFound = TransportFailures.IsHostNotFound(ex);
                bool transient = !HasInner<AuthenticationException>(ex) && !hostNotFound;
                string stage = status == null ? "" : $" after {ErrorResponseMapper.StatusText(status.Value, null)} arrived, while reading the body";
                string what = hostNotFound ? $"the host name {request.Uri.Host} does not resolve ({description}); nothing was sent" : description + stage;
                throw new GliderTransportException(
                    $"{request.Action} failed: {what} (attempt {attempt}, {request.Uri.Host}).",
                    transient,
                    apiKey.AppearsIn(ex.ToString()) ? null : ex)
                { Attempts = attempt, IsHostNotFound = hostNotFound };
            }
            finally
            {
                Report(new RequestTrace(request.Method.Method, request.Uri.AbsoluteUri, status, timeProvider.GetElapsedTime(started), attempt, correlationId, failure));
            }
        }

        private static RateLimitReading? ReadRateLimit(HttpResponseMessage response) =>
            RateLimitReading.From(
                ResponseSnapshot.FirstHeader(response, "X-RateLimit-Limit"),
                ResponseSnapshot.FirstHeader(response, "X-RateLimit-Remaining"),
                ResponseSnapshot.FirstHeader(response, "X-RateLimit-Reset"),
                ResponseSnapshot.FirstHeader(response, "X-RateLimit-Resource"),
                ResponseSnapshot.FirstHeader(response, "RateLimit-Policy"));

        private HttpRequestMessage CreateMessage(ApiRequest request)
        {
            var message = new HttpRequestMessage(request.Method, request.Uri);
            if (!apiKey.IsEmpty)
            {
                message.Headers.TryAddWithoutValidation("x-api-key", apiKey.Reveal());
            }

            message.Headers.TryAddWithoutValidation("User-Agent", userAgent);
            message.Headers.TryAddWithoutValidation("Accept", "application/json");
            return message;
        }

        private T Interpret<T>(ApiRequest request, ResponseSnapshot response, CallState state, Func<ResponseSnapshot, T> readSuccess)
        {
            if (response.IsSuccess)
            {
                try
                {
                    return readSuccess(response);
                }
                catch (MalformedBodyException ex)
                {
                    throw FormatError(request, response, ex.Message, ex.InnerException);
                }
            }

            if (response.IsRedirect)
            {
                throw new GliderTransportException(
                    $"{request.Action} failed: the API answered {ErrorResponseMapper.StatusText(response.StatusCode, response.ReasonPhrase)} with a redirect to {DescribeLocation(response.Location)}; redirects are not followed, so nothing (and no key) was sent there.",
                    isTransient: false);
            }

            if (response.StatusCode == 407)
            {
                throw ErrorResponseMapper.ProxyAuthenticationRequired(request.Action, proxy.ProxyFor(request.Uri), 407, state.Attempts, inner: null);
            }

            string action = request.IsRebalance && state.EarlierAttemptGotNoAnswer
                ? request.Action + " (re-sent because an earlier attempt got no answer; that attempt may have started a run)"
                : request.Action;
            GliderApiException refused = ErrorResponseMapper.Map(response, action, timeProvider.GetUtcNow(), fallbackRetryAfter);
            refused.Attempts = state.Attempts;
            throw refused;
        }

        private static GliderResponseFormatException FormatError(ApiRequest request, ResponseSnapshot response, string detail, Exception? inner)
        {
            return new GliderResponseFormatException(
                $"{request.Action} failed: {ErrorResponseMapper.StatusText(response.StatusCode, response.ReasonPhrase)} from {response.Host}, but {detail}.",
                response.StatusCode, response.CorrelationId, response.RequestId, inner);
        }

        private string DescribeLocation(string? location)
        {
            if (string.IsNullOrWhiteSpace(location))
            {
                return "an unnamed location";
            }

            if (Uri.TryCreate(location, UriKind.Absolute, out Uri? target))
            {
                return apiKey.Redact(target.GetLeftPart(UriPartial.Authority));
            }

            return "a relative location";
        }

        private string DescribeTransportFailure(Exception ex)
        {
            var text = new StringBuilder();
            string? previous = null;
            for (Exception? current = ex; current != null; current = current.InnerException)
            {
                string message = current.Message;
                if (string.IsNullOrWhiteSpace(message) || message == previous)
                {
                    continue;
                }

                if (text.Length > 0)
                {
                    text.Append(" -> ");
                }

                text.Append(message.Trim());
                previous = message;
            }
            return ErrorResponseMapper.Clean(apiKey.Redact(text.ToString()), 400) ?? ex.GetType().Name;
        }

        private static bool HasInner<TException>(Exception ex) where TException : Exception
        {
            for (Exception? current = ex; current != null; current = current.InnerException)
            {
                if (current is TException)
                {
                    return true;
                }
            }
            return false;
        }

        private void Report(RequestTrace trace)
        {
            if (onRequest == null)
            {
                return;
            }

            try
            {
                onRequest(trace);
            }
            catch (Exception)
            {
                // Tracing must never break a call: after a 202 it would lose the operation id of a started rebalance.
            }
        }

        internal static string FormatDuration(TimeSpan duration) =>
            duration.TotalSeconds >= 1
                ? duration.TotalSeconds.ToString("0.#", System.Globalization.CultureInfo.InvariantCulture) + " s"
                : ((int)duration.TotalMilliseconds).ToString(System.Globalization.CultureInfo.InvariantCulture) + " ms";

        public void Dispose() => http.Dispose();
    }
}
