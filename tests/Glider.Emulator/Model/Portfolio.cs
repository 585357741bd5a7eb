using System;
using System.Collections.Generic;

namespace Glider.Emulator.Model
{
    /// <summary>
    /// One portfolio with its schedule and runs. Everything mutable is guarded by <see cref="Gate"/>;
    /// callers take it, call <see cref="Settle"/> and then read or change the state.
    /// </summary>
    internal sealed class Portfolio
    {
        private readonly Dictionary<string, RebalanceOperation> _operations = new(StringComparer.Ordinal);

        public Portfolio(
            string id,
            Tenant tenant,
            string ownerAccountId,
            Strategy strategy,
            IReadOnlyList<string> smartAccountIds,
            DateTimeOffset createdAt,
            PortfolioSchedule? schedule)
        {
            Id = id;
            Tenant = tenant;
            OwnerAccountId = ownerAccountId;
            Strategy = strategy;
            SmartAccountIds = smartAccountIds;
            CreatedAt = createdAt;
            UpdatedAt = createdAt;
            Schedule = schedule;
            LastRunFinishedAt = schedule?.LastRebalanceAt;
        }

        public object Gate { get; } = new();
        public string Id { get; }
        public Tenant Tenant { get; }
        public string OwnerAccountId { get; }
        public Strategy Strategy { get; }
        public IReadOnlyList<string> SmartAccountIds { get; }
        public DateTimeOffset CreatedAt { get; }
        public DateTimeOffset UpdatedAt { get; set; }
        public PortfolioSchedule? Schedule { get; }

        /// <summary>The run that has not reached a terminal state yet, as of the last <see cref="Settle"/>.</summary>
        public RebalanceOperation? InFlight { get; private set; }

        /// <summary>When the last run of any outcome ended; the cooldown counts from here.</summary>
        public DateTimeOffset? LastRunFinishedAt { get; private set; }

        /// <summary>Applies the effects of a run that has finished since the last look (there is no timer to do it).</summary>
        public void Settle(DateTimeOffset now)
        {
            var run = InFlight;
            if (run is null || run.Outcome.NeverEnds || now < run.FinishesAt)
            {
                return;
            }

            var finishedAt = run.FinishesAt;
            InFlight = null;
            LastRunFinishedAt = finishedAt;
            if (run.Outcome.FinalState == OperationOutcome.Completed && Schedule is not null)
            {
                Schedule.LastRebalanceAt = finishedAt;
                if (Schedule.Status == PortfolioSchedule.Active)
                {
                    Schedule.NextDueAt = finishedAt.AddMilliseconds(Schedule.IntervalMs);
                }
            }
            if (finishedAt > UpdatedAt)
            {
                UpdatedAt = finishedAt;
            }
        }

        public void StartRun(RebalanceOperation run)
        {
            InFlight = run;
            _operations[run.OperationId] = run;
        }

        public RebalanceOperation? FindOperation(string operationId) =>
            _operations.TryGetValue(operationId, out var run) ? run : null;
    }
}
