using System;
using System.Collections.Generic;
using System.Net.Http;
using System.Security;
using System.Threading;
using System.Threading.Tasks;
using Glider.Client.Errors;
using Glider.Client.Http;
using Glider.Client.Pacing;
using Glider.Client.Json;
using Glider.Client.Models;
using Glider.Client.Security;

namespace Glider.Client
{
    /// <summary>
    /// One Glider API connection: one pooled HttpClient reused by every call, the key held as a SecureString and put on
    /// each request (never in DefaultRequestHeaders). Thread-safe. Errors are thrown as Glider.Client.Errors exceptions.
    /// </summary>
    /// <remarks>
    /// Retries: GETs and the idempotent stop/start are retried on 408, 429, 500, 502, 503, 504, transport failures,
    /// per-attempt timeouts and unreadable success bodies, up to MaxRetryAttempts. The rebalance POST is re-sent when no
    /// usable answer arrived (at most twice) and after the platform limiter's 429 (which dispatched nothing), never on
    /// another HTTP error status. Every attempt passes the connection's pacing gate (see PacingGate). Path parameters are escaped as data
    /// (every character outside A-Z a-z 0-9 - . _ ~ is percent-encoded, ':' included) and ids with dot segments are refused.
    /// </remarks>
    internal sealed class GliderClient : IDisposable
    {
        private const string PortfolioIdParameter = "portfolioId";
        private const string OperationIdParameter = "operationId";

        private readonly ApiKey apiKey;
        private readonly ApiPathBuilder paths;
        private readonly ApiTransport transport;
        private readonly Uri baseUri;
        private readonly ProxySettings proxy;
        private int disposed;

        public GliderClient(GliderClientOptions options, SecureString apiKey)
        {
            if (options == null)
            {
                throw new ArgumentNullException(nameof(options));
            }

            ValidateOptions(options);
            proxy = options.Proxy ?? ProxySettings.SystemDefault;
            string normalizedBase = BaseUriNormalizer.Normalize(options.BaseUri, nameof(GliderClientOptions.BaseUri));

            this.apiKey = new ApiKey(apiKey, nameof(apiKey));
            baseUri = new Uri(normalizedBase, UriKind.Absolute);
            paths = new ApiPathBuilder(normalizedBase);

            var planner = new RetryDelayPlanner(options.RetryBaseDelay, options.MaxRetryDelay, SharedRandom.NextDouble);
            bool ownsHandler = options.InnerHandler == null;
            HttpMessageHandler handler = options.InnerHandler ?? HttpMessageHandlerFactory.Create(options.Proxy ?? ProxySettings.SystemDefault);
            transport = new ApiTransport(handler, ownsHandler, this.apiKey, UserAgentBuilder.Build(options.UserAgentSuffix), options, planner);
        }

        /// <summary>The normalized API root, always ending in "/v2/".</summary>
        public Uri BaseUri => baseUri;

        /// <summary>How this client's requests reach the API.</summary>
        public ProxySettings Proxy => proxy;

        internal TimeProvider TimeProvider => transport.TimeProvider;

        /// <summary>
        /// How many requests of the route a caller may keep in flight: floor unless the route's rate-limit window shows
        /// budget to spare, then what that budget allows over the measured round trip, up to ceiling.
        /// </summary>
        internal int SuggestedInFlight(ApiRoute route, int floor, int ceiling) => transport.Gate.SuggestedInFlight(route, floor, ceiling);

        public Task<WhoAmI> GetWhoAmIAsync(CancellationToken cancellationToken)
        {
            var request = Get(ApiRoute.WhoAmI, paths.Build(new[] { "whoami" }), "Reading the key's identity (whoami)");
            return SendAsync(request, (data, root, trace) => ModelReader.ReadWhoAmI(data, trace), cancellationToken);
        }

