using System;
using System.Collections.Generic;
using Glider.Emulator.State;

namespace Glider.Emulator
{
    /// <summary>Start-up settings of an emulator instance. The timings are also the values a reset goes back to.</summary>
    public sealed class EmulatorOptions
    {
        /// <summary>TCP port on 127.0.0.1; 0 picks a free one.</summary>
        public int Port { get; set; }

        /// <summary>
        /// A PKCS#12 file (no password) with the certificate and key to serve https with; null serves http. For tests of
        /// clients through a proxy, where only https shows what the proxy can and cannot see.
        /// </summary>
        public string? TlsCertificatePath { get; set; }

        /// <summary>Time a rebalance spends in accepted + running before its outcome.</summary>
        public int OperationMs { get; set; } = 3000;

        /// <summary>Per-portfolio wait after a run finishes before another manual trigger is accepted.</summary>
        public double CooldownSeconds { get; set; } = 30;

        /// <summary>How many portfolios tenant Acme Capital is seeded with.</summary>
        public int PortfolioCount { get; set; } = 250;

        /// <summary>Acme Capital's portfolios from a seed file (--portfolio-file); replaces <see cref="PortfolioCount"/> when set.</summary>
        internal IReadOnlyList<Model.PortfolioSeed>? PortfolioSeeds { get; set; }

        /// <summary>A scenario applied on top of these options at start and on every reset (--scenario).</summary>
        public EmulatorScenario? Scenario { get; set; }

        /// <summary>The global layer of the platform limiter: requests per bucket per window, whatever the route (default: effectively off).</summary>
        public int RateLimitPerWindow { get; set; } = 1_000_000;

        public double RateLimitWindowSeconds { get; set; } = 1;

        /// <summary>The tier layer of the platform limiter; a route belongs to at most one tier. None by default.</summary>
        public List<RateLimitTier> RateLimitTiers { get; set; } = new();

        /// <summary>Per key by default, so that tests of one key are not disturbed by another's requests.</summary>
        public RateLimitBucketing RateLimitBucketing { get; set; } = RateLimitBucketing.PerKey;

        public RateLimitHeaderScope RateLimitHeaderScope { get; set; } = RateLimitHeaderScope.All;

        /// <summary>Extra delay added to every /v2 response.</summary>
        public int LatencyMs { get; set; }

        /// <summary>Seed of the random draws behind fault rules with a fraction, so a run can be repeated.</summary>
        public int FaultSeed { get; set; } = 20261125;

        /// <summary>How many request-log entries are kept (oldest dropped first).</summary>
        public int RequestLogCapacity { get; set; } = 100_000;

        /// <summary>Clock behind every timestamp and the operation lifecycle; tests of clients may pass a fake one.</summary>
        public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

        /// <summary>Stop on Ctrl+C / SIGTERM. Only the stand-alone process wants this; an in-process host must not steal the signal.</summary>
        public bool HandleConsoleSignals { get; set; }

        internal EmulatorOptions Validated()
        {
            if (Port < 0 || Port > 65535)
            {
                throw new ArgumentOutOfRangeException(nameof(Port));
            }

            if (OperationMs < 0)
            {
                throw new ArgumentOutOfRangeException(nameof(OperationMs));
            }

            if (CooldownSeconds < 0)
            {
                throw new ArgumentOutOfRangeException(nameof(CooldownSeconds));
            }

            if (PortfolioCount < 0 || PortfolioCount > 1_000_000)
            {
                throw new ArgumentOutOfRangeException(nameof(PortfolioCount));
            }

            if (RateLimitPerWindow < 1)
            {
                throw new ArgumentOutOfRangeException(nameof(RateLimitPerWindow));
            }

            if (RateLimitWindowSeconds <= 0)
            {
                throw new ArgumentOutOfRangeException(nameof(RateLimitWindowSeconds));
            }

            // Tiers are checked as a whole (names, routes, overlaps); the message says which tier is wrong.
            _ = RateLimitPolicy.From(this);

            if (LatencyMs < 0)
            {
                throw new ArgumentOutOfRangeException(nameof(LatencyMs));
            }

            if (RequestLogCapacity < 1)
            {
                throw new ArgumentOutOfRangeException(nameof(RequestLogCapacity));
            }

            if (TimeProvider is null)
            {
                throw new ArgumentNullException(nameof(TimeProvider));
            }

            return this;
        }
    }
}
