using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text.RegularExpressions;
using Glider.Emulator.Model;
using Glider.Emulator.State;

namespace Glider.Emulator.Http
{
    /// <summary>The /v2 endpoints: platform limiter, then authentication, scope, validation, and the work itself.</summary>
    internal sealed partial class V2Api
    {
        private const int DefaultPageSize = 50;
        private const int MaxPageSize = 200;

        private readonly EmulatorState _state;

        public V2Api(EmulatorState state) => _state = state;

        public ApiResponse Handle(V2Call call, V2Route route)
        {
            var now = _state.Now();
            var timings = _state.Timings;
            var limits = _state.Limits;
            var admission = _state.Limiter.Admit(limits, limits.TierOf(route.Endpoint), RateLimitBucket.Of(call, limits.Bucketing), now);
            if (!admission.Allowed)
            {
                call.RateLimitedBy = admission.RefusedBy;
                _state.Stats.RateLimited(admission.RefusedBy!);
                // The refusing window's own values, whatever the header scope: a client must learn when it may come back.
                var refusing = admission.ReportedWindow!.Value;
                var tooMany = new ApiResponse(429, JsonBodies.PlatformTooManyRequests(refusing.RetryAfterSeconds, call.CorrelationId, call.RequestId))
                    .WithHeader("Retry-After", refusing.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture));
                return WithRateLimitHeaders(tooMany, refusing);
            }

            var response = Route(call, route, now, timings);
            return admission.ReportedWindow is { } reported ? WithRateLimitHeaders(response, reported) : response;
        }

        private ApiResponse Route(V2Call call, V2Route route, DateTimeOffset now, EmulatorTimings timings)
        {
            switch (route.Endpoint)
            {
                case V2Endpoint.NoSuchRoute:
                    return ApiErrors.Create(404, ApiErrors.NoSuchRoute, $"No route for {call.Method} {call.Target.Path}.");
                case V2Endpoint.MethodNotAllowed:
                    return ApiErrors.Create(405, ApiErrors.InvalidRequest, $"{call.Method} is not allowed on {call.Target.Path}.")
                        .WithHeader("Allow", route.Allow ?? "GET");
                case V2Endpoint.Scopes:
                    return ListScopes();
            }

            var denied = Authenticate(call, RequiredScope(route.Endpoint));
            if (denied is not null)
            {
                return denied;
            }

            var key = call.Key!;

            if (route.Endpoint == V2Endpoint.WhoAmI)
            {
                return WhoAmI(key);
            }

            if (route.Endpoint == V2Endpoint.ListPortfolios)
            {
                return ListPortfolios(call, key);
            }

            var portfolioId = route.PortfolioId!;
            if (!IsPlausibleId(portfolioId, 200))
            {
                return ApiErrors.BadPath("portfolioId", "portfolioId is not a valid identifier.");
            }

            if (route.Endpoint == V2Endpoint.GetOperation && !IsPlausibleId(route.OperationId!, 1000))
            {
                return ApiErrors.BadPath("operationId", "operationId is not a valid identifier.");
            }

            var portfolio = _state.World.FindVisible(portfolioId, key.Tenant);
            if (portfolio is null)
            {
                return ApiErrors.PortfolioNotFound();
            }

            return route.Endpoint switch
            {
                V2Endpoint.GetPortfolio => GetPortfolio(portfolio, now),
                V2Endpoint.Rebalance => Rebalance(portfolio, now, timings),
                V2Endpoint.GetOperation => GetOperation(portfolio, route.OperationId!, now),
                V2Endpoint.Stop => Stop(portfolio, now),
                V2Endpoint.Start => Start(portfolio, now),
                _ => ApiErrors.Create(500, ApiErrors.Unexpected, "Unexpected route."),
            };
        }

        private static string RequiredScope(V2Endpoint endpoint) => endpoint switch
        {
            V2Endpoint.Rebalance or V2Endpoint.Stop or V2Endpoint.Start => Scopes.PortfoliosWrite,
            V2Endpoint.WhoAmI => string.Empty,
            _ => Scopes.PortfoliosRead,
        };

        private static ApiResponse? Authenticate(V2Call call, string requiredScope)
        {
            if (call.ApiKeyHeader is null || call.ApiKeyHeader.Length == 0)
            {
                return ApiErrors.Create(401, ApiErrors.KeyMissing, "Missing API key: send it in the x-api-key header.");
            }
            if (call.Key is null)
            {
                return ApiErrors.Create(401, ApiErrors.KeyInvalid, "Invalid API key.");
            }

            if (call.Key.Expired)
            {
                return ApiErrors.Create(401, ApiErrors.KeyExpired, "API key has expired.");
            }

            if (requiredScope.Length > 0 && !call.Key.HasScope(requiredScope))
            {
                return ApiErrors.Create(403, ApiErrors.ScopeMissing, $"API key lacks the required scope {requiredScope}.",
                    w => w.WriteString("requiredScope", requiredScope));
            }
            return null;
        }

