using System;
using System.Threading.Tasks;
using Glider.Client.Errors;
using Polly;
using Polly.Retry;

namespace Glider.Client.Http
{
    /// <summary>
    /// Polly retry pipelines, one per RetryRule, built once per client. The per-call deadline travels in the
    /// ResilienceContext; the delay chosen when deciding to retry is handed to Polly through it too, so the decision
    /// ("is there time for another attempt?") and the wait cannot disagree.
    /// </summary>
    internal static class ResiliencePipelineFactory
    {
        public static readonly ResiliencePropertyKey<DateTimeOffset?> DeadlineKey = new ResiliencePropertyKey<DateTimeOffset?>("glider.deadline");
        private static readonly ResiliencePropertyKey<TimeSpan> PlannedDelayKey = new ResiliencePropertyKey<TimeSpan>("glider.plannedDelay");
        private static readonly ResiliencePropertyKey<int> NoAnswerRetriesKey = new ResiliencePropertyKey<int>("glider.noAnswerRetries");

        /// <summary>
        /// At most this many re-sends of the rebalance POST after an attempt that got no usable answer, whatever
        /// MaxRetryAttempts says: each one repeats a money-moving request whose first copy may have arrived. Re-sends
        /// after the platform limiter's 429 (which dispatched nothing) count only against MaxRetryAttempts.
        /// </summary>
        public const int MaxRebalanceRetries = 2;

        public static ResiliencePipeline Create(RetryRule rule, int maxRetryAttempts, RetryDelayPlanner planner, TimeProvider timeProvider)
        {
            int retries = maxRetryAttempts;
            if (retries <= 0)
            {
                return ResiliencePipeline.Empty;
            }

            var retry = new RetryStrategyOptions
            {
                MaxRetryAttempts = retries,
                ShouldHandle = args =>
                {
                    if (args.Outcome.Exception is not GliderException error || !RetryClassifier.MayRetry(error, rule))
                    {
                        return new ValueTask<bool>(false);
                    }

                    if (rule == RetryRule.NoUsableAnswerOnly && RetryClassifier.IsNoUsableAnswer(error))
                    {
                        args.Context.Properties.TryGetValue(NoAnswerRetriesKey, out int noAnswerRetries);
                        if (noAnswerRetries >= MaxRebalanceRetries)
                        {
                            return new ValueTask<bool>(false);
                        }

                        args.Context.Properties.Set(NoAnswerRetriesKey, noAnswerRetries + 1);
                    }

                    args.Context.Properties.TryGetValue(DeadlineKey, out DateTimeOffset? deadline);
                    TimeSpan? delay = planner.Plan(error, args.AttemptNumber, timeProvider.GetUtcNow(), deadline);
                    if (delay == null)
                    {
                        return new ValueTask<bool>(false);
                    }

                    args.Context.Properties.Set(PlannedDelayKey, delay.Value);
                    return new ValueTask<bool>(true);
                },
                DelayGenerator = args =>
                    new ValueTask<TimeSpan?>(args.Context.Properties.TryGetValue(PlannedDelayKey, out TimeSpan delay) ? delay : TimeSpan.Zero),
            };

            return new ResiliencePipelineBuilder { TimeProvider = timeProvider }
                .AddRetry(retry)
                .Build();
        }
    }
}
