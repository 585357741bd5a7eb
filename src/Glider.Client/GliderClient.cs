using System;
using System.Security;
using System.Threading;
using System.Threading.Tasks;
using Glider.Client.Models;

namespace Glider.Client
{
    /// <summary>
    /// One Glider API connection: one pooled HttpClient reused by every call, the key held as a SecureString and put on
    /// each request (never in DefaultRequestHeaders). Thread-safe. Errors are thrown as Glider.Client.Errors exceptions.
    /// </summary>
    public sealed class GliderClient : IDisposable
    {
        public GliderClient(GliderClientOptions options, SecureString apiKey)
        {
            throw new NotImplementedException();
        }

        /// <summary>The normalized API root, always ending in "/v2/".</summary>
        public Uri BaseUri => throw new NotImplementedException();

        public Task<WhoAmI> GetWhoAmIAsync(CancellationToken cancellationToken) => throw new NotImplementedException();

        public Task<PortfolioPage> ListPortfoliosAsync(PortfolioQuery query, string? cursor, CancellationToken cancellationToken) => throw new NotImplementedException();

        public Task<Portfolio> GetPortfolioAsync(string portfolioId, CancellationToken cancellationToken) => throw new NotImplementedException();

        /// <summary>POST /rebalance. Never retried on 429 (the cooldown is the answer).</summary>
        public Task<RebalanceSubmission> StartRebalanceAsync(string portfolioId, CancellationToken cancellationToken) => throw new NotImplementedException();

        public Task<Operation> GetOperationAsync(string portfolioId, string operationId, CancellationToken cancellationToken) => throw new NotImplementedException();

        /// <summary>POST /stop: pause the schedule. Idempotent.</summary>
        public Task<Portfolio> StopScheduleAsync(string portfolioId, CancellationToken cancellationToken) => throw new NotImplementedException();

        /// <summary>POST /start: resume the schedule. Idempotent.</summary>
        public Task<Portfolio> StartScheduleAsync(string portfolioId, CancellationToken cancellationToken) => throw new NotImplementedException();

        public void Dispose() => throw new NotImplementedException();
    }
}
