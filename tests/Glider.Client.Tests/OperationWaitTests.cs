using System;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Linq;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using Glider.Client.Errors;
using Glider.Client.Models;
using Glider.Client.Waiting;
using Glider.Client.Tests.Support;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace Glider.Client.Tests
{
    public class OperationWaitTests
    {

        /// <summary>The wait under test, and whether its loop is still working (fake time moves only when it sleeps).</summary>
        private static (Task Task, Func<bool> Busy) StartWait(GliderClient client, System.Collections.Generic.IReadOnlyList<OperationReference> operations,
            OperationWaitOptions options, IOperationWaitObserver observer, CancellationToken cancellationToken)
        {
            OperationWait session = OperationWait.Start(client, options, observer, cancellationToken);
            foreach (OperationReference reference in operations)
            {
                session.Add(reference);
            }

            session.CompleteAdding();
            return (session.Completion, () => !session.IsWaitingForTime);
        }
        /// <summary>A fake API whose operations run for a given time (on the fake clock) and then complete.</summary>
        private sealed class FakeOperations
        {
            private readonly FakeTimeProvider clock;
            private readonly DateTimeOffset startedAt;
            public ConcurrentDictionary<string, int> Polls { get; } = new ConcurrentDictionary<string, int>();
            public Func<string, int, HttpResponseMessage?> Override { get; set; } = (id, n) => null;
            public Func<string, TimeSpan?> Duration { get; set; } = id => TimeSpan.FromSeconds(4);
            public string FinalState { get; set; } = "completed";
            private int inFlight;
            public int MaxInFlight;
            /// <summary>A poll is being answered: fake time must not move under it.</summary>
            public bool IsBusy() => Volatile.Read(ref inFlight) > 0;
            public TimeSpan RealLatency { get; set; }

            public FakeOperations(FakeTimeProvider clock)
            {
                this.clock = clock;
                startedAt = clock.GetUtcNow();
            }

            public RecordingHandler Handler => new RecordingHandler(async (request, n, ct) =>
            {
                int now = Interlocked.Increment(ref inFlight);
                InterlockedMax(ref MaxInFlight, now);
                try
                {
                    if (RealLatency > TimeSpan.Zero)
                    {
                        await Task.Delay(RealLatency, ct);
                    }

                    string id = Uri.UnescapeDataString(request.RequestUri!.AbsolutePath.Split('/').Last());
                    int poll = Polls.AddOrUpdate(id, 1, (_, c) => c + 1);
                    HttpResponseMessage? overridden = Override(id, poll);
                    if (overridden != null)
                    {
                        return overridden;
                    }

                    TimeSpan? duration = Duration(id);
                    bool done = duration != null && clock.GetUtcNow() - startedAt >= duration.Value;
                    return Responses.Operation(done ? FinalState : "running", operationId: id);
                }
                finally
                {
                    Interlocked.Decrement(ref inFlight);
                }
            }, clock);

            private static void InterlockedMax(ref int target, int value)
            {
                int current;
                while (value > (current = Volatile.Read(ref target)) && Interlocked.CompareExchange(ref target, value, current) != current) { }
            }
        }

        private static OperationReference[] References(int count) =>
            Enumerable.Range(1, count).Select(i => new OperationReference("pf_" + i, "rebalance:pf_" + i + ":op%3A" + i)).ToArray();

        private static GliderClient Client(FakeTimeProvider clock, HttpMessageHandler handler, int retries = 0) =>
            TestClients.Create(handler, o => { o.TimeProvider = clock; o.MaxRetryAttempts = retries; });

        [Fact]
        public async Task ManyOperationsArePolledInOneLoop()
        {
            var clock = FakeClock.Create();
            var api = new FakeOperations(clock);
            using GliderClient client = Client(clock, api.Handler);
            var observer = new RecordingObserver();
            DateTimeOffset start = clock.GetUtcNow();

            var (waiting, busy) = StartWait(client, References(50), new OperationWaitOptions { PollInterval = TimeSpan.FromSeconds(2) }, observer, CancellationToken.None);
            await FakeClock.RunAsync(clock, waiting, TimeSpan.FromMilliseconds(100), busy: busy);

            // Operations take 4 s: polled at 0, 2 and 4 s — all of them together, not one after another.
            Assert.Equal(50, observer.Finished.Count);
            Assert.All(api.Polls.Values, polls => Assert.Equal(3, polls));
            Assert.Equal(150, observer.Polled.Count);
            Assert.InRange(clock.GetUtcNow() - start, TimeSpan.FromSeconds(4), TimeSpan.FromSeconds(4.5));
            Assert.All(observer.FinalCallbacks, g => Assert.Equal(new[] { "finished" }, g));
            Assert.False(observer.SawOverlappingCalls);
        }

        [Fact]
        public async Task AThousandTwoSecondOperationsTakeAboutTwoPollsEach()
        {
            var clock = FakeClock.Create();
            var api = new FakeOperations(clock) { Duration = id => TimeSpan.FromSeconds(2) };
            using GliderClient client = Client(clock, api.Handler);
            var observer = new RecordingObserver();

            var (waiting, busy) = StartWait(client, References(1000), new OperationWaitOptions { PollInterval = TimeSpan.FromSeconds(2) }, observer, CancellationToken.None);
            await FakeClock.RunAsync(clock, waiting, TimeSpan.FromMilliseconds(100), busy: busy);

            Assert.Equal(1000, observer.Finished.Count);
            Assert.Equal(2000, api.Polls.Values.Sum());
        }

        [Fact]
        public async Task AFreshSubmissionIsFirstPolledOneIntervalAfterItWasSubmitted()
        {
            var clock = FakeClock.Create();
            var api = new FakeOperations(clock) { Duration = id => TimeSpan.FromSeconds(3) };
            using GliderClient client = Client(clock, api.Handler);
            var observer = new RecordingObserver();
            DateTimeOffset start = clock.GetUtcNow();
            // Submitted half a second ago: polled at +1.5 s (still running) and +3.5 s (ended). Polling at once would
            // have taken three rounds (0, 2 and 4 s).
            OperationReference[] fresh = References(100).Select(r => new OperationReference(r.PortfolioId, r.OperationId, start - TimeSpan.FromSeconds(0.5))).ToArray();

            var (waiting, busy) = StartWait(client, fresh, new OperationWaitOptions { PollInterval = TimeSpan.FromSeconds(2) }, observer, CancellationToken.None);
            await FakeClock.RunAsync(clock, waiting, TimeSpan.FromMilliseconds(100), busy: busy);

            Assert.Equal(100, observer.Finished.Count);
            Assert.Equal(200, api.Polls.Values.Sum());
            Assert.InRange(clock.GetUtcNow() - start, TimeSpan.FromSeconds(3.5), TimeSpan.FromSeconds(4));
        }

        [Fact]
        public async Task ASubmissionOlderThanOneIntervalIsPolledAtOnce()
        {
            var clock = FakeClock.Create();
            var api = new FakeOperations(clock) { Duration = id => TimeSpan.Zero };
            using GliderClient client = Client(clock, api.Handler);
            var observer = new RecordingObserver();
            DateTimeOffset start = clock.GetUtcNow();
            OperationReference[] old = References(10).Select(r => new OperationReference(r.PortfolioId, r.OperationId, start - TimeSpan.FromMinutes(10))).ToArray();

            var (waiting, busy) = StartWait(client, old, new OperationWaitOptions { PollInterval = TimeSpan.FromSeconds(5) }, observer, CancellationToken.None);
            await FakeClock.RunAsync(clock, waiting, TimeSpan.FromMilliseconds(100), busy: busy);

            Assert.Equal(10, observer.Finished.Count);
            Assert.Equal(10, api.Polls.Values.Sum());
            Assert.True(clock.GetUtcNow() - start < TimeSpan.FromSeconds(1), $"waited {clock.GetUtcNow() - start}");
        }

        [Fact]
        public async Task AServerClockAheadOfOursDelaysTheFirstPollByAtMostOneInterval()
        {
            var clock = FakeClock.Create();
            var api = new FakeOperations(clock) { Duration = id => TimeSpan.Zero };
            using GliderClient client = Client(clock, api.Handler);
            var observer = new RecordingObserver();
            DateTimeOffset start = clock.GetUtcNow();
            // The server's submittedAt says "an hour from now": trusting it would leave the operation unpolled for an hour.
            OperationReference[] skewed = References(3).Select(r => new OperationReference(r.PortfolioId, r.OperationId, start + TimeSpan.FromHours(1))).ToArray();

            var (waiting, busy) = StartWait(client, skewed, new OperationWaitOptions { PollInterval = TimeSpan.FromSeconds(3) }, observer, CancellationToken.None);
            await FakeClock.RunAsync(clock, waiting, TimeSpan.FromMilliseconds(100), busy: busy);

            Assert.Equal(3, observer.Finished.Count);
            Assert.Equal(3, api.Polls.Values.Sum());
            Assert.InRange(clock.GetUtcNow() - start, TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(3.5));
        }

        [Fact]
        public async Task TenThousandOperationsFinishWithBoundedConcurrency()
        {
            var clock = FakeClock.Create();
            var api = new FakeOperations(clock) { Duration = id => TimeSpan.FromSeconds(2) };
            using GliderClient client = Client(clock, api.Handler);
            var observer = new RecordingObserver();
            var watch = Stopwatch.StartNew();

            var (waiting, busy) = StartWait(client, References(10_000), new OperationWaitOptions { MaxConcurrentPolls = 32 }, observer, CancellationToken.None);
            await FakeClock.RunAsync(clock, waiting, TimeSpan.FromMilliseconds(250), busy: busy);

            Assert.Equal(10_000, observer.Finished.Count);
            Assert.InRange(api.MaxInFlight, 1, 32);
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(20), $"took {watch.Elapsed}");
        }

        [Fact]
        public async Task AtMostMaxConcurrentPollsAreInFlight()
        {
            var clock = FakeClock.Create();
            var api = new FakeOperations(clock) { Duration = id => TimeSpan.Zero, RealLatency = TimeSpan.FromMilliseconds(20) };
            using GliderClient client = Client(clock, api.Handler);
            var observer = new RecordingObserver();

            var (waiting, busy) = StartWait(client, References(40), new OperationWaitOptions { MaxConcurrentPolls = 4 }, observer, CancellationToken.None);
            await FakeClock.RunAsync(clock, waiting, TimeSpan.FromMilliseconds(100), busy: busy);

            Assert.Equal(40, observer.Finished.Count);
            Assert.Equal(4, api.MaxInFlight);
        }

        [Fact]
        public async Task AnyReturnsAfterTheFirstFinishedOperation()
        {
            var clock = FakeClock.Create();
            var api = new FakeOperations(clock) { Duration = id => id.EndsWith("%3A3") ? TimeSpan.FromSeconds(3) : null };
            using GliderClient client = Client(clock, api.Handler);
            var observer = new RecordingObserver();

            var (waiting, busy) = StartWait(client, References(5), new OperationWaitOptions { Any = true, PollInterval = TimeSpan.FromSeconds(1) }, observer, CancellationToken.None);
            await FakeClock.RunAsync(clock, waiting, TimeSpan.FromMilliseconds(100), busy: busy);

            Operation finished = Assert.Single(observer.Finished);
            Assert.Equal("rebalance:pf_3:op%3A3", finished.OperationId);
            Assert.Empty(observer.TimedOut);
            Assert.Empty(observer.PollFailed);
        }

        [Fact]
        public async Task AnyReportsOneOperationWhenManyFinishInTheSameTick()
        {
            // Every poll answers at once and every run ends at the same instant: one batch of terminal answers.
            var clock = FakeClock.Create();
            var api = new FakeOperations(clock) { Duration = id => TimeSpan.FromSeconds(1.5) };
            using GliderClient client = Client(clock, api.Handler);
            var observer = new RecordingObserver();

            var (waiting, busy) = StartWait(client, References(12), new OperationWaitOptions { Any = true, PollInterval = TimeSpan.FromSeconds(1) }, observer, CancellationToken.None);
            await FakeClock.RunAsync(clock, waiting, TimeSpan.FromMilliseconds(100), busy: busy);

            Assert.Single(observer.Finished);
            Assert.Empty(observer.TimedOut);
            Assert.Empty(observer.PollFailed);
        }

        [Fact]
        public async Task TheTimeoutReportsEveryUnfinishedOperationOnceWithItsLastState()
        {
            var clock = FakeClock.Create();
            var api = new FakeOperations(clock) { Duration = id => id.EndsWith("%3A1") ? TimeSpan.Zero : null };
            using GliderClient client = Client(clock, api.Handler);
            var observer = new RecordingObserver();
            DateTimeOffset start = clock.GetUtcNow();

            var (waiting, busy) = StartWait(client, References(3), new OperationWaitOptions { Timeout = TimeSpan.FromSeconds(5), PollInterval = TimeSpan.FromSeconds(2) }, observer, CancellationToken.None);
            await FakeClock.RunAsync(clock, waiting, TimeSpan.FromMilliseconds(100), busy: busy);

            Assert.Single(observer.Finished);
            Assert.Equal(2, observer.TimedOut.Count);
            Assert.All(observer.TimedOut, t => Assert.Equal("running", t.LastKnown!.State));
            Assert.All(observer.FinalCallbacks, g => Assert.Single(g));
            Assert.Equal(3, api.Polls["rebalance:pf_2:op%3A2"]); // at 0, 2 and 4 s
            Assert.InRange(clock.GetUtcNow() - start, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(5.2));
        }

        [Fact]
        public async Task OperationsNeverPolledTimeOutWithNoLastKnownState()
        {
            var clock = FakeClock.Create();
            var handler = new RecordingHandler(async (r, n, ct) => { await Task.Delay(Timeout.Infinite, ct); return null!; }, clock);
            using GliderClient client = TestClients.Create(handler, o => { o.TimeProvider = clock; o.RequestTimeout = TimeSpan.FromMinutes(10); });
            var observer = new RecordingObserver();

            var (waiting, busy) = StartWait(client, References(3), new OperationWaitOptions { Timeout = TimeSpan.FromSeconds(1), MaxConcurrentPolls = 1 }, observer, CancellationToken.None);
            await FakeClock.RunAsync(clock, waiting, TimeSpan.FromMilliseconds(100), busy: busy);

            Assert.Equal(3, observer.TimedOut.Count);
            Assert.All(observer.TimedOut, t => Assert.Null(t.LastKnown));
            Assert.Equal(1, handler.Count);
        }

        [Fact]
        public async Task NotFoundIsFinalForThatOperationOnly()
        {
            var clock = FakeClock.Create();
            var api = new FakeOperations(clock)
            {
                Duration = id => TimeSpan.FromSeconds(2),
                Override = (id, n) => id.EndsWith("%3A2") ? Responses.Error(404, "API_006", "Operation not found") : null,
            };
            using GliderClient client = Client(clock, api.Handler, retries: 3);
            var observer = new RecordingObserver();

            var (waiting, busy) = StartWait(client, References(3), new OperationWaitOptions(), observer, CancellationToken.None);
            await FakeClock.RunAsync(clock, waiting, TimeSpan.FromMilliseconds(100), busy: busy);

            var failed = Assert.Single(observer.PollFailed);
            Assert.Equal("pf_2", failed.Reference.PortfolioId);
            Assert.IsType<GliderNotFoundException>(failed.Error);
            Assert.Equal(1, api.Polls["rebalance:pf_2:op%3A2"]);
            Assert.Equal(2, observer.Finished.Count);
        }

        [Fact]
        public async Task TransientFailuresKeepTheOperationInTheWait()
        {
            var clock = FakeClock.Create();
            var api = new FakeOperations(clock)
            {
                Duration = id => TimeSpan.FromSeconds(6),
                Override = (id, n) => n <= 2 ? Responses.Text(502, "<html>bad gateway</html>") : null,
            };
            using GliderClient client = Client(clock, api.Handler);
            var observer = new RecordingObserver();

            var (waiting, busy) = StartWait(client, References(2), new OperationWaitOptions(), observer, CancellationToken.None);
            await FakeClock.RunAsync(clock, waiting, TimeSpan.FromMilliseconds(100), busy: busy);

            Assert.Equal(2, observer.Finished.Count);
            Assert.Empty(observer.PollFailed);
        }

        [Fact]
        public async Task PollsFailingForTheWholeGracePeriodAreReportedAsFailed()
        {
            var clock = FakeClock.Create();
            var api = new FakeOperations(clock) { Override = (id, n) => Responses.Error(503, "API_000", "down") };
            using GliderClient client = Client(clock, api.Handler);
            var observer = new RecordingObserver();

            var (waiting, busy) = StartWait(client, References(2),
                new OperationWaitOptions { PollInterval = TimeSpan.FromSeconds(2), PollFailureGracePeriod = TimeSpan.FromSeconds(10) }, observer, CancellationToken.None);
            await FakeClock.RunAsync(clock, waiting, TimeSpan.FromMilliseconds(100), busy: busy);

            Assert.Equal(2, observer.PollFailed.Count);
            Assert.All(observer.PollFailed, f => Assert.IsType<GliderServerException>(f.Error));
            Assert.All(api.Polls.Values, polls => Assert.Equal(6, polls)); // 0, 2, 4, 6, 8, 10 s
        }

        [Fact]
        public async Task ARateLimitPastTheDeadlineIsReportedAsATimeoutAtOnceWithTheRateLimitAsItsCause()
        {
            var clock = FakeClock.Create();
            var api = new FakeOperations(clock) { Override = (id, n) => Responses.PlatformLimit(120, "120") };
            using GliderClient client = Client(clock, api.Handler, retries: 4);
            var observer = new RecordingObserver();
            DateTimeOffset start = clock.GetUtcNow();

            var (waiting, busy) = StartWait(client, References(2), new OperationWaitOptions { Timeout = TimeSpan.FromSeconds(30) }, observer, CancellationToken.None);
            await FakeClock.RunAsync(clock, waiting, TimeSpan.FromMilliseconds(100), busy: busy);

            Assert.Equal(2, observer.TimedOut.Count);
            Assert.All(observer.TimedOut, t => Assert.True(Assert.IsType<GliderRateLimitException>(t.LastFailure).RetryAt > start + TimeSpan.FromSeconds(30)));
            Assert.All(api.Polls.Values, polls => Assert.Equal(1, polls));
            Assert.Empty(observer.PollFailed);
            // Reported as soon as it was certain, not at the deadline.
            Assert.True(clock.GetUtcNow() - start < TimeSpan.FromSeconds(30), $"reported after {clock.GetUtcNow() - start}");
        }

        [Fact]
        public async Task APlatformRateLimitHoldsEveryPollUntilRetryAt()
        {
            var clock = FakeClock.Create();
            DateTimeOffset start = clock.GetUtcNow();
            var api = new FakeOperations(clock) { Duration = id => TimeSpan.Zero };
            var pollTimes = new ConcurrentQueue<TimeSpan>();
            api.Override = (id, n) =>
            {
                pollTimes.Enqueue(clock.GetUtcNow() - start);
                return id.EndsWith("%3A1") && n == 1 ? Responses.PlatformLimit(20, "20") : null;
            };
            // MaxRetryDelay below 20 s: the client hands the 429 to the waiter instead of sleeping.
            using GliderClient client = TestClients.Create(api.Handler, o => { o.TimeProvider = clock; o.MaxRetryDelay = TimeSpan.FromSeconds(5); });
            var observer = new RecordingObserver();

            var (waiting, busy) = StartWait(client, References(1), new OperationWaitOptions(), observer, CancellationToken.None);
            await FakeClock.RunAsync(clock, waiting, TimeSpan.FromMilliseconds(100), busy: busy);

            Assert.Single(observer.Finished);
            Assert.Equal(2, pollTimes.Count);
            Assert.True(pollTimes.Last() >= TimeSpan.FromSeconds(20), $"second poll at {pollTimes.Last()}");
        }

        [Fact]
        public async Task DuplicatedReferencesAreWaitedAndReportedOnce()
        {
            var clock = FakeClock.Create();
            var api = new FakeOperations(clock) { Duration = id => TimeSpan.Zero };
            using GliderClient client = Client(clock, api.Handler);
            var observer = new RecordingObserver();
            var references = References(2).Concat(References(2)).Concat(new[] { new OperationReference("pf_other", "rebalance:pf_1:op%3A1") }).ToArray();

            var (waiting, busy) = StartWait(client, references, new OperationWaitOptions(), observer, CancellationToken.None);
            await FakeClock.RunAsync(clock, waiting, TimeSpan.FromMilliseconds(100), busy: busy);

            Assert.Equal(3, observer.Finished.Count); // pf_other holds the same operation id under another portfolio: distinct
            Assert.Equal(3, api.Polls.Values.Sum()); // one poll per distinct pair
        }

        [Fact]
        public async Task CancellationIsPromptBetweenPolls()
        {
            var api = new FakeOperations(FakeClock.Create()) { Duration = id => null };
            using GliderClient client = TestClients.Create(api.Handler);
            using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
            var watch = Stopwatch.StartNew();

            await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
                WaitAll.RunAsync(client, References(100), new OperationWaitOptions { PollInterval = TimeSpan.FromSeconds(30) }, new RecordingObserver(), cts.Token));

            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(1.2), $"took {watch.Elapsed}");
        }

        [Fact]
        public async Task CancellationIsPromptWhilePollsHang()
        {
            var handler = new RecordingHandler(async (r, n, ct) => { await Task.Delay(Timeout.Infinite, ct); return null!; });
            using GliderClient client = TestClients.Create(handler);
            using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
            var observer = new RecordingObserver();
            var watch = Stopwatch.StartNew();

            await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
                WaitAll.RunAsync(client, References(10), new OperationWaitOptions(), observer, cts.Token));

            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(1.2), $"took {watch.Elapsed}");
            Assert.Empty(observer.TimedOut);
            Assert.Empty(observer.PollFailed);
        }

        [Fact]
        public async Task InvalidReferencesAreRefusedBeforeAnyPoll()
        {
            var handler = RecordingHandler.Always(() => Responses.Operation("completed"));
            using GliderClient client = TestClients.Create(handler);
            OperationWait wait = OperationWait.Start(client, new OperationWaitOptions(), new RecordingObserver(), CancellationToken.None);

            var error = Assert.Throws<ArgumentException>(() => wait.Add(new OperationReference("pf_1", "..")));
            wait.CompleteAdding();
            await wait.Completion;

            Assert.Equal("operationId", error.ParamName);
            Assert.Equal(0, handler.Count);
        }

        [Fact]
        public async Task HugeOptionValuesMeanForeverInsteadOfThrowing()
        {
            // The wait's own Timeout is bounded (a week; longer is refused, see BlameTheRightThingTests); the rest may be huge.
            var clock = FakeClock.Create();
            var api = new FakeOperations(clock) { Duration = id => TimeSpan.FromSeconds(1) };
            using GliderClient client = TestClients.Create(api.Handler, o => { o.TimeProvider = clock; o.RequestTimeout = TimeSpan.MaxValue; o.MaxRetryDelay = TimeSpan.MaxValue; o.RetryBaseDelay = TimeSpan.MaxValue; });
            var observer = new RecordingObserver();

            var (waiting, busy) = StartWait(client, References(3), new OperationWaitOptions { Timeout = TimeSpan.FromSeconds(OperationWaitOptions.MaxTimeoutSeconds), PollFailureGracePeriod = TimeSpan.MaxValue }, observer, CancellationToken.None);
            await FakeClock.RunAsync(clock, waiting, TimeSpan.FromMilliseconds(100), busy: busy);

            Assert.Equal(3, observer.Finished.Count);
        }

        [Fact]
        public async Task APollIntervalOfMoreThanADayIsRefused()
        {
            using GliderClient client = TestClients.Create(RecordingHandler.Always(() => Responses.Operation("completed")));
            var error = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => WaitAll.RunAsync(client, References(1),
                new OperationWaitOptions { PollInterval = TimeSpan.FromDays(2) }, new RecordingObserver(), CancellationToken.None));
            Assert.Equal("PollInterval", error.ParamName);
        }

        [Fact]
        public async Task AnEmptyListReturnsAtOnce()
        {
            var handler = RecordingHandler.Always(() => Responses.Operation("completed"));
            using GliderClient client = TestClients.Create(handler);
            await WaitAll.RunAsync(client, Array.Empty<OperationReference>(), new OperationWaitOptions(), new RecordingObserver(), CancellationToken.None);
            Assert.Equal(0, handler.Count);
        }

        [Theory]
        [InlineData("failed")]
        [InlineData("cancelled")]
        public async Task FailedAndCancelledOperationsAreFinishedToo(string state)
        {
            var clock = FakeClock.Create();
            var api = new FakeOperations(clock) { Duration = id => TimeSpan.Zero, FinalState = state };
            using GliderClient client = Client(clock, api.Handler);
            var observer = new RecordingObserver();

            var (waiting, busy) = StartWait(client, References(2), new OperationWaitOptions(), observer, CancellationToken.None);
            await FakeClock.RunAsync(clock, waiting, TimeSpan.FromMilliseconds(100), busy: busy);

            Assert.All(observer.Finished, o => Assert.Equal(state, o.State));
            Assert.Equal(2, observer.Finished.Count);
        }
    }
}