        private static ApiResponse WhoAmI(ApiKey key) => new(200, JsonBodies.Success(w =>
        {
            w.WriteString("tenantName", key.Tenant.Name);
            w.WriteString("tenantEmail", key.Tenant.Email);
            w.WriteString("apiKeyId", key.KeyId);
            w.WriteStartArray("scopes");
            foreach (var scope in key.Scopes)
            {
                w.WriteStringValue(scope);
            }

            w.WriteEndArray();
        }));

        private static ApiResponse ListScopes() => new(200, JsonBodies.Success(w =>
        {
            w.WriteStartArray("scopes");
            foreach (var (name, description, tier) in Scopes.All)
            {
                w.WriteStartObject();
                w.WriteString("name", name);
                w.WriteString("description", description);
                w.WriteString("tier", tier);
                w.WriteEndObject();
            }
            w.WriteEndArray();
        }));

        private ApiResponse ListPortfolios(V2Call call, ApiKey key)
        {
            var target = call.Target;
            var pageSize = DefaultPageSize;
            var limitText = target.QueryValue("limit");
            if (limitText is not null)
            {
                if (!int.TryParse(limitText, NumberStyles.None, CultureInfo.InvariantCulture, out pageSize) || pageSize < 1 || pageSize > MaxPageSize)
                {
                    return ApiErrors.BadQuery("limit", $"limit must be an integer from 1 to {MaxPageSize}.");
                }
            }

            ListCursor? after = null;
            var cursorText = target.QueryValue("cursor");
            if (cursorText is not null)
            {
                if (!ListCursor.TryDecode(cursorText, out var decoded))
                {
                    return ApiErrors.BadQuery("cursor", "cursor is not valid.");
                }

                after = decoded;
            }

            var owner = target.QueryValue("ownerAccountId");
            if (owner is not null && !OwnerAccountPattern().IsMatch(owner))
            {
                return ApiErrors.BadQuery("ownerAccountId", "ownerAccountId must be a CAIP-10 account id: eip155:0:0x followed by 40 hex digits.");
            }

            var status = target.QueryValue("status");
            if (status is not null && status != PortfolioSchedule.Active && status != PortfolioSchedule.Paused)
            {
                return ApiErrors.BadQuery("status", "status must be 'active' or 'paused'.");
            }

            var strategyId = target.QueryValue("strategyId");
            var now = _state.Now();
            var page = new List<Portfolio>(Math.Min(pageSize, 64));
            var more = false;
            foreach (var portfolio in _state.World.NewestFirst(key.Tenant))
            {
                if (after is { } position && ListOrder.Compare(portfolio.CreatedAt, portfolio.Id, position.CreatedAt, position.PortfolioId) <= 0)
                {
                    continue;
                }

                if (owner is not null && !string.Equals(portfolio.OwnerAccountId, owner, StringComparison.OrdinalIgnoreCase))
                {
                    continue;
                }

                if (strategyId is not null && !string.Equals(portfolio.Strategy.Id, strategyId, StringComparison.Ordinal))
                {
                    continue;
                }

                if (status is not null)
                {
                    string? current;
                    lock (portfolio.Gate)
                    {
                        current = portfolio.Schedule?.Status;
                    }

                    if (current != status)
                    {
                        continue;
                    }
                }
                if (page.Count == pageSize)
                {
                    more = true;
                    break;
                }
                page.Add(portfolio);
            }

            var nextCursor = more ? new ListCursor(page[^1].CreatedAt, page[^1].Id).Encode() : null;
            return new ApiResponse(200, JsonBodies.Page(w =>
            {
                w.WriteStartArray("portfolios");
                foreach (var portfolio in page)
                {
                    lock (portfolio.Gate)
                    {
                        portfolio.Settle(now);
                        PortfolioJson.WriteListItem(w, portfolio);
                    }
                }
                w.WriteEndArray();
            }, nextCursor));
        }

        private static ApiResponse GetPortfolio(Portfolio portfolio, DateTimeOffset now)
        {
            lock (portfolio.Gate)
            {
                portfolio.Settle(now);
                return Detail(portfolio, 200);
            }
        }

        private ApiResponse Rebalance(Portfolio portfolio, DateTimeOffset now, EmulatorTimings timings)
        {
            RebalanceOperation run;
            lock (portfolio.Gate)
            {
                portfolio.Settle(now);
                if (portfolio.InFlight is { } inFlight)
                {
                    run = inFlight;
                }
                else
                {
                    if (portfolio.LastRunFinishedAt is { } lastFinished)
                    {
                        var cooldownEnds = lastFinished.AddSeconds(timings.CooldownSeconds);
                        if (now < cooldownEnds)
                        {
                            return Cooldown(portfolio.Id, now, cooldownEnds);
                        }
                    }
                    var outcome = _state.OutcomeFor(portfolio.Id);
                    var operationId = $"rebalance:{portfolio.Id}:{portfolio.Id}%3Amanual%3Areq_{IdGenerator.NewUlid(now)}";
                    run = new RebalanceOperation(operationId, portfolio.Id, now, outcome.DurationMs ?? timings.OperationMs, outcome);
                    portfolio.StartRun(run);
                    if (now > portfolio.UpdatedAt)
                    {
                        portfolio.UpdatedAt = now;
                    }

                    _state.Stats.RebalanceStarted(portfolio.Id);
                }
            }

            return new ApiResponse(202, JsonBodies.Success(w =>
            {
                w.WriteString("operationId", run.OperationId);
                w.WriteString("submittedAt", IsoTime.Format(run.SubmittedAt));
            }));
        }

