using System;
using System.Collections.Generic;
using System.IO;
using System.Text.Json;
using System.Threading.Tasks;
using Glider.Emulator.Faults;
using Glider.Emulator.Model;
using Glider.Emulator.State;
using Microsoft.AspNetCore.Http;

namespace Glider.Emulator.Http
{
    /// <summary>The /_emulator/* routes tests use to reset, steer and inspect the emulator. No key, not logged.</summary>
    internal sealed class ControlApi
    {
        private const int MaxBodyBytes = 1024 * 1024;

        private readonly EmulatorState _state;
        private readonly Action _requestStop;

        public ControlApi(EmulatorState state, Action requestStop)
        {
            _state = state;
            _requestStop = requestStop;
        }

        public static bool IsControl(string[] segments) => segments.Length >= 1 && segments[0] == "_emulator";

        public async Task HandleAsync(HttpContext context, RawRequestTarget target)
        {
            var now = _state.Now();
            TracingIds.Apply(context.Response, TracingIds.NewRequestId(now), TracingIds.CorrelationIdFor(context.Request, now));
            ApiResponse response;
            try
            {
                response = await RouteAsync(context, target);
            }
            catch (FormatException bad)
            {
                response = ApiErrors.Create(400, ApiErrors.InvalidRequest, bad.Message);
            }
            catch (JsonException bad)
            {
                response = ApiErrors.Create(400, ApiErrors.InvalidRequest, "Body is not valid JSON: " + bad.Message);
            }
            await ResponseSender.SendAsync(context, response);
        }

        private async Task<ApiResponse> RouteAsync(HttpContext context, RawRequestTarget target)
        {
            var method = context.Request.Method;
            var s = target.Segments;
            var resource = s.Length >= 2 ? s[1] : string.Empty;
            switch (resource, s.Length, method)
            {
                case ("reset", 2, "POST"):
                    return await ResetAsync(context);
                case ("timings", 2, "PUT"):
                    return await SetTimingsAsync(context);
                case ("timings", 2, "GET"):
                    return Timings();
                case ("limits", 2, "PUT"):
                    return await SetLimitsAsync(context);
                case ("limits", 2, "GET"):
                    return Limits();
                case ("outcomes", 3, "PUT"):
                    return await SetOutcomeAsync(context, s[2]);
                case ("outcomes", 3, "DELETE"):
                    _state.Outcomes.TryRemove(s[2], out _);
                    return Ok(w => w.WriteString("portfolioId", s[2]));
                case ("outcome-shares", 2, "PUT"):
                    return await SetOutcomeSharesAsync(context);
                case ("outcome-shares", 2, "GET"):
                    return OutcomeShares();
                case ("faults", 2, "POST"):
                    return await AddFaultAsync(context);
                case ("faults", 2, "GET"):
                    return ListFaults();
                case ("faults", 2, "DELETE"):
                    _state.Faults.Clear();
                    return Ok(w => w.WriteBoolean("cleared", true));
                case ("requests", 2, "GET"):
                    return Requests();
                case ("requests", 2, "DELETE"):
                    _state.Log.Clear();
                    return Ok(w => w.WriteBoolean("cleared", true));
                case ("stats", 2, "GET"):
                    return Stats();
                case ("shutdown", 2, "POST"):
                    // Stop only once this answer is on the wire, so the caller sees its 200.
                    context.Response.OnCompleted(() =>
                    {
                        _requestStop();
                        return Task.CompletedTask;
                    });
                    return Ok(w => w.WriteBoolean("stopping", true));
                default:
                    return ApiErrors.Create(404, ApiErrors.NoSuchRoute, $"No control route for {method} {target.Path}.");
            }
        }

        private async Task<ApiResponse> ResetAsync(HttpContext context)
        {
            using var body = await ReadBodyAsync(context);
            int? count = null;
            if (body is not null && body.RootElement.ValueKind == JsonValueKind.Object
                && body.RootElement.TryGetProperty("portfolioCount", out var countElement) && countElement.ValueKind != JsonValueKind.Null)
            {
                if (!countElement.TryGetInt32(out var parsed) || parsed < 0 || parsed > 1_000_000)
                {
                    throw new FormatException("'portfolioCount' must be an integer from 0 to 1000000.");
                }
                count = parsed;
            }
            _state.Reset(count);
            return Ok(w =>
            {
                w.WriteBoolean("reset", true);
                w.WriteNumber("portfolioCount", _state.World.AcmePortfolioCount);
            });
        }

        private async Task<ApiResponse> SetTimingsAsync(HttpContext context)
        {
            using var body = await ReadBodyAsync(context);
            if (body is not null)
            {
                var (timings, limits) = TimingsJson.Read(body.RootElement, _state.Timings, _state.Limits);
                _state.Timings = timings;
                _state.Limits = limits;
            }
            return Timings();
        }