        public Task<PortfolioPage> ListPortfoliosAsync(PortfolioQuery query, string? cursor, CancellationToken cancellationToken)
        {
            query ??= new PortfolioQuery();
            if (query.Limit < 1 || query.Limit > 200)
            {
                throw new ArgumentOutOfRangeException(nameof(PortfolioQuery.Limit), query.Limit, "The page size must be between 1 and 200.");
            }

            var parameters = new List<KeyValuePair<string, string>>
            {
                new KeyValuePair<string, string>("limit", query.Limit.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            };
            AddIfSet(parameters, "cursor", cursor);
            AddIfSet(parameters, "ownerAccountId", query.OwnerAccountId);
            AddIfSet(parameters, "strategyId", query.StrategyId);
            AddIfSet(parameters, "status", EnumeratedValue.ToWire(query.Status));

            var request = Get(ApiRoute.ListPortfolios, paths.Build(new[] { "portfolios" }, parameters), "Listing portfolios");
            return SendAsync(request, (data, root, trace) => ModelReader.ReadPortfolioPage(root, data, trace), cancellationToken);
        }

        public Task<Portfolio> GetPortfolioAsync(string portfolioId, CancellationToken cancellationToken)
        {
            string escaped = PathSegmentEscaper.EscapeId(portfolioId, PortfolioIdParameter);
            var request = Get(ApiRoute.GetPortfolio, paths.Build(new[] { "portfolios", escaped }), "Reading portfolio {0}", portfolioId);
            return SendAsync(request, (data, root, trace) => ModelReader.ReadPortfolio(data, portfolioId, trace), cancellationToken);
        }

        /// <summary>POST /rebalance. Never retried on 429 (the cooldown is the answer).</summary>
        public Task<RebalanceSubmission> StartRebalanceAsync(string portfolioId, CancellationToken cancellationToken)
        {
            string escaped = PathSegmentEscaper.EscapeId(portfolioId, PortfolioIdParameter);
            var request = new ApiRequest(ApiRoute.TriggerRebalance, paths.Build(new[] { "portfolios", escaped, "rebalance" }),
                RetryRule.NoUsableAnswerOnly, deadline: null, "Rebalance of portfolio {0}", portfolioId);
            return SendAsync(request, (data, root, trace) => ModelReader.ReadRebalanceSubmission(data, portfolioId, trace), cancellationToken);
        }

        public Task<Operation> GetOperationAsync(string portfolioId, string operationId, CancellationToken cancellationToken)
            => GetOperationAsync(portfolioId, operationId, deadline: null, cancellationToken);

        /// <summary>
        /// GET one operation. With a deadline, no retry sleeps past it: when the server asks for a longer wait (429 with
        /// Retry-After) or the backoff would cross it, the last error is thrown at once so the caller can decide.
        /// </summary>
        public Task<Operation> GetOperationAsync(string portfolioId, string operationId, DateTimeOffset? deadline, CancellationToken cancellationToken)
        {
            string escapedPortfolio = PathSegmentEscaper.EscapeId(portfolioId, PortfolioIdParameter);
            string escapedOperation = PathSegmentEscaper.EscapeId(operationId, OperationIdParameter);
            var request = new ApiRequest(ApiRoute.GetOperation,
                paths.Build(new[] { "portfolios", escapedPortfolio, "operations", escapedOperation }),
                RetryRule.AnyTransientFailure, deadline, "Reading operation {1} of portfolio {0}", portfolioId, operationId);
            return SendAsync(request, (data, root, trace) => ModelReader.ReadOperation(data, portfolioId, operationId, trace), cancellationToken);
        }

        /// <summary>POST /stop: pause the schedule. Idempotent.</summary>
        public Task<Portfolio> StopScheduleAsync(string portfolioId, CancellationToken cancellationToken)
            => ChangeScheduleAsync(portfolioId, ApiRoute.StopSchedule, "stop", "Stopping the schedule of portfolio", cancellationToken);

        /// <summary>POST /start: resume the schedule. Idempotent.</summary>
        public Task<Portfolio> StartScheduleAsync(string portfolioId, CancellationToken cancellationToken)
            => ChangeScheduleAsync(portfolioId, ApiRoute.StartSchedule, "start", "Starting the schedule of portfolio", cancellationToken);

        public void Dispose()
        {
            if (Interlocked.Exchange(ref disposed, 1) != 0)
            {
                return;
            }

            transport.Dispose();
            apiKey.Dispose();
        }

        private Task<Portfolio> ChangeScheduleAsync(string portfolioId, ApiRoute route, string verb, string action, CancellationToken cancellationToken)
        {
            string escaped = PathSegmentEscaper.EscapeId(portfolioId, PortfolioIdParameter);
            // The contract makes stop and start idempotent (stopping a paused portfolio returns it as is), so they are
            // retried like reads. A repeated start resets nextDueAt to "now" once more, which is the same moment give
            // or take the retry delay.
            var request = new ApiRequest(route, paths.Build(new[] { "portfolios", escaped, verb }),
                RetryRule.AnyTransientFailure, deadline: null, action + " {0}", portfolioId);
            return SendAsync(request, (data, root, trace) => ModelReader.ReadPortfolio(data, portfolioId, trace), cancellationToken);
        }

        private static ApiRequest Get(ApiRoute route, Uri uri, string actionFormat, string? subject = null) =>
            new ApiRequest(route, uri, RetryRule.AnyTransientFailure, deadline: null, actionFormat, subject);

        private Task<T> SendAsync<T>(ApiRequest request, Func<System.Text.Json.JsonElement, System.Text.Json.JsonElement, ResponseTrace, T> readData, CancellationToken cancellationToken)
        {
            if (Volatile.Read(ref disposed) != 0)
            {
                throw new ObjectDisposedException(nameof(GliderClient));
            }

            return Describe(request, transport.SendAsync(
                request,
                response => ModelReader.ReadEnvelope(response.Body, (root, data) => readData(data, root, new ResponseTrace(response.CorrelationId, response.RequestId))),
                cancellationToken));
        }

        /// <summary>Tells a failure which kind of call it came from, so its advice can fit (see GliderException.Call).</summary>
        private static async Task<T> Describe<T>(ApiRequest request, Task<T> call)
        {
            try
            {
                return await call.ConfigureAwait(false);
            }
            catch (GliderException ex)
            {
                ex.Call = request.Kind;
                if (ex is GliderNotFoundException notFound && !request.NamesResource)
                {
                    notFound.IsRouteNotFound = true;
                }

                throw;
            }
        }

        private static void AddIfSet(List<KeyValuePair<string, string>> parameters, string name, string? value)
        {
            if (!string.IsNullOrEmpty(value))
            {
                parameters.Add(new KeyValuePair<string, string>(name, value!));
            }
        }

        private static void ValidateOptions(GliderClientOptions options)
        {
            if (options.RequestTimeout <= TimeSpan.Zero && options.RequestTimeout != Timeout.InfiniteTimeSpan)
            {
                throw new ArgumentOutOfRangeException(nameof(GliderClientOptions.RequestTimeout), options.RequestTimeout, "The request timeout must be positive.");
            }

            if (options.MaxRetryAttempts < 0 || options.MaxRetryAttempts > 100)
            {
                throw new ArgumentOutOfRangeException(nameof(GliderClientOptions.MaxRetryAttempts), options.MaxRetryAttempts, "MaxRetryAttempts must be between 0 and 100.");
            }

            if (options.RetryBaseDelay < TimeSpan.Zero)
            {
                throw new ArgumentOutOfRangeException(nameof(GliderClientOptions.RetryBaseDelay), options.RetryBaseDelay, "RetryBaseDelay must not be negative.");
            }

            if (options.MaxRetryDelay < TimeSpan.Zero)
            {
                throw new ArgumentOutOfRangeException(nameof(GliderClientOptions.MaxRetryDelay), options.MaxRetryDelay, "MaxRetryDelay must not be negative.");
            }

            if (options.TimeProvider == null)
            {
                throw new ArgumentNullException(nameof(GliderClientOptions.TimeProvider));
            }
        }
    }
}