        private static ApiResponse Cooldown(string portfolioId, DateTimeOffset now, DateTimeOffset cooldownEnds)
        {
            var retryAfter = (int)Math.Max(1, Math.Ceiling((cooldownEnds - now).TotalSeconds));
            var resetUnix = (long)Math.Ceiling((cooldownEnds - DateTimeOffset.UnixEpoch).TotalSeconds);
            return ApiErrors.Create(429, ApiErrors.RateLimited, "A rebalance ran too recently for this portfolio; retry after the cooldown.", w =>
                {
                    w.WriteString("portfolioId", portfolioId);
                    w.WriteNumber("retryAfterSeconds", retryAfter);
                })
                .WithHeader("Retry-After", retryAfter.ToString(CultureInfo.InvariantCulture))
                .WithHeader(RateLimitHeaders.Limit, "1")
                .WithHeader(RateLimitHeaders.Remaining, "0")
                .WithHeader(RateLimitHeaders.Reset, resetUnix.ToString(CultureInfo.InvariantCulture));
        }

        private static ApiResponse GetOperation(Portfolio portfolio, string operationId, DateTimeOffset now)
        {
            lock (portfolio.Gate)
            {
                portfolio.Settle(now);
                var run = portfolio.FindOperation(operationId);
                if (run is null)
                {
                    return ApiErrors.OperationNotFound();
                }

                var view = run.ViewAt(now);
                return new ApiResponse(200, JsonBodies.Success(w => PortfolioJson.WriteOperationFields(w, run, view)));
            }
        }

        private static ApiResponse Stop(Portfolio portfolio, DateTimeOffset now)
        {
            lock (portfolio.Gate)
            {
                portfolio.Settle(now);
                var schedule = portfolio.Schedule;
                if (schedule is null)
                {
                    return NoSchedule();
                }

                if (schedule.Status != PortfolioSchedule.Paused)
                {
                    schedule.Status = PortfolioSchedule.Paused;
                    schedule.NextDueAt = null;
                    portfolio.UpdatedAt = now;
                }
                return Detail(portfolio, 200);
            }
        }

        private static ApiResponse Start(Portfolio portfolio, DateTimeOffset now)
        {
            lock (portfolio.Gate)
            {
                portfolio.Settle(now);
                var schedule = portfolio.Schedule;
                if (schedule is null)
                {
                    return NoSchedule();
                }

                if (schedule.Status != PortfolioSchedule.Active)
                {
                    schedule.Status = PortfolioSchedule.Active;
                    schedule.NextDueAt = now;
                    portfolio.UpdatedAt = now;
                }
                return Detail(portfolio, 200);
            }
        }

        private static ApiResponse NoSchedule() =>
            ApiErrors.Create(400, ApiErrors.InvalidRequest, "Portfolio has no rebalance schedule to stop or start.");

        private static ApiResponse Detail(Portfolio portfolio, int status) =>
            new(status, JsonBodies.Success(w => PortfolioJson.WriteDetailFields(w, portfolio)));

        private static ApiResponse WithRateLimitHeaders(ApiResponse response, RateLimitDecision limit)
        {
            // The cooldown's own X-RateLimit-* values describe that 429 better than the platform window does.
            foreach (var header in response.Headers)
            {
                if (header.Key == RateLimitHeaders.Limit)
                {
                    return response;
                }
            }
            return response
                .WithHeader(RateLimitHeaders.Limit, limit.Limit.ToString(CultureInfo.InvariantCulture))
                .WithHeader(RateLimitHeaders.Remaining, limit.Remaining.ToString(CultureInfo.InvariantCulture))
                .WithHeader(RateLimitHeaders.Reset, limit.ResetUnixSeconds.ToString(CultureInfo.InvariantCulture));
        }

        /// <summary>Printable ASCII without spaces: anything else cannot be a Glider id, and is a 400 rather than a 404.</summary>
        private static bool IsPlausibleId(string id, int maxLength)
        {
            if (id.Length == 0 || id.Length > maxLength)
            {
                return false;
            }

            foreach (var c in id)
            {
                if (c <= ' ' || c > '~')
                {
                    return false;
                }
            }
            return true;
        }

        [GeneratedRegex("^eip155:0:0x[0-9a-fA-F]{40}$", RegexOptions.CultureInvariant)]
        private static partial Regex OwnerAccountPattern();
    }
}
