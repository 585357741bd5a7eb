using System;
using System.Globalization;
using System.Threading;
using System.Threading.Tasks;
using Glider.Client.Pacing;
using Glider.Client.Tests.Support;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace Glider.Client.Tests.Pacing
{
    public class PacingGateTests
    {
        private static readonly TimeSpan LongestWindowHold = TimeSpan.FromSeconds(60);

        private static PacingGate NoJitterGate(FakeTimeProvider clock) => new PacingGate(clock, () => 0, LongestWindowHold);

        private static RateLimitReading Reading(string? limit, string? remaining, DateTimeOffset reset, string? resource = null, string? policy = null) =>
            RateLimitReading.From(limit, remaining, UnixSeconds(reset), resource, policy) ?? throw new InvalidOperationException("unreadable headers");

        private static string UnixSeconds(DateTimeOffset at) => at.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);

        private static Task<PacingTicket> Enter(PacingGate gate, ApiRoute route) => gate.EnterAsync(route, null, CancellationToken.None).AsTask();

        [Fact]
        public async Task AnOpenGateLetsEveryAttemptGoAtOnceCountedPerRoute()
        {
            var gate = NoJitterGate(FakeClock.Create());

            Assert.Equal(1, (await Enter(gate, ApiRoute.TriggerRebalance)).WindowSequence);
            Assert.Equal(2, (await Enter(gate, ApiRoute.TriggerRebalance)).WindowSequence);
            Assert.Equal(1, (await Enter(gate, ApiRoute.GetOperation)).WindowSequence);
            Assert.Null(gate.HeldUntil(ApiRoute.TriggerRebalance));
        }

        [Fact]
        public async Task APlatformLimitHoldsEveryRouteUntilItsRetryAt()
        {
            var clock = FakeClock.Create();
            var gate = NoJitterGate(clock);
            DateTimeOffset retryAt = clock.GetUtcNow().AddSeconds(3);

            gate.Refused(await Enter(gate, ApiRoute.WhoAmI), null, retryAt);
            Task<PacingTicket> trigger = Enter(gate, ApiRoute.TriggerRebalance);
            Task<PacingTicket> list = Enter(gate, ApiRoute.ListPortfolios);

            Assert.Equal(retryAt, gate.HeldUntil(ApiRoute.StopSchedule));
            clock.Advance(TimeSpan.FromSeconds(2.9));
            await Task.Yield();
            Assert.False(trigger.IsCompleted);
            Assert.False(list.IsCompleted);
            clock.Advance(TimeSpan.FromSeconds(0.1));
            await Bounded.Within(Task.WhenAll(trigger, list));
            Assert.Equal(retryAt, clock.GetUtcNow());
        }

        [Fact]
        public async Task AHeldAttemptIsReleasedWithinTheJitterAfterRetryAt()
        {
            var clock = FakeClock.Create();
            var gate = new PacingGate(clock, () => 1.0, LongestWindowHold);
            gate.Refused(await Enter(gate, ApiRoute.WhoAmI), null, clock.GetUtcNow().AddSeconds(1));
            Task<PacingTicket> held = Enter(gate, ApiRoute.GetPortfolio);

            clock.Advance(TimeSpan.FromSeconds(1));
            await Task.Yield();
            Assert.False(held.IsCompleted); // the jitter is on top of RetryAt, never before it
            clock.Advance(PacingGate.MaxJitter);
            await Bounded.Within(held);
        }

        [Fact]
        public async Task AHeldAttemptIsCancelledByItsToken()
        {
            var clock = FakeClock.Create();
            var gate = NoJitterGate(clock);
            gate.Refused(await Enter(gate, ApiRoute.WhoAmI), null, clock.GetUtcNow().AddMinutes(1));
            using var cancellation = new CancellationTokenSource();

            Task held = gate.EnterAsync(ApiRoute.GetPortfolio, null, cancellation.Token).AsTask();
            cancellation.Cancel();

            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Bounded.Within(held));
        }

        [Fact]
        public async Task AHoldPastTheCallersDeadlineFailsAtOnce()
        {
            var clock = FakeClock.Create();
            var gate = NoJitterGate(clock);
            gate.Refused(await Enter(gate, ApiRoute.WhoAmI), null, clock.GetUtcNow().AddSeconds(30));

            var held = await Assert.ThrowsAsync<HeldPastDeadlineException>(
                () => gate.EnterAsync(ApiRoute.GetOperation, clock.GetUtcNow().AddSeconds(10), CancellationToken.None).AsTask());

            Assert.Equal(clock.GetUtcNow().AddSeconds(30), held.Until);
        }

        [Fact]
        public async Task AnExhaustedWindowHoldsItsOwnRouteUntilItsResetAndNoOther()
        {
            var clock = FakeClock.Create();
            var gate = NoJitterGate(clock);
            DateTimeOffset reset = clock.GetUtcNow().AddSeconds(5);
            PacingTicket first = await Enter(gate, ApiRoute.StopSchedule);

            gate.Observe(first, Reading("100", "0", reset));

            Assert.Equal(reset, gate.HeldUntil(ApiRoute.StopSchedule));
            Assert.Null(gate.HeldUntil(ApiRoute.StartSchedule));
            Task<PacingTicket> held = Enter(gate, ApiRoute.StopSchedule);
            for (int i = 0; i < 50; i++)
            {
                await Bounded.Within(Enter(gate, ApiRoute.TriggerRebalance));
                await Bounded.Within(Enter(gate, ApiRoute.GetOperation));
            }

            clock.Advance(TimeSpan.FromSeconds(4.9));
            await Task.Yield();
            Assert.False(held.IsCompleted);
            clock.Advance(TimeSpan.FromSeconds(0.1));
            await Bounded.Within(held);
        }

        [Fact]
        public async Task OneRoutesBudgetIsNeverSpentByTheOthers()
        {
            // The list route reports a generous window of its own; triggers and polls report none. Before windows were
            // per route, the list's 599 became every route's budget and a thousand triggers used it up.
            var clock = FakeClock.Create();
            var gate = NoJitterGate(clock);
            PacingTicket list = await Enter(gate, ApiRoute.ListPortfolios);
            gate.Observe(list, Reading("600", "599", clock.GetUtcNow().AddSeconds(60)));

            for (int i = 0; i < 1000; i++)
            {
                await Bounded.Within(Enter(gate, i % 2 == 0 ? ApiRoute.TriggerRebalance : ApiRoute.GetOperation));
            }

            Assert.Null(gate.HeldUntil(ApiRoute.TriggerRebalance));
            Assert.Null(gate.HeldUntil(ApiRoute.ListPortfolios));
        }

        [Fact]
        public async Task TheBudgetCountsTheAttemptsOfTheSameRouteSentAfterTheAnsweredOne()
        {
            var clock = FakeClock.Create();
            var gate = NoJitterGate(clock);
            DateTimeOffset reset = clock.GetUtcNow().AddSeconds(30);
            PacingTicket answered = await Enter(gate, ApiRoute.GetPortfolio);
            await Enter(gate, ApiRoute.GetPortfolio);
            await Enter(gate, ApiRoute.GetPortfolio);
            await Enter(gate, ApiRoute.ListPortfolios); // another route's send is not this window's

            // 3 left when the first arrived; the two sent after it are not counted by the server yet: 1 left.
            gate.Observe(answered, Reading("100", "3", reset));

            Assert.Null(gate.HeldUntil(ApiRoute.GetPortfolio));
            await Enter(gate, ApiRoute.GetPortfolio);
            Assert.Equal(reset, gate.HeldUntil(ApiRoute.GetPortfolio));
        }

        [Fact]
        public async Task TheServersRemainingWinsOverOurCountWhenItIsHigher()
        {
            // A header that never moves (or a window shared with nobody after all): every answer is read afresh.
            var clock = FakeClock.Create();
            var gate = NoJitterGate(clock);
            DateTimeOffset reset = clock.GetUtcNow().AddSeconds(30);
            for (int i = 0; i < 20; i++)
            {
                PacingTicket ticket = await Bounded.Within(Enter(gate, ApiRoute.ListPortfolios));
                gate.Observe(ticket, Reading("10", "5", reset));
            }

            Assert.Null(gate.HeldUntil(ApiRoute.ListPortfolios));
        }

        [Fact]
        public async Task NothingIsKnownOfTheNextWindowOnceTheResetHasPassed()
        {
            var clock = FakeClock.Create();
            var gate = NoJitterGate(clock);
            PacingTicket first = await Enter(gate, ApiRoute.GetPortfolio);
            gate.Observe(first, Reading("100", "0", clock.GetUtcNow().AddSeconds(2)));

            clock.Advance(TimeSpan.FromSeconds(2));

            Assert.Null(gate.HeldUntil(ApiRoute.GetPortfolio));
            for (int i = 0; i < 5; i++)
            {
                await Bounded.Within(Enter(gate, ApiRoute.GetPortfolio));
            }
        }

        [Fact]
        public async Task AWindowOpenedByOurOwnAttemptEndsAWholeNumberOfSecondsAfterItWasSent()
        {
            var clock = FakeClock.Create();
            clock.Advance(TimeSpan.FromMilliseconds(300)); // a window that opens at .3 s reports its reset rounded up
            var gate = NoJitterGate(clock);
            PacingTicket first = await Enter(gate, ApiRoute.GetOperation);
            DateTimeOffset opened = clock.GetUtcNow();
            clock.Advance(TimeSpan.FromMilliseconds(20)); // the round trip
            DateTimeOffset roundedReset = DateTimeOffset.FromUnixTimeSeconds((opened + TimeSpan.FromSeconds(1)).ToUnixTimeSeconds() + 1);

            gate.Observe(first, Reading("2", "1", roundedReset));

            // A later answer of the same window, to an attempt that did not open it, keeps that estimate.
            PacingTicket later = await Bounded.Within(Enter(gate, ApiRoute.GetOperation));
            gate.Observe(later, Reading("2", "0", roundedReset));

            DateTimeOffset held = Assert.NotNull(gate.HeldUntil(ApiRoute.GetOperation));
            Assert.True(held < roundedReset, $"held until {held:O}, the header's {roundedReset:O}");
            Assert.True(held >= opened + TimeSpan.FromSeconds(1), $"held until {held:O}, before the window's end");
        }

        [Fact]
        public async Task ALateAnswerFromAnEarlierWindowChangesNothing()
        {
            var clock = FakeClock.Create();
            var gate = NoJitterGate(clock);
            PacingTicket old = await Enter(gate, ApiRoute.GetPortfolio);
            PacingTicket current = await Enter(gate, ApiRoute.GetPortfolio);
            gate.Observe(current, Reading("100", "50", clock.GetUtcNow().AddSeconds(20)));

            gate.Observe(old, Reading("100", "0", clock.GetUtcNow().AddSeconds(10)));

            Assert.Null(gate.HeldUntil(ApiRoute.GetPortfolio));
        }

        [Fact]
        public async Task ALaterAnswerFromATighterLayerIsTakenThoughItsResetIsEarlier()
        {
            // The headers show whichever of tier and global is tighter: a minute's tier, then the global second's.
            var clock = FakeClock.Create();
            var gate = NoJitterGate(clock);
            PacingTicket first = await Enter(gate, ApiRoute.TriggerRebalance);
            gate.Observe(first, Reading("600", "500", clock.GetUtcNow().AddSeconds(60)));
            PacingTicket second = await Enter(gate, ApiRoute.TriggerRebalance);

            DateTimeOffset globalReset = clock.GetUtcNow().AddSeconds(2);
            gate.Observe(second, Reading("100", "0", globalReset));

            Assert.Equal(globalReset, gate.HeldUntil(ApiRoute.TriggerRebalance));
        }

        [Theory]
        [InlineData(null, "5")]
        [InlineData("x", "5")]
        [InlineData("0", "not-a-time")]
        [InlineData("-1", "5")]
        [InlineData("0", "99999999999999999")]
        public void HeadersThatCannotBeReadSayNothing(string? remaining, string reset)
        {
            var clock = FakeClock.Create();
            string resetValue = reset == "5" ? UnixSeconds(clock.GetUtcNow().AddSeconds(5)) : reset;

            Assert.Null(RateLimitReading.From("100", remaining, resetValue, null, null));
        }

        [Fact]
        public async Task AHoldFromHeadersLastsNoLongerThanTheLongestWindowHold()
        {
            // A route whose window is an hour must not park its requests for the hour on our estimate: past the bound
            // they go, and the server's own 429 (with Retry-After) decides.
            var clock = FakeClock.Create();
            var gate = NoJitterGate(clock);
            PacingTicket first = await Enter(gate, ApiRoute.ListPortfolios);

            gate.Observe(first, Reading("1000", "0", clock.GetUtcNow().AddHours(1)));

            Assert.Equal(clock.GetUtcNow() + LongestWindowHold, gate.HeldUntil(ApiRoute.ListPortfolios));
            clock.Advance(LongestWindowHold);
            await Bounded.Within(Enter(gate, ApiRoute.ListPortfolios));
        }

        [Fact]
        public async Task ARetryAfterFartherAwayThanTheLongestHoldIsNotBelieved()
        {
            var clock = FakeClock.Create();
            var gate = NoJitterGate(clock);

            gate.Refused(await Enter(gate, ApiRoute.WhoAmI), null, clock.GetUtcNow().AddDays(3));

            Assert.Equal(clock.GetUtcNow() + PacingGate.LongestHold, gate.HeldUntil(ApiRoute.WhoAmI));
        }

        [Fact]
        public async Task RoutesThatNameTheSameCounterShareOneWindow()
        {
            var clock = FakeClock.Create();
            var gate = NoJitterGate(clock);
            DateTimeOffset reset = clock.GetUtcNow().AddSeconds(10);
            PacingTicket stop = await Enter(gate, ApiRoute.StopSchedule);
            PacingTicket start = await Enter(gate, ApiRoute.StartSchedule);
            gate.Observe(stop, Reading("10", "5", reset, resource: "schedule"));

            gate.Observe(start, Reading("10", "0", reset, resource: "schedule"));

            Assert.Equal(reset, gate.HeldUntil(ApiRoute.StopSchedule));
            Assert.Equal(reset, gate.HeldUntil(ApiRoute.StartSchedule));
            Assert.Null(gate.HeldUntil(ApiRoute.GetPortfolio));
        }

        private static DateTimeOffset NextWholeSecond(FakeTimeProvider clock, int seconds = 1) =>
            DateTimeOffset.FromUnixTimeSeconds(clock.GetUtcNow().ToUnixTimeSeconds() + seconds);

        /// <summary>Two refusals of a route that reports no window of its own: the connection learns limit and length.</summary>
        private static async Task<DateTimeOffset> TeachGlobalLimit(FakeTimeProvider clock, PacingGate gate, int limit)
        {
            DateTimeOffset first = NextWholeSecond(clock);
            gate.Refused(await Enter(gate, ApiRoute.GetOperation), Reading(limit.ToString(CultureInfo.InvariantCulture), "0", first), first);
            clock.Advance(first - clock.GetUtcNow());
            for (int i = 0; i < limit + 3; i++)
            {
                await Bounded.Within(Enter(gate, ApiRoute.TriggerRebalance)); // length unknown yet: nothing is held
            }

            DateTimeOffset second = first.AddSeconds(1);
            gate.Refused(await Enter(gate, ApiRoute.TriggerRebalance), Reading(limit.ToString(CultureInfo.InvariantCulture), "0", second), second);
            clock.Advance(second - clock.GetUtcNow());
            return second;
        }

        [Fact]
        public async Task RefusalsOfRoutesWithoutHeadersTeachTheConnectionALimitThatHoldsEveryRoute()
        {
            var clock = FakeClock.Create();
            var gate = NoJitterGate(clock);
            DateTimeOffset windowStart = await TeachGlobalLimit(clock, gate, 5);

            for (int i = 0; i < 5; i++)
            {
                await Bounded.Within(Enter(gate, i % 2 == 0 ? ApiRoute.TriggerRebalance : ApiRoute.GetOperation));
            }

            DateTimeOffset windowEnd = windowStart.AddSeconds(1);
            Assert.Equal(windowEnd, gate.HeldUntil(ApiRoute.ListPortfolios));
            Assert.Equal(windowEnd, gate.HeldUntil(ApiRoute.GetOperation));
            Task<PacingTicket> held = Enter(gate, ApiRoute.GetPortfolio);
            await Task.Yield();
            Assert.False(held.IsCompleted);
            clock.Advance(windowEnd - clock.GetUtcNow());
            await Bounded.Within(held);
        }

        [Fact]
        public async Task ARefusalCarryingTheLimitItsRouteReportsStaysWithThatRoute()
        {
            // A tier's 429 on stop: stop's own answers report the same limit, so only stop's window learns from it.
            var clock = FakeClock.Create();
            var gate = NoJitterGate(clock);
            DateTimeOffset reset = NextWholeSecond(clock, 6);
            gate.Observe(await Enter(gate, ApiRoute.StopSchedule), Reading("2", "1", reset));
            DateTimeOffset retryAt = clock.GetUtcNow().AddSeconds(1);

            gate.Refused(await Enter(gate, ApiRoute.StopSchedule), Reading("2", "0", reset), retryAt);

            clock.Advance(retryAt - clock.GetUtcNow());
            for (int i = 0; i < 100; i++)
            {
                await Bounded.Within(Enter(gate, ApiRoute.GetPortfolio));
            }

            Assert.Null(gate.HeldUntil(ApiRoute.GetPortfolio));
            Assert.Equal(reset, gate.HeldUntil(ApiRoute.StopSchedule));
        }

        [Fact]
        public async Task ARefusalBeforeTheShareIsSpentShrinksTheShareToWhatTheServerLetThroughAndQuietWindowsGrowIt()
        {
            // Another process spends the same counter: this window let 4 of ours through before refusing.
            var clock = FakeClock.Create();
            var gate = NoJitterGate(clock);
            DateTimeOffset windowStart = await TeachGlobalLimit(clock, gate, 10);
            for (int i = 0; i < 4; i++)
            {
                gate.Observe(await Enter(gate, ApiRoute.TriggerRebalance), null);
            }

            clock.Advance(TimeSpan.FromMilliseconds(200)); // well after the window's first round trip
            DateTimeOffset next = windowStart.AddSeconds(1);
            gate.Refused(await Enter(gate, ApiRoute.TriggerRebalance), Reading("10", "0", next), next);
            clock.Advance(next - clock.GetUtcNow());

            for (int i = 0; i < 4; i++)
            {
                await Bounded.Within(Enter(gate, ApiRoute.GetOperation));
            }

            Assert.Equal(next.AddSeconds(1), gate.HeldUntil(ApiRoute.GetOperation));

            // That window ends with the share used and no refusal: the next one allows one more.
            clock.Advance(next.AddSeconds(1) - clock.GetUtcNow());
            for (int i = 0; i < 5; i++)
            {
                await Bounded.Within(Enter(gate, ApiRoute.GetOperation));
            }

            Assert.Equal(next.AddSeconds(2), gate.HeldUntil(ApiRoute.GetOperation));

            // Another quiet window: twice the growth, so a share given up to a process that has finished comes back.
            clock.Advance(next.AddSeconds(2) - clock.GetUtcNow());
            for (int i = 0; i < 7; i++)
            {
                await Bounded.Within(Enter(gate, ApiRoute.GetOperation));
            }

            Assert.Equal(next.AddSeconds(3), gate.HeldUntil(ApiRoute.GetOperation));
        }

        [Fact]
        public async Task ARefusalOfTheWindowsFirstSendDoesNotShrinkTheShare()
        {
            // Sent as our window began, it may have reached the server before the server's previous window ended.
            var clock = FakeClock.Create();
            var gate = NoJitterGate(clock);
            DateTimeOffset windowStart = await TeachGlobalLimit(clock, gate, 10);
            DateTimeOffset next = windowStart.AddSeconds(1);

            gate.Refused(await Enter(gate, ApiRoute.GetOperation), Reading("10", "0", next), next);
            clock.Advance(next - clock.GetUtcNow());

            for (int i = 0; i < 10; i++)
            {
                await Bounded.Within(Enter(gate, ApiRoute.GetOperation));
            }

            Assert.Equal(next.AddSeconds(1), gate.HeldUntil(ApiRoute.GetOperation));
        }

        [Fact]
        public async Task RoutesWhoseAnswersReportTheSameLimitAndResetShareOneWindow()
        {
            // One counter reported by every route (the global layer where no tier is tighter): the sends of each route
            // spend the others' budget.
            var clock = FakeClock.Create();
            var gate = NoJitterGate(clock);
            DateTimeOffset reset = NextWholeSecond(clock, 5);
            gate.Observe(await Enter(gate, ApiRoute.GetOperation), Reading("100", "3", reset));
            gate.Observe(await Enter(gate, ApiRoute.TriggerRebalance), Reading("100", "2", reset));

            await Enter(gate, ApiRoute.GetOperation);
            await Enter(gate, ApiRoute.TriggerRebalance);

            Assert.Equal(reset, gate.HeldUntil(ApiRoute.GetOperation));
            Assert.Equal(reset, gate.HeldUntil(ApiRoute.TriggerRebalance));
            Assert.Null(gate.HeldUntil(ApiRoute.ListPortfolios));
        }

        [Fact]
        public async Task ARefusalOfARouteNotSeenYetByATierAnotherRouteReportsIsNotLearnedAsGlobal()
        {
            // Start shares the schedule tier with stop; its first answer is the tier's 429, whose limit stop reports.
            var clock = FakeClock.Create();
            var gate = NoJitterGate(clock);
            DateTimeOffset reset = NextWholeSecond(clock, 6);
            gate.Observe(await Enter(gate, ApiRoute.StopSchedule), Reading("2", "0", reset));
            DateTimeOffset retryAt = clock.GetUtcNow().AddSeconds(1);

            gate.Refused(await Enter(gate, ApiRoute.StartSchedule), Reading("2", "0", reset), retryAt);

            // The same again in the tier's next window: two refusals would teach a global limit its length.
            clock.Advance(reset - clock.GetUtcNow());
            DateTimeOffset nextReset = reset.AddSeconds(6);
            gate.Observe(await Enter(gate, ApiRoute.StopSchedule), Reading("2", "0", nextReset));
            DateTimeOffset nextRetryAt = clock.GetUtcNow().AddSeconds(1);
            gate.Refused(await Enter(gate, ApiRoute.StartSchedule), Reading("2", "0", nextReset), nextRetryAt);

            clock.Advance(nextRetryAt - clock.GetUtcNow());
            for (int i = 0; i < 20; i++)
            {
                await Bounded.Within(Enter(gate, ApiRoute.GetPortfolio));
            }

            Assert.Null(gate.HeldUntil(ApiRoute.GetPortfolio));
            Assert.Equal(nextReset, gate.HeldUntil(ApiRoute.StartSchedule));
        }

        [Theory]
        [InlineData(null, "\"writes\";q=10;w=60", "policy:writes")]
        [InlineData(null, "writes;q=10", "policy:writes")]
        [InlineData(null, "100;w=60", null)]
        [InlineData("core", "\"writes\";q=10", "resource:core")]
        [InlineData(" ", null, null)]
        public void TheCounterIsNamedByTheResourceOrPolicyHeader(string? resource, string? policy, string? expected)
        {
            var clock = FakeClock.Create();

            RateLimitReading reading = Reading("10", "5", clock.GetUtcNow().AddSeconds(5), resource, policy);

            Assert.Equal(expected, reading.Bucket);
        }
    }
}
