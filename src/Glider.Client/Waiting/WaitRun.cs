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
    /// One WaitAsync call. A single loop owns all state: it hands due operations to poll tasks (at most
    /// MaxConcurrentPolls alive at once), and the poll tasks only put their result on a queue and wake the loop. So
    /// nothing per operation lives between polls except its entry in the schedule, and observer calls never overlap.
    /// </summary>
    internal sealed class WaitRun
    {
        private readonly GliderClient client;
        private readonly IReadOnlyList<TrackedOperation> operations;
        private readonly OperationWaitOptions options;
        private readonly IOperationWaitObserver observer;
        private readonly TimeProvider clock;
        private readonly PollSchedule schedule = new PollSchedule();
        private readonly ConcurrentQueue<PollResult> results = new ConcurrentQueue<PollResult>();
        private readonly List<Task> polls = new List<Task>();
        private TaskCompletionSource<bool> wake = NewWake();
        private DateTimeOffset? deadline;
        private DateTimeOffset platformNotBefore = DateTimeOffset.MinValue;
        private int inFlight;
        private int pending;
        private bool anyFinished;

        public WaitRun(GliderClient client, IReadOnlyList<TrackedOperation> operations, OperationWaitOptions options, IOperationWaitObserver observer, TimeProvider clock)
        {
            this.client = client;
            this.operations = operations;
            this.options = options;
            this.observer = observer;
            this.clock = clock;
        }

        public async Task RunAsync(CancellationToken cancellationToken)
        {
            if (operations.Count == 0) return;
            cancellationToken.ThrowIfCancellationRequested();

            DateTimeOffset start = clock.GetUtcNow();
            // A timeout no timer can hold (TimeSpan.MaxValue from a script meaning "forever") is no timeout.
            TimeSpan? timeLimit = options.Timeout > TimeProviderCompat.LongestTimer ? null : options.Timeout;
            deadline = timeLimit is TimeSpan timeout ? start + timeout : (DateTimeOffset?)null;
            foreach (TrackedOperation operation in operations) schedule.Add(operation, FirstPollAt(operation.Reference, start));
            pending = operations.Count;

            using var endOfWait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            using CancellationTokenSource? timeoutSource = timeLimit is TimeSpan t ? TimeProviderCompat.CancelAfter(clock, t) : null;
            using var pollCancellation = CancellationTokenSource.CreateLinkedTokenSource(endOfWait.Token, timeoutSource?.Token ?? CancellationToken.None);
            using CancellationTokenRegistration wakeOnEnd = pollCancellation.Token.Register(Wake);

            bool timedOut = false;
            try
            {
                timedOut = await LoopAsync(pollCancellation.Token, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                // Whatever ended the wait, no poll outlives it.
                endOfWait.Cancel();
                await Task.WhenAll(polls).ConfigureAwait(false);
            }

            cancellationToken.ThrowIfCancellationRequested();
            HandleResults(); // answers that arrived while the wait was ending are still reported
            if (!timedOut || anyFinished) return;
            foreach (TrackedOperation operation in operations)
            {
                if (operation.IsDone) continue;
                operation.IsDone = true;
                observer.OnTimedOut(operation.Reference, operation.LastKnown);
            }
        }

        /// <summary>
        /// A run just submitted is still going: polling it at once costs one request per operation and tells nothing.
        /// So the first poll goes one interval after submittedAt, but never later than one interval from now: the
        /// server's clock may be ahead of ours, and waiting on a skewed clock must not delay anyone by more than the
        /// cadence they asked for. A reference without submittedAt, or submitted long ago, is polled at once.
        /// </summary>
        private DateTimeOffset FirstPollAt(OperationReference reference, DateTimeOffset start)
        {
            if (reference.SubmittedAt is not DateTimeOffset submittedAt) return start;
            DateTimeOffset due = submittedAt + options.PollInterval;
            if (due <= start) return start;
            DateTimeOffset latest = start + options.PollInterval;
            return due < latest ? due : latest;
        }

        /// <returns>True when the wait's timeout ended it.</returns>
        private async Task<bool> LoopAsync(CancellationToken pollToken, CancellationToken callerToken)
        {
            Task? timer = null;
            DateTimeOffset timerDueAt = DateTimeOffset.MaxValue;
            CancellationTokenSource? timerCancellation = null;
            try
            {
                while (true)
                {
                    Volatile.Write(ref wake, NewWake());
                    HandleResults();
                    if (pending == 0 || anyFinished) return false;
                    callerToken.ThrowIfCancellationRequested();

                    DateTimeOffset now = clock.GetUtcNow();
                    if (deadline != null && now >= deadline.Value) return true;
                    if (pollToken.IsCancellationRequested) return deadline != null; // the timeout source fired a hair early

                    StartDuePolls(now, pollToken);
                    if (!results.IsEmpty) continue;

                    DateTimeOffset? wakeAt = NextWakeAt();
                    Task woken = Volatile.Read(ref wake).Task;
                    if (wakeAt == null)
                    {
                        await woken.ConfigureAwait(false);
                        continue;
                    }

                    TimeSpan sleep = wakeAt.Value - now;
                    if (sleep <= TimeSpan.Zero) continue;

                    // One timer at a time: keep the current one if it fires no later than needed.
                    if (timer == null || timer.IsCompleted || timerDueAt > wakeAt.Value)
                    {
                        timerCancellation?.Cancel();
                        timerCancellation?.Dispose();
                        timerCancellation = new CancellationTokenSource();
                        timer = TimeProviderCompat.Delay(clock, sleep, timerCancellation.Token);
                        timerDueAt = wakeAt.Value;
                    }
                    await Task.WhenAny(woken, timer).ConfigureAwait(false);
                }
            }
            finally
            {
                timerCancellation?.Cancel();
                timerCancellation?.Dispose();
            }
        }

        private void StartDuePolls(DateTimeOffset now, CancellationToken pollToken)
        {
            polls.RemoveAll(task => task.IsCompleted);
            if (platformNotBefore > now) return;
            while (inFlight < options.MaxConcurrentPolls && schedule.Count > 0 && schedule.NextDueAt <= now)
            {
                TrackedOperation operation = schedule.Take();
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
                next = schedule.NextDueAt > platformNotBefore ? schedule.NextDueAt : platformNotBefore;
            }
            if (deadline != null && (next == null || deadline.Value < next.Value)) next = deadline;
            return next;
        }

        private async Task PollAsync(TrackedOperation operation, CancellationToken pollToken)
        {
            PollResult result;
            try
            {
                Operation answer = await client.GetOperationAsync(operation.Reference.PortfolioId, operation.Reference.OperationId, deadline, pollToken).ConfigureAwait(false);
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
            while (results.TryDequeue(out PollResult? result))
            {
                inFlight--;
                TrackedOperation operation = result.Tracked;
                if (operation.IsDone || result.WasCancelled) continue;
                if (result.Operation != null) HandlePolled(operation, result.Operation);
                else HandleFailure(operation, result.Error!);
            }
        }

        private void HandlePolled(TrackedOperation operation, Operation answer)
        {
            operation.LastKnown = answer;
            operation.FailingSince = null;
            observer.OnPolled(answer);
            if (answer.IsTerminal)
            {
                Finish(operation);
                observer.OnFinished(answer);
                if (options.Any) anyFinished = true;
                return;
            }
            schedule.Add(operation, operation.LastPollStartedAt + options.PollInterval);
        }

        private void HandleFailure(TrackedOperation operation, GliderException error)
        {
            DateTimeOffset now = clock.GetUtcNow();
            var rateLimit = error as GliderRateLimitException;
            operation.FailingSince ??= operation.LastPollStartedAt;

            bool final = !error.IsTransient
                || (rateLimit != null && deadline != null && rateLimit.RetryAt > deadline.Value)
                || now - operation.FailingSince.Value >= options.PollFailureGracePeriod;
            if (final)
            {
                Finish(operation);
                observer.OnPollFailed(operation.Reference, error);
                return;
            }

            DateTimeOffset next = operation.LastPollStartedAt + options.PollInterval;
            if (rateLimit != null)
            {
                if (rateLimit.RetryAt > next) next = rateLimit.RetryAt;
                // The platform limiter counts every request of this key: hold all polls, not just this one.
                if (rateLimit.LimitSource == RateLimitSource.Platform && rateLimit.RetryAt > platformNotBefore) platformNotBefore = rateLimit.RetryAt;
            }
            schedule.Add(operation, next);
        }

        private void Finish(TrackedOperation operation)
        {
            operation.IsDone = true;
            pending--;
        }

        private void Wake() => Volatile.Read(ref wake).TrySetResult(true);

        private static TaskCompletionSource<bool> NewWake() => new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
