using System;
using System.Collections.Generic;
using System.Globalization;

namespace Glider.Emulator.Model
{
    /// <summary>Builds the deterministic portfolios of the README. Only nextDueAt depends on the time of the reset.</summary>
    internal static class SeedData
    {
        public const int BorealisPortfolioCount = 5;

        private static readonly DateTimeOffset SeedEpoch = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

        private static readonly Strategy[] Strategies =
        {
            new("strat_balanced", "Balanced 60/40", "Sixty percent majors, forty percent stablecoins, rebalanced to target.", 3),
            new("strat_growth", "Growth", "Large-cap crypto weighted by market capitalisation.", 5),
            new("strat_income", "Income", "Yield-bearing stablecoin positions.", 2),
        };

        private static readonly (string Frequency, long IntervalMs)[] Frequencies =
        {
            ("daily", 86_400_000L),
            ("weekly", 604_800_000L),
            ("hourly", 3_600_000L),
        };

        public static List<Portfolio> Build(int acmePortfolioCount, DateTimeOffset now)
        {
            var portfolios = new List<Portfolio>(acmePortfolioCount + BorealisPortfolioCount);
            var nowSeconds = new DateTimeOffset(now.Ticks - (now.Ticks % TimeSpan.TicksPerSecond), TimeSpan.Zero);
            for (var n = 1; n <= acmePortfolioCount; n++)
            {
                portfolios.Add(Create(DemoKeys.Acme, "pf_acme_", "ac", n, nowSeconds));
            }
            for (var n = 1; n <= BorealisPortfolioCount; n++)
            {
                portfolios.Add(Create(DemoKeys.Borealis, "pf_boreal_", "b0", n, nowSeconds));
            }
            return portfolios;
        }

        /// <summary>Acme Capital's portfolios from a seed file (Borealis Treasury keeps its five).</summary>
        public static List<Portfolio> Build(IReadOnlyList<PortfolioSeed> acmeSeeds, DateTimeOffset now)
        {
            var portfolios = new List<Portfolio>(acmeSeeds.Count + BorealisPortfolioCount);
            var nowSeconds = new DateTimeOffset(now.Ticks - (now.Ticks % TimeSpan.TicksPerSecond), TimeSpan.Zero);
            for (var i = 0; i < acmeSeeds.Count; i++)
            {
                portfolios.Add(Create(acmeSeeds[i], i + 1, nowSeconds));
            }
            for (var n = 1; n <= BorealisPortfolioCount; n++)
            {
                portfolios.Add(Create(DemoKeys.Borealis, "pf_boreal_", "b0", n, nowSeconds));
            }
            return portfolios;
        }

        public static IEnumerable<string> StrategyIds => Array.ConvertAll(Strategies, s => s.Id);

        public static bool IsStrategy(string id) => Array.Exists(Strategies, s => s.Id == id);

        public static bool IsFrequency(string frequency) => Array.Exists(Frequencies, f => f.Frequency == frequency);

        /// <summary>A seed file's portfolio: what the numbered seed gives position n, with the file's fields on top.</summary>
        private static Portfolio Create(PortfolioSeed seed, int n, DateTimeOffset now)
        {
            var numbered = Create(DemoKeys.Acme, "pf_acme_", "ac", n, now);
            var strategy = seed.StrategyId is null ? numbered.Strategy : Array.Find(Strategies, s => s.Id == seed.StrategyId)!;
            var schedule = numbered.Schedule;
            var status = seed.ScheduleStatus ?? (schedule is null ? PortfolioSeed.NoSchedule : schedule.Status);
            if (status == PortfolioSeed.NoSchedule)
            {
                schedule = null;
            }
            else
            {
                var frequency = seed.Frequency ?? schedule?.Frequency ?? Frequencies[n % Frequencies.Length].Frequency;
                schedule = new PortfolioSchedule
                {
                    Status = status,
                    Frequency = frequency,
                    IntervalMs = Array.Find(Frequencies, f => f.Frequency == frequency).IntervalMs,
                    NextDueAt = status == PortfolioSchedule.Paused ? null : now.AddMinutes(n),
                    LastRebalanceAt = seed.LastRebalanceAt ?? (n % 3 == 0 ? null : numbered.CreatedAt.AddDays(1)),
                };
            }
            return new Portfolio(seed.Id, DemoKeys.Acme, seed.OwnerAccountId ?? numbered.OwnerAccountId, strategy, numbered.SmartAccountIds, numbered.CreatedAt, schedule);
        }

        private static Portfolio Create(Tenant tenant, string idPrefix, string ownerPrefix, int n, DateTimeOffset now)
        {
            var id = idPrefix + n.ToString("0000", CultureInfo.InvariantCulture);
            var ownerIndex = (n - 1) / 10;
            var owner = "eip155:0:0x" + ownerPrefix + ownerIndex.ToString("x38", CultureInfo.InvariantCulture);
            var smartAccount = "eip155:8453:0x" + ownerPrefix + n.ToString("x38", CultureInfo.InvariantCulture);
            // Ten seconds apart: even the largest seed the control API accepts (1,000,000) ends in April 2026, so no
            // seeded lastRebalanceAt (createdAt + 1 day) lies in the future and puts a portfolio in cooldown.
            var createdAt = SeedEpoch.AddSeconds(10.0 * n);
            return new Portfolio(id, tenant, owner, Strategies[(n - 1) % Strategies.Length], new[] { smartAccount }, createdAt, CreateSchedule(n, createdAt, now));
        }

        private static PortfolioSchedule? CreateSchedule(int n, DateTimeOffset createdAt, DateTimeOffset now)
        {
            if (n % 25 == 0)
            {
                return null;
            }

            var (frequency, intervalMs) = Frequencies[n % Frequencies.Length];
            var paused = n % 5 == 0;
            return new PortfolioSchedule
            {
                Status = paused ? PortfolioSchedule.Paused : PortfolioSchedule.Active,
                Frequency = frequency,
                IntervalMs = intervalMs,
                NextDueAt = paused ? null : now.AddMinutes(n),
                LastRebalanceAt = n % 3 == 0 ? null : createdAt.AddDays(1),
            };
        }
    }
}
