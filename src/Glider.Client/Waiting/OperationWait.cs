using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Glider.Client.Errors;
using Glider.Client.Http;
using Glider.Client.Models;

namespace Glider.Client.Waiting
{
    /// <summary>
    /// The one wait for many operations: operations are added while it runs (a pipeline feeding Wait-GliderOperation),
    /// so the first ones are polled, and reported, while later ones are still being submitted. Every operation added
    /// ends in exactly one of OnFinished, OnPollFailed or OnTimedOut, unless the wait is cancelled
    /// (OperationCanceledException) or, with Any, ends after the first OnFinished (and reports no other operation).
    /// </summary>
    /// <remarks>
    /// A single loop owns all per-operation state: it takes newly added operations, hands due ones to poll tasks (at
    /// most MaxConcurrentPolls alive at once), and ends operations whose deadline has passed; the poll tasks only put
    /// their result on a queue and wake the loop. So observer calls never overlap, come from pool threads, and never
    /// come after Completion. Each operation is polled as soon as it is added (or one PollInterval after its
    /// SubmittedAt, never later than one PollInterval from now), then every PollInterval from the start of its previous
    /// poll. Timeout is per operation, from when it was added. 404, 401, 403 and other non-transient errors end that
    /// operation with OnPollFailed; transient failures keep it until PollFailureGracePeriod of consecutive failure; a
    /// 429 pushes its next poll to RetryAt, or ends it with OnTimedOut when RetryAt is past its deadline. The same
    /// portfolio + operation added twice is waited for and reported once.
    /// </remarks>
    internal sealed class OperationWait
    {
        private readonly GliderClient client;
        private readonly OperationWaitOptions options;
        private readonly IOperationWaitObserver observer;
        private readonly TimeProvider clock;
        private readonly TimeSpan? timeLimit;
        private readonly PollSchedule schedule = new PollSchedule();
        private readonly ConcurrentQueue<TrackedOperation> arrivals = new ConcurrentQueue<TrackedOperation>();
        private readonly ConcurrentQueue<PollResult> results = new ConcurrentQueue<PollResult>();
        // Deadlines are "received + Timeout", so arrival order is deadline order: the first unfinished one is the next due.
        private readonly Queue<TrackedOperation> byDeadline = new Queue<TrackedOperation>();
        private readonly List<Task> polls = new List<Task>();
        private readonly OperationDeduplicator seen = new OperationDeduplicator();
        private readonly CancellationTokenSource cancellation;
        private readonly object progressGate = new object();
        private readonly SortedDictionary<string, int> byState = new SortedDictionary<string, int>(StringComparer.Ordinal);
        private int progressVersion;
        private int added;
        private int endedCount;
        private TaskCompletionSource<bool> wake = NewWake();
        private int addingCompleted;
        private int waitingForTime;
        private int ended;
        private int inFlight;
        private int pending;
        private volatile bool anyFinished;

        private OperationWait(GliderClient client, OperationWaitOptions options, IOperationWaitObserver observer, CancellationToken cancellationToken)
        {
            this.client = client;
            this.options = options;
            this.observer = observer;
            clock = client.TimeProvider;
            timeLimit = options.Timeout;
            cancellation = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            // On the pool from the start: a caller's SynchronizationContext (a host's pipeline thread) must never run the
            // loop, or the loop would wait for a thread that is waiting for it.
            Completion = Task.Run(() => RunAsync(cancellation.Token));
        }

        /// <summary>Starts a wait that operations are added to while it runs; call CompleteAdding after the last one.</summary>
        public static OperationWait Start(GliderClient client, OperationWaitOptions options, IOperationWaitObserver observer, CancellationToken cancellationToken)
        {
            if (client == null)
            {
                throw new ArgumentNullException(nameof(client));
            }

            Validate(options, observer);
            return new OperationWait(client, options, observer, cancellationToken);
        }

        /// <summary>Ends when every added operation has been reported (after CompleteAdding), or the wait was cancelled or satisfied (Any).</summary>
        public Task Completion { get; }

        /// <summary>True once Any was satisfied: the wait reports no other operation.</summary>
        public bool AnySatisfied => anyFinished;