        private ApiResponse Timings()
        {
            var t = _state.Timings;
            var limits = _state.Limits;
            return Ok(w =>
            {
                w.WriteNumber("operationMs", t.OperationMs);
                w.WriteNumber("cooldownSeconds", t.CooldownSeconds);
                w.WriteNumber("rateLimitPerWindow", limits.GlobalLimit);
                w.WriteNumber("rateLimitWindowSeconds", limits.GlobalWindowSeconds);
                w.WriteNumber("latencyMs", t.LatencyMs);
            });
        }

        private async Task<ApiResponse> SetLimitsAsync(HttpContext context)
        {
            using var body = await ReadBodyAsync(context);
            if (body is not null)
            {
                _state.Limits = RateLimitPolicyJson.Read(body.RootElement, _state.Limits);
            }
            return Limits();
        }

        private ApiResponse Limits()
        {
            var limits = _state.Limits;
            return Ok(w => RateLimitPolicyJson.Write(w, limits));
        }

        private async Task<ApiResponse> SetOutcomeAsync(HttpContext context, string portfolioId)
        {
            using var body = await ReadBodyAsync(context) ?? throw new FormatException("A body {\"outcome\": ...} is required.");
            var outcome = OutcomeJson.Read(body.RootElement);
            _state.Outcomes[portfolioId] = outcome;
            return Ok(w =>
            {
                w.WriteString("portfolioId", portfolioId);
                w.WriteString("outcome", outcome.FinalState);
            });
        }

        private async Task<ApiResponse> SetOutcomeSharesAsync(HttpContext context)
        {
            using var body = await ReadBodyAsync(context) ?? throw new FormatException("A body {\"shares\": [...]} is required.");
            if (body.RootElement.ValueKind != JsonValueKind.Object || !body.RootElement.TryGetProperty("shares", out var shares))
            {
                throw new FormatException("The body is {\"shares\": [{\"share\": 0.1, \"outcome\": \"failed\"}, ...]}.");
            }

            _state.OutcomeShares = OutcomeSharesJson.Read(shares);
            return OutcomeShares();
        }

        private ApiResponse OutcomeShares()
        {
            var shares = _state.OutcomeShares;
            return Ok(w => OutcomeSharesJson.Write(w, shares));
        }

        private async Task<ApiResponse> AddFaultAsync(HttpContext context)
        {
            using var body = await ReadBodyAsync(context) ?? throw new FormatException("A fault rule body is required.");
            var id = _state.Faults.NextId();
            var rule = FaultRuleParser.Parse(body.RootElement, id, _state.Options.FaultSeed);
            _state.Faults.Add(rule);
            return Ok(w => w.WriteString("id", id));
        }

        private ApiResponse ListFaults() => Ok(w =>
        {
            w.WriteStartArray("faults");
            foreach (var rule in _state.Faults.Snapshot())
            {
                w.WriteStartObject();
                w.WriteString("id", rule.Id);
                w.WriteString("kind", rule.Kind);
                w.WriteBoolean("exhausted", rule.IsExhausted);
                w.WriteEndObject();
            }
            w.WriteEndArray();
        });

        private ApiResponse Requests()
        {
            var entries = _state.Log.OldestFirst();
            return new ApiResponse(200, JsonBodies.Write(w =>
            {
                w.WriteStartArray();
                foreach (var entry in entries)
                {
                    RequestLogJson.Write(w, entry);
                }

                w.WriteEndArray();
            }));
        }

        private ApiResponse Stats()
        {
            var stats = _state.Stats;
            return new ApiResponse(200, JsonBodies.Write(w =>
            {
                w.WriteStartObject();
                w.WriteStartObject("rebalancesStarted");
                foreach (var (portfolioId, count) in stats.RebalancesStarted())
                {
                    w.WriteNumber(portfolioId, count);
                }

                w.WriteEndObject();
                w.WriteNumber("connectionsOpened", stats.ConnectionsOpened);
                w.WriteNumber("requests", stats.Requests);
                w.WriteStartObject("faultsInjected");
                foreach (var (kind, count) in stats.FaultsInjected())
                {
                    w.WriteNumber(kind, count);
                }

                w.WriteEndObject();
                w.WriteStartObject("rateLimited");
                foreach (var (layer, count) in stats.RateLimitedByLayer())
                {
                    w.WriteNumber(layer, count);
                }

                w.WriteEndObject();
                w.WriteEndObject();
            }));
        }

        private static ApiResponse Ok(Action<Utf8JsonWriter> writeProperties) => new(200, JsonBodies.Write(w =>
        {
            w.WriteStartObject();
            writeProperties(w);
            w.WriteEndObject();
        }));

        /// <summary>The body as JSON, or null when there is none.</summary>
        private static async Task<JsonDocument?> ReadBodyAsync(HttpContext context)
        {
            using var buffer = new MemoryStream();
            var chunk = new byte[8192];
            int read;
            while ((read = await context.Request.Body.ReadAsync(chunk, context.RequestAborted)) > 0)
            {
                if (buffer.Length + read > MaxBodyBytes)
                {
                    throw new FormatException("Body too large.");
                }

                buffer.Write(chunk, 0, read);
            }
            if (buffer.Length == 0)
            {
                return null;
            }

            return JsonDocument.Parse(buffer.ToArray());
        }
    }
}
