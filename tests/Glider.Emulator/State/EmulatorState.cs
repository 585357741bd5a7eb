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
        private IReadOnlyList<OutcomeShare> _outcomeShares = Array.Empty<OutcomeShare>();

        public EmulatorState(EmulatorOptions options)
        {
            Options = options;
            Clock = options.TimeProvider;
            Keys = DemoKeys.Build();
            Log = new RequestLog(options.RequestLogCapacity);
            _timings = EmulatorTimings.From(options);
            _limits = RateLimitPolicy.From(options);
            _world = BuildWorld(null);
            ApplyScenario();
        }

        public EmulatorOptions Options { get; }
        public TimeProvider Clock { get; }
        public IReadOnlyDictionary<string, ApiKey> Keys { get; }
        public ConcurrentDictionary<string, OperationOutcome> Outcomes { get; } = new(StringComparer.Ordinal);

        /// <summary>How the runs of portfolios without an outcome of their own end, as shares of the portfolios.</summary>
        public IReadOnlyList<OutcomeShare> OutcomeShares
        {
            get => Volatile.Read(ref _outcomeShares);
            set => Volatile.Write(ref _outcomeShares, value);
        }
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

        /// <summary>Back to the start: the options, then the scenario on top. A count replaces any seed file or scenario portfolios.</summary>
        public void Reset(int? portfolioCount)
        {
            Faults.Clear();
            Outcomes.Clear();
            OutcomeShares = Array.Empty<OutcomeShare>();
            Log.Clear();
            Stats.Clear();
            Limiter.Clear();
            Timings = EmulatorTimings.From(Options);
            Limits = RateLimitPolicy.From(Options);
            Volatile.Write(ref _world, BuildWorld(portfolioCount));
            ApplyScenario();
        }

        /// <summary>The portfolio's own outcome, else its share's, else a plain completion.</summary>
        public OperationOutcome OutcomeFor(string portfolioId) =>
            Outcomes.TryGetValue(portfolioId, out var planned)
                ? planned
                : OutcomeShareDraw.Pick(OutcomeShares, portfolioId, Options.FaultSeed) ?? OperationOutcome.Success;

        private EmulatorWorld BuildWorld(int? portfolioCount)
        {
            if (portfolioCount is { } count)
            {
                return new EmulatorWorld(count, Now());
            }

            var scenario = Options.Scenario;
            if (scenario?.PortfolioSeeds is { } scenarioSeeds)
            {
                return new EmulatorWorld(scenarioSeeds, Now());
            }

            if (scenario?.PortfolioCount is { } scenarioCount)
            {
                return new EmulatorWorld(scenarioCount, Now());
            }

            return Options.PortfolioSeeds is { } seeds ? new EmulatorWorld(seeds, Now()) : new EmulatorWorld(Options.PortfolioCount, Now());
        }

        private void ApplyScenario()
        {
            if (Options.Scenario is not { } scenario)
            {
                return;
            }

            var limits = scenario.ApplyLimits(Limits);
            Timings = scenario.ApplyTimings(Timings, ref limits);
            Limits = limits;
            foreach (var (portfolioId, outcome) in scenario.Outcomes)
            {
                Outcomes[portfolioId] = outcome;
            }
            OutcomeShares = scenario.OutcomeShares;
            scenario.AddFaults(Faults, Options.FaultSeed);
        }
    }
}
