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
            if (delay > LongestTimer) delay = Timeout.InfiniteTimeSpan;
#if NET
            return new CancellationTokenSource(delay, timeProvider);
#else
            return timeProvider.CreateCancellationTokenSource(delay);
#endif
        }

        public static Task Delay(TimeProvider timeProvider, TimeSpan delay, CancellationToken cancellationToken)
        {
            if (delay > LongestTimer) delay = LongestTimer;
#if NET
            return Task.Delay(delay, timeProvider, cancellationToken);
#else
            return timeProvider.Delay(delay, cancellationToken);
#endif
        }
    }
}
