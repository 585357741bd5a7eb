using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Glider.Client.Models;
using Glider.Client.Waiting;

namespace Glider.Client
{
    /// <summary>
    /// Waits for many operations in one poll loop (not one after another), either a known list (WaitAsync) or a stream
    /// of operations added while the wait runs (Start). Every operation added ends in exactly one of OnFinished,
    /// OnPollFailed or OnTimedOut — unless the wait is cancelled (OperationCanceledException) or, with Any, returns
    /// after the first OnFinished.
    /// </summary>
    /// <remarks>
    /// <list type="bullet">
    /// <item>Each operation is polled as soon as it is added (or, when its reference carries SubmittedAt, one PollInterval
    /// after it, and never later than one PollInterval from now), then every PollInterval (measured from the start of its
    /// previous poll), with at most MaxConcurrentPolls requests in flight across all of them.</item>
    /// <item>Timeout is per operation, counted from when it was added; an operation still unfinished then ends with
    /// OnTimedOut at once, whatever the others do.</item>
    /// <item>The same portfolio + operation added twice is waited for once and reported once (for the first reference).</item>
    /// <item>404, 401, 403 and other non-transient errors end that operation with OnPollFailed. Transient failures (after
    /// the client's own retries) keep it in the wait, polled again next interval, until PollFailureGracePeriod of
    /// consecutive failure; a 429 pushes that operation's next poll to its RetryAt (and the connection's pacing gate
    /// holds every request of a platform 429). A 429 whose RetryAt is past the operation's deadline ends it with
    /// OnTimedOut at once, the 429 as its cause.</item>
    /// <item>Observer calls come from one loop at a time (never concurrently), on pool threads, and never after the
    /// wait has completed.</item>
    /// </list>
    /// </remarks>
    internal sealed class OperationWaiter
    {
        private readonly GliderClient client;

        public OperationWaiter(GliderClient client)
        {
            this.client = client ?? throw new ArgumentNullException(nameof(client));
        }

        /// <summary>Waits for a known set of operations; every reference is validated before anything is sent.</summary>
        public Task WaitAsync(IReadOnlyList<OperationReference> operations, OperationWaitOptions options, IOperationWaitObserver observer, CancellationToken cancellationToken)
        {
            if (operations == null)
            {
                throw new ArgumentNullException(nameof(operations));
            }

            Validate(options, observer);
            for (int i = 0; i < operations.Count; i++)
            {
                OperationReference? reference = operations[i];
                if (reference == null)
                {
                    throw new ArgumentException($"Operation reference #{i} is null.", nameof(operations));
                }

                try
                {
                    Http.PathSegmentEscaper.ValidateId(reference.PortfolioId, "portfolioId");
                    Http.PathSegmentEscaper.ValidateId(reference.OperationId, "operationId");
                }
                catch (ArgumentException ex)
                {
                    throw new ArgumentException($"Operation reference #{i} is invalid: {ex.Message}", nameof(operations), ex);
                }
            }

            OperationWaitSession session = StartCore(options, observer, cancellationToken);
            foreach (OperationReference reference in operations)
            {
                session.Add(reference);
            }

            session.CompleteAdding();
            return session.Completion;
        }

        /// <summary>Starts a wait that operations are added to while it runs; call CompleteAdding after the last one.</summary>
        public OperationWaitSession Start(OperationWaitOptions options, IOperationWaitObserver observer, CancellationToken cancellationToken)
        {
            Validate(options, observer);
            return StartCore(options, observer, cancellationToken);
        }

        private OperationWaitSession StartCore(OperationWaitOptions options, IOperationWaitObserver observer, CancellationToken cancellationToken)
        {
            var run = new WaitRun(client, options, observer, client.TimeProvider);
            return new OperationWaitSession(run, run.RunAsync(cancellationToken));
        }

        private static void Validate(OperationWaitOptions options, IOperationWaitObserver observer)
        {
            if (options == null)
            {
                throw new ArgumentNullException(nameof(options));
            }

            if (observer == null)
            {
                throw new ArgumentNullException(nameof(observer));
            }

            if (options.PollInterval <= TimeSpan.Zero || options.PollInterval > TimeSpan.FromSeconds(OperationWaitOptions.MaxPollIntervalSeconds))
            {
                throw new ArgumentOutOfRangeException(nameof(OperationWaitOptions.PollInterval), options.PollInterval, "The poll interval must be positive and at most a day.");
            }

            if (options.Timeout < TimeSpan.Zero || options.Timeout > TimeSpan.FromSeconds(OperationWaitOptions.MaxTimeoutSeconds))
            {
                throw new ArgumentOutOfRangeException(nameof(OperationWaitOptions.Timeout), options.Timeout, "The timeout must not be negative nor longer than a week.");
            }

            if (options.MaxConcurrentPolls < 1)
            {
                throw new ArgumentOutOfRangeException(nameof(OperationWaitOptions.MaxConcurrentPolls), options.MaxConcurrentPolls, "At least one poll must be allowed in flight.");
            }

            if (options.PollFailureGracePeriod < TimeSpan.Zero)
            {
                throw new ArgumentOutOfRangeException(nameof(OperationWaitOptions.PollFailureGracePeriod), options.PollFailureGracePeriod, "The grace period must not be negative.");
            }
        }
    }
}
