using System;
using System.Globalization;
using System.Threading;
using System.Threading.Tasks;
using Glider.Client.Http;
using Glider.Client.Tests.Support;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace Glider.Client.Tests.Pacing
{
    public class PacingGateTests
    {
        private static PacingGate NoJitterGate(FakeTimeProvider clock) => new PacingGate(clock, () => 0);

        private static string UnixSeconds(DateTimeOffset at) => at.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);

        [Fact]
        public async Task AnOpenGateLetsEveryAttemptGoAtOnceInSequence()
        {
            var gate = NoJitterGate(FakeClock.Create());

            Assert.Equal(1, await gate.EnterAsync(CancellationToken.None));
            Assert.Equal(2, await gate.EnterAsync(CancellationToken.None));
            Assert.Null(gate.HeldUntil);
        }

        [Fact]
        public async Task APlatformLimitHoldsNewAttemptsUntilItsRetryAt()
        {
            var clock = FakeClock.Create();
            var gate = NoJitterGate(clock);
            DateTimeOffset retryAt = clock.GetUtcNow().AddSeconds(3);

            gate.HoldUntil(retryAt);
            ValueTask<long> held = gate.EnterAsync(CancellationToken.None);

            clock.Advance(TimeSpan.FromSeconds(2.9));
            await Task.Yield();
            Assert.False(held.IsCompleted);
            clock.Advance(TimeSpan.FromSeconds(0.1));
            Assert.Equal(1, await Bounded.Within(held.AsTask()));
            Assert.Equal(retryAt, clock.GetUtcNow());
        }

        [Fact]
        public async Task AHeldAttemptIsReleasedWithinTheJitterAfterRetryAt()
        {
            var clock = FakeClock.Create();
            var gate = new PacingGate(clock, () => 1.0);
            gate.HoldUntil(clock.GetUtcNow().AddSeconds(1));
            ValueTask<long> held = gate.EnterAsync(CancellationToken.None);

            clock.Advance(TimeSpan.FromSeconds(1));
            await Task.Yield();
            Assert.False(held.IsCompleted); // the jitter is on top of RetryAt, never before it
            clock.Advance(PacingGate.MaxJitter);
            Assert.Equal(1, await Bounded.Within(held.AsTask()));
        }

        [Fact]
        public async Task AHeldAttemptIsCancelledByItsToken()
        {
            var clock = FakeClock.Create();
            var gate = NoJitterGate(clock);
            gate.HoldUntil(clock.GetUtcNow().AddMinutes(1));
            using var cancellation = new CancellationTokenSource();

            Task held = gate.EnterAsync(cancellation.Token).AsTask();
            cancellation.Cancel();

            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Bounded.Within(held));
        }

        [Fact]
        public async Task AnExhaustedWindowHoldsAttemptsUntilItsResetBeforeAny429()
        {
            var clock = FakeClock.Create();
            var gate = NoJitterGate(clock);
            DateTimeOffset reset = clock.GetUtcNow().AddSeconds(5);
            long first = await gate.EnterAsync(CancellationToken.None);

            gate.ObserveWindow(first, "100", "0", UnixSeconds(reset));

            Assert.Equal(reset, gate.HeldUntil);
            ValueTask<long> held = gate.EnterAsync(CancellationToken.None);
            clock.Advance(TimeSpan.FromSeconds(4.9));
            await Task.Yield();
            Assert.False(held.IsCompleted);
            clock.Advance(TimeSpan.FromSeconds(0.1));
            await Bounded.Within(held.AsTask());
        }

        [Fact]
        public async Task TheBudgetCountsTheAttemptsSentAfterTheAnsweredOne()
        {
            var clock = FakeClock.Create();
            var gate = NoJitterGate(clock);
            DateTimeOffset reset = clock.GetUtcNow().AddSeconds(30);
            long answered = await gate.EnterAsync(CancellationToken.None);
            await gate.EnterAsync(CancellationToken.None);
            await gate.EnterAsync(CancellationToken.None);

            // 3 left when the first arrived; the two sent after it are not counted by the server yet: 1 left.
            gate.ObserveWindow(answered, "100", "3", UnixSeconds(reset));

            await gate.EnterAsync(CancellationToken.None);
            Assert.Equal(reset, gate.HeldUntil);
        }

        [Fact]
        public async Task NothingIsKnownOfTheNextWindowOnceTheResetHasPassed()
        {
            var clock = FakeClock.Create();
            var gate = NoJitterGate(clock);
            long first = await gate.EnterAsync(CancellationToken.None);
            gate.ObserveWindow(first, "100", "0", UnixSeconds(clock.GetUtcNow().AddSeconds(2)));

            clock.Advance(TimeSpan.FromSeconds(2));

            Assert.Null(gate.HeldUntil);
            for (int i = 0; i < 5; i++)
            {
                await Bounded.Within(gate.EnterAsync(CancellationToken.None).AsTask());
            }
        }

        [Fact]
        public async Task AWindowOpenedByOurOwnAttemptEndsAWholeNumberOfSecondsAfterItWasSent()
        {
            var clock = FakeClock.Create();
            clock.Advance(TimeSpan.FromMilliseconds(300)); // a window that opens at .3 s reports its reset rounded up
            var gate = NoJitterGate(clock);
            long first = await gate.EnterAsync(CancellationToken.None);
            DateTimeOffset opened = clock.GetUtcNow();
            clock.Advance(TimeSpan.FromMilliseconds(20)); // the round trip
            DateTimeOffset roundedReset = DateTimeOffset.FromUnixTimeSeconds((opened + TimeSpan.FromSeconds(1)).ToUnixTimeSeconds() + 1);

            gate.ObserveWindow(first, "1", "0", UnixSeconds(roundedReset));

            DateTimeOffset held = Assert.NotNull(gate.HeldUntil);
            Assert.True(held < roundedReset, $"held until {held:O}, the header's {roundedReset:O}");
            Assert.True(held >= opened + TimeSpan.FromSeconds(1), $"held until {held:O}, before the window's end");
        }

        [Fact]
        public async Task ALateAnswerFromAnEarlierWindowChangesNothing()
        {
            var clock = FakeClock.Create();
            var gate = NoJitterGate(clock);
            long old = await gate.EnterAsync(CancellationToken.None);
            long current = await gate.EnterAsync(CancellationToken.None);
            gate.ObserveWindow(current, "100", "50", UnixSeconds(clock.GetUtcNow().AddSeconds(20)));

            gate.ObserveWindow(old, "100", "0", UnixSeconds(clock.GetUtcNow().AddSeconds(10)));

            Assert.Null(gate.HeldUntil);
        }

        [Theory]
        [InlineData(null, "5")]
        [InlineData("x", "5")]
        [InlineData("0", "not-a-time")]
        [InlineData("-1", "5")]
        public async Task HeadersThatCannotBeReadHoldNothing(string? remaining, string reset)
        {
            var clock = FakeClock.Create();
            var gate = NoJitterGate(clock);
            long first = await gate.EnterAsync(CancellationToken.None);
            string resetValue = reset == "5" ? UnixSeconds(clock.GetUtcNow().AddSeconds(5)) : reset;

            gate.ObserveWindow(first, "100", remaining, resetValue);

            Assert.Null(gate.HeldUntil);
        }

        [Fact]
        public void AResetFartherAwayThanTheLongestHoldIsNotBelieved()
        {
            var clock = FakeClock.Create();
            var gate = NoJitterGate(clock);

            gate.ObserveWindow(1, "100", "0", UnixSeconds(clock.GetUtcNow() + PacingGate.LongestHold + TimeSpan.FromMinutes(1)));
            gate.HoldUntil(clock.GetUtcNow().AddDays(3));

            Assert.Equal(clock.GetUtcNow() + PacingGate.LongestHold, gate.HeldUntil);
        }
    }
}
