using System;
using System.Threading;

namespace Glider.Emulator.Tests.TestSupport
{
    /// <summary>A clock that only moves when told, so lifecycle tests step through a run without sleeping.</summary>
    public sealed class ManualClock : TimeProvider
    {
        private long _utcTicks;

        public ManualClock(DateTimeOffset start) => _utcTicks = start.UtcTicks;

        public override DateTimeOffset GetUtcNow() => new(Interlocked.Read(ref _utcTicks), TimeSpan.Zero);

        public void Advance(TimeSpan by) => Interlocked.Add(ref _utcTicks, by.Ticks);
    }
}
