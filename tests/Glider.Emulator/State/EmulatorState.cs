using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Threading;
using Glider.Emulator.Faults;
using Glider.Emulator.Model;

namespace Glider.Emulator.State
{
    /// <summary>Everything an emulator instance remembers, and the reset that puts it back to the seed.</summary>
    internal sealed class EmulatorState
    {
        private EmulatorWorld _world;
        private EmulatorTimings _timings;
        private RateLimitPolicy _limits;

        public EmulatorState(EmulatorOptions options)
        {
            Options = options;
            Clock = options.TimeProvider;
            Keys = DemoKeys.Build();
            Log = new RequestLog(options.RequestLogCapacity);
            _timings = EmulatorTimings.From(options);
            _limits = RateLimitPolicy.From(options);
            _world = new EmulatorWorld(options.PortfolioCount, Now());
        }

        public EmulatorOptions Options { get; }
        public TimeProvider Clock { get; }
        public IReadOnlyDictionary<string, ApiKey> Keys { get; }
        public ConcurrentDictionary<string, OperationOutcome> Outcomes { get; } = new(StringComparer.Ordinal);
        public FaultRuleSet Faults { get; } = new();
        public RequestLog Log { get; }
        public EmulatorStats Stats { get; } = new();
        public PlatformRateLimiter Limiter { get; } = new();

        public EmulatorWorld World => Volatile.Read(ref _world);

        public EmulatorTimings Timings
        {
            get => Volatile.Read(ref _timings);
            set => Volatile.Write(ref _timings, value);
        }

        public RateLimitPolicy Limits
        {
            get => Volatile.Read(ref _limits);
            set => Volatile.Write(ref _limits, value);
        }

        /// <summary>Now, truncated to whole milliseconds so what is stored is exactly what the JSON shows.</summary>
        public DateTimeOffset Now()
        {
            var ticks = Clock.GetUtcNow().UtcTicks;
            return new DateTimeOffset(ticks - (ticks % TimeSpan.TicksPerMillisecond), TimeSpan.Zero);
        }

        public void Reset(int? portfolioCount)
        {
            Faults.Clear();
            Outcomes.Clear();
            Log.Clear();
            Stats.Clear();
            Limiter.Clear();
            Timings = EmulatorTimings.From(Options);
            Limits = RateLimitPolicy.From(Options);
            Volatile.Write(ref _world, new EmulatorWorld(portfolioCount ?? Options.PortfolioCount, Now()));
        }
    }
}