        /// <summary>Stops polling at once; Completion ends cancelled. The operations go on on the server.</summary>
        public void Cancel()
        {
            try
            {
                cancellation.Cancel();
            }
            catch (ObjectDisposedException)
            {
            }
        }

        /// <summary>
        /// True while the loop sleeps until a poll or a deadline is due, with no poll in flight: nothing happens before
        /// the clock moves. Lets a test with a fake clock advance it only then.
        /// </summary>
        internal bool IsWaitingForTime => Volatile.Read(ref waitingForTime) != 0;

        /// <summary>True once the wait has ended (all done, -Any satisfied, cancelled or failed); later operations are not waited for.</summary>
        public bool HasEnded => Volatile.Read(ref ended) != 0;

        /// <summary>
        /// Adds an operation to the running wait; its timeout starts now. Returns false for one already in this wait
        /// (an in-flight rebalance answers with its existing id) or when the wait has ended. Throws ArgumentException for
        /// an id the API cannot be asked about. Any thread, one at a time.
        /// </summary>
        public bool Add(OperationReference reference)
        {
            if (reference == null)
            {
                throw new ArgumentNullException(nameof(reference));
            }

            PathSegmentEscaper.ValidateId(reference.PortfolioId, "portfolioId");
            PathSegmentEscaper.ValidateId(reference.OperationId, "operationId");
            if (Volatile.Read(ref addingCompleted) != 0)
            {
                throw new InvalidOperationException("No operation can be added after CompleteAdding.");
            }

            if (HasEnded || !seen.Add(reference))
            {
                return false;
            }

            DateTimeOffset now = clock.GetUtcNow();
            lock (progressGate)
            {
                added++;
                Count(TrackedOperation.WaitingState, 1);
            }

            arrivals.Enqueue(new TrackedOperation(reference, timeLimit is TimeSpan limit ? now + limit : (DateTimeOffset?)null));
            Wake();
            return true;
        }

        /// <summary>Any thread: what a progress bar shows now.</summary>
        public WaitProgress Progress()
        {
            lock (progressGate)
            {
                var states = new List<KeyValuePair<string, int>>(byState.Count);
                foreach (KeyValuePair<string, int> state in byState)
                {
                    if (state.Value > 0)
                    {
                        states.Add(state);
                    }
                }

                return new WaitProgress(progressVersion, added, endedCount, states);
            }
        }

        /// <summary>No more operations will be added: the wait ends when the last one has.</summary>
        public void CompleteAdding()
        {
            Volatile.Write(ref addingCompleted, 1);
            Wake();
        }

