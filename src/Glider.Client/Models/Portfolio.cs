using System;
using System.Collections.Generic;

namespace Glider.Client.Models
{
    /// <summary>A portfolio as the API returns it, from the list or the detail endpoint.</summary>
    public sealed class Portfolio
    {
        public Portfolio(
            string portfolioId,
            string? ownerAccountId,
            string? strategyId,
            string? strategyName,
            string? strategyDescription,
            string? strategyVersion,
            IReadOnlyList<string> smartAccountIds,
            PortfolioSchedule? schedule,
            DateTimeOffset? createdAt,
            DateTimeOffset? updatedAt,
            ResponseTrace trace)
        {
            PortfolioId = portfolioId;
            OwnerAccountId = ownerAccountId;
            StrategyId = strategyId;
            StrategyName = strategyName;
            StrategyDescription = strategyDescription;
            StrategyVersion = strategyVersion;
            SmartAccountIds = smartAccountIds as AccountIdList ?? new AccountIdList(new List<string>(smartAccountIds));
            Schedule = schedule;
            CreatedAt = createdAt;
            UpdatedAt = updatedAt;
            CorrelationId = trace.CorrelationId;
            RequestId = trace.RequestId;
        }

        public string PortfolioId { get; }
        public string? OwnerAccountId { get; }
        public string? StrategyId { get; }
        public string? StrategyName { get; }
        public string? StrategyDescription { get; }
        public string? StrategyVersion { get; }
        /// <summary>The smart account ids; as text (Export-Csv, "$x"), joined with "; ".</summary>
        public IReadOnlyList<string> SmartAccountIds { get; }
        /// <summary>Null when the portfolio has no rebalance schedule.</summary>
        public PortfolioSchedule? Schedule { get; }
        public DateTimeOffset? CreatedAt { get; }
        public DateTimeOffset? UpdatedAt { get; }

        // Flattened from the schedule so that Where-Object NextDueAt -gt ... works on the pipeline.
        public string? ScheduleStatus => Schedule?.Status;
        public DateTimeOffset? NextDueAt => Schedule?.NextDueAt;
        public DateTimeOffset? LastRebalanceAt => Schedule?.LastRebalanceAt;

        public string? CorrelationId { get; }
        public string? RequestId { get; }

        public override string ToString() => PortfolioId;
    }
}
