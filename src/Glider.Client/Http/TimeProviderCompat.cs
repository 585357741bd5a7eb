using System;
using System.Threading;
using System.Threading.Tasks;

namespace Glider.Client.Http
{
    /// <summary>Timers that follow the options' TimeProvider on both targets (so tests can drive them with FakeTimeProvider).</summary>
    internal static class TimeProviderCompat
    {
        /// <summary>The longest delay a timer accepts (int.MaxValue - 1 ms, about 24.8 days); longer means "never".</summary>
        public static readonly TimeSpan LongestTimer = TimeSpan.FromMilliseconds(int.MaxValue - 1);

        public static CancellationTokenSource CancelAfter(TimeProvider timeProvider, TimeSpan delay)
        {
            if (delay > LongestTimer)
            {
                delay = Timeout.InfiniteTimeSpan;
            }
#if NET
            return new CancellationTokenSource(delay, timeProvider);
#else
            return timeProvider.CreateCancellationTokenSource(delay);
#endif
        }

        /// <summary>
        /// Cancels source after delay, on the provider's clock. Returns the timer to dispose (null when the system
        /// clock's own CancelAfter was used, which costs no extra timer object, or when the delay means "never").
        /// </summary>
        public static IDisposable? CancelAfter(CancellationTokenSource source, TimeProvider timeProvider, TimeSpan delay)
        {
            if (delay == Timeout.InfiniteTimeSpan || delay > LongestTimer)
            {
                return null;
            }

            if (ReferenceEquals(timeProvider, TimeProvider.System))
            {
                source.CancelAfter(delay);
                return null;
            }

            return timeProvider.CreateTimer(CancelSource, source, delay, Timeout.InfiniteTimeSpan);
        }

        private static void CancelSource(object? state)
        {
            try
            {
                ((CancellationTokenSource)state!).Cancel();
            }
            catch (ObjectDisposedException)
            {
                // The attempt ended and disposed its source while the timer was firing: nothing left to cancel.
            }
        }

        public static Task Delay(TimeProvider timeProvider, TimeSpan delay, CancellationToken cancellationToken)
        {
            if (delay > LongestTimer)
            {
                delay = LongestTimer;
            }
#if NET
            return Task.Delay(delay, timeProvider, cancellationToken);
#else
            return timeProvider.Delay(delay, cancellationToken);
#endif
        }
    }
}