        private async Task RunAsync(CancellationToken cancellationToken)
        {
            try
            {
                await RunCoreAsync(cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                Volatile.Write(ref ended, 1);
                Volatile.Write(ref waitingForTime, 1);
            }
        }

        private async Task RunCoreAsync(CancellationToken cancellationToken)
        {
            cancellationToken.ThrowIfCancellationRequested();

            using var endOfWait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            using CancellationTokenRegistration wakeOnEnd = endOfWait.Token.Register(Wake);
            try
            {
                await LoopAsync(endOfWait.Token, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                // Whatever ended the wait, no poll outlives it.
                endOfWait.Cancel();
                await Task.WhenAll(polls).ConfigureAwait(false);
            }

            cancellationToken.ThrowIfCancellationRequested();
            HandleResults(); // answers that arrived while the wait was ending are still reported
        }

        /// <summary>
        /// A run just submitted is still going: polling it at once costs one request per operation and tells nothing.
        /// So the first poll goes one interval after submittedAt, but never later than one interval from now: the
        /// server's clock may be ahead of ours, and waiting on a skewed clock must not delay anyone by more than the
        /// cadence they asked for. A reference without submittedAt, or submitted long ago, is polled at once.
        /// </summary>
        private DateTimeOffset FirstPollAt(OperationReference reference, DateTimeOffset now)
        {
            if (reference.SubmittedAt is not DateTimeOffset submittedAt)
            {
                return now;
            }

            DateTimeOffset due = submittedAt + options.PollInterval;
            if (due <= now)
            {
                return now;
            }

            DateTimeOffset latest = now + options.PollInterval;
            return due < latest ? due : latest;
        }

        private async Task LoopAsync(CancellationToken pollToken, CancellationToken callerToken)
        {
            Task? timer = null;
            DateTimeOffset timerDueAt = DateTimeOffset.MaxValue;
            CancellationTokenSource? timerCancellation = null;
            try
            {
                while (true)
                {
                    Volatile.Write(ref wake, NewWake());
                    // Read before taking arrivals: everything added before CompleteAdding is then taken below.
                    bool inputComplete = Volatile.Read(ref addingCompleted) != 0;
                    DateTimeOffset now = clock.GetUtcNow();
                    TakeArrivals(now);
                    HandleResults();
                    if (anyFinished || (inputComplete && pending == 0))
                    {
                        return;
                    }

                    callerToken.ThrowIfCancellationRequested();

                    now = clock.GetUtcNow();
                    ExpireDue(now);
                    if (pending == 0)
                    {
                        if (inputComplete)
                        {
                            return;
                        }

                        await Volatile.Read(ref wake).Task.ConfigureAwait(false); // idle until the next operation is added
                        continue;
                    }

                    StartDuePolls(now, pollToken);
                    if (!results.IsEmpty || !arrivals.IsEmpty)
                    {
                        continue;
                    }

                    DateTimeOffset? wakeAt = NextWakeAt();
                    Task woken = Volatile.Read(ref wake).Task;
                    if (wakeAt == null)
                    {
                        await woken.ConfigureAwait(false);
                        continue;
                    }

                    TimeSpan sleep = wakeAt.Value - now;
                    if (sleep <= TimeSpan.Zero)
                    {
                        continue;
                    }

                    // One timer at a time: keep the current one if it fires no later than needed.
                    if (timer == null || timer.IsCompleted || timerDueAt > wakeAt.Value)
                    {
                        timerCancellation?.Cancel();
                        timerCancellation?.Dispose();
                        timerCancellation = new CancellationTokenSource();
                        timer = TimeProviderCompat.Delay(clock, sleep, timerCancellation.Token);
                        timerDueAt = wakeAt.Value;
                    }
                    Volatile.Write(ref waitingForTime, inFlight == 0 ? 1 : 0);
                    await Task.WhenAny(woken, timer).ConfigureAwait(false);
                    Volatile.Write(ref waitingForTime, 0);
                }
            }
            finally
            {
                timerCancellation?.Cancel();
                timerCancellation?.Dispose();
            }
        }

        private void TakeArrivals(DateTimeOffset now)
        {
            while (arrivals.TryDequeue(out TrackedOperation? operation))
            {
                pending++;
                byDeadline.Enqueue(operation);
                schedule.Add(operation, FirstPollAt(operation.Reference, now));
            }
        }

        /// <summary>Ends every operation whose own deadline has passed, as soon as it has, whatever the others do.</summary>
        private void ExpireDue(DateTimeOffset now)
        {
            while (byDeadline.Count > 0)
            {
                TrackedOperation first = byDeadline.Peek();
                if (first.IsDone)
                {
                    byDeadline.Dequeue();
                    continue;
                }

                if (first.Deadline is not DateTimeOffset deadline || deadline > now)
                {
                    return;
                }

                byDeadline.Dequeue();
                TimeOut(first);
            }
        }

        private void TimeOut(TrackedOperation operation)
        {
            Finish(operation, "timed out");
            observer.OnTimedOut(operation.Reference, operation.LastKnown, operation.FailingSince != null ? operation.LastFailure : null);
        }

        private void StartDuePolls(DateTimeOffset now, CancellationToken pollToken)
        {
            polls.RemoveAll(task => task.IsCompleted);
            while (inFlight < options.MaxConcurrentPolls && schedule.Count > 0 && schedule.NextDueAt <= now)
            {
                TrackedOperation operation = schedule.Take();
                if (operation.IsDone)
                {
                    continue; // timed out while it waited for its turn
                }

                operation.LastPollStartedAt = now;
                inFlight++;
                polls.Add(PollAsync(operation, pollToken));
            }
        }

        private DateTimeOffset? NextWakeAt()
        {
            DateTimeOffset? next = null;
            if (inFlight < options.MaxConcurrentPolls && schedule.Count > 0)
            {
                next = schedule.NextDueAt;
            }

            foreach (TrackedOperation operation in byDeadline)
            {
                if (operation.IsDone)
                {
                    continue;
                }

                if (operation.Deadline is DateTimeOffset deadline && (next == null || deadline < next.Value))
                {
                    next = deadline;
                }

                break;
            }
            return next;
        }

        private async Task PollAsync(TrackedOperation operation, CancellationToken pollToken)
        {
            PollResult result;
            try
            {
                Operation answer = await client.GetOperationAsync(operation.Reference.PortfolioId, operation.Reference.OperationId, operation.Deadline, pollToken).ConfigureAwait(false);
                result = PollResult.Polled(operation, answer);
            }
            catch (OperationCanceledException) when (pollToken.IsCancellationRequested)
            {
                result = PollResult.Cancelled(operation);
            }
            catch (GliderException ex)
            {
                result = PollResult.Failed(operation, ex);
            }
            catch (Exception ex)
            {
                // Not expected from the client; one bad poll must not bring down a wait for thousands of operations.
                result = PollResult.Failed(operation, new GliderException(
                    $"Polling operation {operation.Reference.OperationId} of portfolio {operation.Reference.PortfolioId} failed unexpectedly: {ex.GetType().Name}: {ex.Message}", ex));
            }
            results.Enqueue(result);
            Wake();
        }

        private void HandleResults()
        {
            // With Any, the first operation to finish is the only one reported, even when others finished in the same tick.
            while (!anyFinished && results.TryDequeue(out PollResult? result))
            {
                inFlight--;
                TrackedOperation operation = result.Tracked;
                if (operation.IsDone || result.WasCancelled)
                {
                    continue;
                }

                if (result.Operation != null)
                {
                    HandlePolled(operation, result.Operation);
                }
                else
                {
                    HandleFailure(operation, result.Error!);
                }
            }
        }

        private void HandlePolled(TrackedOperation operation, Operation answer)
        {
            operation.LastKnown = answer;
            MoveTo(operation, answer.State ?? "unknown");
            operation.FailingSince = null;
            operation.LastFailure = null;
            observer.OnPolled(answer);
            if (answer.IsTerminal)
            {
                Finish(operation, answer.State ?? "unknown");
                observer.OnFinished(answer);
                if (options.Any)
                {
                    anyFinished = true;
                }

                return;
            }
            schedule.Add(operation, operation.LastPollStartedAt + options.PollInterval);
        }

        private void HandleFailure(TrackedOperation operation, GliderException error)
        {
            DateTimeOffset now = clock.GetUtcNow();
            var rateLimit = error as GliderRateLimitException;
            operation.FailingSince ??= operation.LastPollStartedAt;
            operation.LastFailure = error;

            // A 429 that asks for a wait past this operation's deadline settles it now: no poll can come in time.
            if (rateLimit != null && operation.Deadline is DateTimeOffset deadline && rateLimit.RetryAt > deadline)
            {
                TimeOut(operation);
                return;
            }

            if (!error.IsTransient || now - operation.FailingSince.Value >= options.PollFailureGracePeriod)
            {
                Finish(operation, "poll failed");
                observer.OnPollFailed(operation.Reference, error);
                return;
            }

            DateTimeOffset next = operation.LastPollStartedAt + options.PollInterval;
            if (rateLimit != null && rateLimit.RetryAt > next)
            {
                next = rateLimit.RetryAt;
            }

            schedule.Add(operation, next);
        }

        private void Finish(TrackedOperation operation, string endState)
        {
            operation.IsDone = true;
            pending--;
            MoveTo(operation, endState);
            lock (progressGate)
            {
                endedCount++;
                progressVersion++;
            }
        }

        private void MoveTo(TrackedOperation operation, string state)
        {
            if (string.Equals(operation.ProgressState, state, StringComparison.Ordinal))
            {
                return;
            }

            lock (progressGate)
            {
                Count(operation.ProgressState, -1);
                Count(state, 1);
            }

            operation.ProgressState = state;
        }

        // Under progressGate.
        private void Count(string state, int delta)
        {
            byState.TryGetValue(state, out int count);
            byState[state] = count + delta;
            progressVersion++;
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

        private void Wake() => Volatile.Read(ref wake).TrySetResult(true);

        private static TaskCompletionSource<bool> NewWake() => new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
