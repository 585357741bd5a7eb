using System;
using System.Threading.Tasks;
using Glider.Emulator.Faults;
using Glider.Emulator.State;
using Microsoft.AspNetCore.Http;

namespace Glider.Emulator.Http
{
    /// <summary>
    /// Runs one /v2 request end to end: ids, latency, fault rules, the API itself, the wire, the log.
    /// </summary>
    internal sealed class V2Dispatcher
    {
        private const string ApiKeyHeader = "x-api-key";

        private readonly EmulatorState _state;
        private readonly V2Api _api;

        public V2Dispatcher(EmulatorState state)
        {
            _state = state;
            _api = new V2Api(state);
        }

        public async Task HandleAsync(HttpContext context, RawRequestTarget target)
        {
            var now = _state.Now();
            var request = context.Request;
            var requestId = TracingIds.NewRequestId(now);
            var correlationId = TracingIds.CorrelationIdFor(request, now);
            // An empty header is the same as none: a client with an unset variable sends "x-api-key: ".
            var apiKey = request.Headers.TryGetValue(ApiKeyHeader, out var keyValues) && keyValues.ToString().Length > 0 ? keyValues.ToString() : null;
            var key = apiKey is not null && _state.Keys.TryGetValue(apiKey, out var known) ? known : null;
            var call = new V2Call(context, target, requestId, correlationId, apiKey, key);
            _state.Stats.RequestReceived();

            int? sentStatus = null;
            string? faultKind = null;
            var clientAborted = false;
            try
            {
                var latency = _state.Timings.LatencyMs;
                if (latency > 0)
                {
                    await Task.Delay(latency, context.RequestAborted);
                }

                var route = V2Router.Match(request.Method, target.Segments);
                var fault = _state.Faults.Pick(request.Method, target.Path, route.PortfolioId ?? V2Router.PortfolioIdOf(target.Segments), route.Endpoint);
                if (fault is not null)
                {
                    faultKind = fault.Kind;
                    _state.Stats.FaultInjected(fault.Kind);
                }

                TracingIds.Apply(context.Response, requestId, correlationId);
                sentStatus = await RespondAsync(call, route, fault);
            }
            catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
            {
                // The client went away (often a timeout test, or a cancelled call); nothing left to send.
                clientAborted = true;
            }
            catch (Exception) when (!context.Response.HasStarted)
            {
                // A bug here must still look like the API's own 500, with the tracing headers support asks for.
                context.Response.Clear();
                TracingIds.Apply(context.Response, requestId, correlationId);
                sentStatus = await Send(context, ApiErrors.Create(500, ApiErrors.Unexpected, "Unexpected emulator error."));
            }
            finally
            {
                _state.Log.Add(new RequestLogEntry(
                    now,
                    request.Method,
                    ScrubKey(target.Raw, apiKey),
                    HeaderNames(request),
                    apiKey is not null,
                    call.ApiKeyIdForLog,
                    request.Headers.UserAgent.Count == 0 ? null : request.Headers.UserAgent.ToString(),
                    sentStatus,
                    faultKind,
                    context.Connection.Id,
                    requestId,
                    correlationId,
                    _state.Now(),
                    clientAborted,
                    call.RateLimitedBy));
            }
        }

        /// <summary>Answers the request as the fault (if any) dictates; returns the status put on the wire, or null if none was.</summary>
        private async Task<int?> RespondAsync(V2Call call, V2Route route, FaultRule? fault)
        {
            var context = call.Http;
            switch (fault?.Kind)
            {
                case FaultKinds.Drop:
                    context.Abort();
                    return null;
                case FaultKinds.Status:
                    return await Send(context, FaultResponses.Status(fault.Action, call));
                case FaultKinds.NonJson:
                    return await Send(context, FaultResponses.NonJson(fault.Action));
                case FaultKinds.Empty:
                    return await Send(context, FaultResponses.Empty(fault.Action));
                case FaultKinds.Redirect:
                    return await Send(context, FaultResponses.Redirect(fault.Action));
                case FaultKinds.Delay:
                    await Task.Delay(fault.Action.DelayMs, context.RequestAborted);
                    break;
            }

            var response = _api.Handle(call, route);
            switch (fault?.Kind)
            {
                case FaultKinds.DropAfterRead:
                    // The work has been done (a rebalance is now running); only the answer is lost.
                    context.Abort();
                    return null;
                case FaultKinds.ResetMidBody:
                    await ResponseSender.SendHalfThenAbortAsync(context, response);
                    return response.Status;
                case FaultKinds.Truncate:
                    await ResponseSender.SendTruncatedAsync(context, response);
                    return response.Status;
                default:
                    return await Send(context, response);
            }
        }

        private static async Task<int?> Send(HttpContext context, ApiResponse response)
        {
            await ResponseSender.SendAsync(context, response);
            return response.Status;
        }

        private static string[] HeaderNames(HttpRequest request)
        {
            var names = new string[request.Headers.Count];
            var i = 0;
            foreach (var header in request.Headers)
            {
                if (i == names.Length)
                {
                    break;
                }

                names[i++] = header.Key.ToLowerInvariant();
            }
            return names;
        }

        /// <summary>Even a key pasted into the URL must not reach the log.</summary>
        private static string ScrubKey(string rawTarget, string? apiKey) =>
            string.IsNullOrEmpty(apiKey) || !rawTarget.Contains(apiKey, StringComparison.Ordinal)
                ? rawTarget
                : rawTarget.Replace(apiKey, "[redacted]", StringComparison.Ordinal);
    }
}
