using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Glider.Client.Http;
using Glider.Client.Models;
using Glider.Client.Waiting;

namespace Glider.Client
{
    /// <summary>
    /// Waits for many operations in one poll loop (not one after another). Every operation given ends in exactly one of
    /// OnFinished, OnPollFailed or OnTimedOut — unless the wait is cancelled (OperationCanceledException) or, with Any,
    /// returns after the first OnFinished.
    /// </summary>
    /// <remarks>
    /// <list type="bullet">
    /// <item>Each operation is polled right away (or, when its reference carries SubmittedAt, one PollInterval after it,
    /// and never later than one PollInterval from now), then every PollInterval (measured from the start of its previous poll),
    /// with at most MaxConcurrentPolls requests in flight across all of them.</item>
    /// <item>The same portfolio + operation given twice is waited for once and reported once (for the first reference).</item>
    /// <item>404, 401, 403 and other non-transient errors end that operation with OnPollFailed. Transient failures (after
    /// the client's own retries) keep it in the wait, polled again next interval, until PollFailureGracePeriod of
    /// consecutive failure; a 429 pushes that operation's next poll (and, for the platform limiter, every poll) to its
    /// RetryAt. A 429 whose RetryAt is past the wait's deadline ends the operation with OnPollFailed at once.</item>
    /// <item>Observer calls come from one loop at a time (never concurrently), on pool threads, and never after WaitAsync
    /// has completed.</item>
    /// </list>
    /// </remarks>
    public sealed class OperationWaiter
    {
        private readonly GliderClient client;

        public OperationWaiter(GliderClient client)
        {
            this.client = client ?? throw new ArgumentNullException(nameof(client));
        }

        public Task WaitAsync(IReadOnlyList<OperationReference> operations, OperationWaitOptions options, IOperationWaitObserver observer, CancellationToken cancellationToken)
        {
            if (operations == null) throw new ArgumentNullException(nameof(operations));
            if (options == null) throw new ArgumentNullException(nameof(options));
            if (observer == null) throw new ArgumentNullException(nameof(observer));
            if (options.PollInterval <= TimeSpan.Zero || options.PollInterval > TimeSpan.FromSeconds(OperationWaitOptions.MaxPollIntervalSeconds))
                throw new ArgumentOutOfRangeException(nameof(OperationWaitOptions.PollInterval), options.PollInterval, "The poll interval must be positive and at most a day.");
            if (options.Timeout < TimeSpan.Zero || options.Timeout > TimeSpan.FromSeconds(OperationWaitOptions.MaxTimeoutSeconds))
                throw new ArgumentOutOfRangeException(nameof(OperationWaitOptions.Timeout), options.Timeout, "The timeout must not be negative nor longer than a week.");
            if (options.MaxConcurrentPolls < 1)
                throw new ArgumentOutOfRangeException(nameof(OperationWaitOptions.MaxConcurrentPolls), options.MaxConcurrentPolls, "At least one poll must be allowed in flight.");
            if (options.PollFailureGracePeriod < TimeSpan.Zero)
                throw new ArgumentOutOfRangeException(nameof(OperationWaitOptions.PollFailureGracePeriod), options.PollFailureGracePeriod, "The grace period must not be negative.");

            List<TrackedOperation> tracked = Deduplicate(operations);
            var run = new WaitRun(client, tracked, options, observer, client.TimeProvider);
            return run.RunAsync(cancellationToken);
        }

        /// <summary>Validates every reference before anything is sent, and keeps the first of each portfolio + operation pair.</summary>
        private static List<TrackedOperation> Deduplicate(IReadOnlyList<OperationReference> operations)
        {
            var seen = new HashSet<(string, string)>();
            var tracked = new List<TrackedOperation>(operations.Count);
            for (int i = 0; i < operations.Count; i++)
            {
                OperationReference? reference = operations[i];
                if (reference == null) throw new ArgumentException($"Operation reference #{i} is null.", nameof(operations));
                try
                {
                    PathSegmentEscaper.ValidateId(reference.PortfolioId, "portfolioId");
                    PathSegmentEscaper.ValidateId(reference.OperationId, "operationId");
                }
                catch (ArgumentException ex)
                {
                    throw new ArgumentException($"Operation reference #{i} is invalid: {ex.Message}", nameof(operations), ex);
                }
                if (seen.Add((reference.PortfolioId, reference.OperationId))) tracked.Add(new TrackedOperation(reference));
            }
            return tracked;
        }
    }
}
