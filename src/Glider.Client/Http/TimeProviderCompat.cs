using System;
using System.Threading;
using System.Threading.Tasks;

namespace Glider.Client.Http
{
    /// <summary>Timers that follow the options' TimeProvider on both targets (so tests can drive them with FakeTimeProvider).</summary>
    internal static class TimeProviderCompat
    {
        public static CancellationTokenSource CancelAfter(TimeProvider timeProvider, TimeSpan delay)
        {
#if NET
            return new CancellationTokenSource(delay, timeProvider);
#else
            return timeProvider.CreateCancellationTokenSource(delay);
#endif
        }

        public static Task Delay(TimeProvider timeProvider, TimeSpan delay, CancellationToken cancellationToken)
        {
#if NET
            return Task.Delay(delay, timeProvider, cancellationToken);
#else
            return timeProvider.Delay(delay, cancellationToken);
#endif
        }
    }
}
