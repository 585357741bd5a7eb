using System;

namespace Glider.Emulator.Model
{
    /// <summary>
    /// One manual rebalance. Its state is never stored: it is derived from the time elapsed since submission,
    /// so thousands of runs cost no timers and every read is consistent with every other.
    /// </summary>
    internal sealed class RebalanceOperation
    {
        private const double AcceptedShare = 0.2;

        public RebalanceOperation(string operationId, string portfolioId, DateTimeOffset submittedAt, int durationMs, OperationOutcome outcome)
        {
            OperationId = operationId;
            PortfolioId = portfolioId;
            SubmittedAt = submittedAt;
            DurationMs = durationMs;
            Outcome = outcome;
        }

        public string OperationId { get; }
        public string PortfolioId { get; }
        public DateTimeOffset SubmittedAt { get; }
        public int DurationMs { get; }
        public OperationOutcome Outcome { get; }
        public string Kind => "rebalance";

        public DateTimeOffset FinishesAt => SubmittedAt.AddMilliseconds(DurationMs);

        public OperationView ViewAt(DateTimeOffset now)
        {
            if (now >= FinishesAt)
            {
                if (!Outcome.NeverEnds)
                {
                    return new OperationView(Outcome.FinalState, FinishesAt, FinishesAt, Outcome.Error);
                }

                // A stuck run stays in the state it reached last; the phases below say which and since when.
                now = FinishesAt.AddTicks(-1);
            }

            var acceptedUntil = SubmittedAt.AddMilliseconds(Math.Floor(DurationMs * AcceptedShare));
            if (now < acceptedUntil)
            {
                return new OperationView("accepted", SubmittedAt, null, null);
            }

            // The running stretch is shared equally between "running" and each intermediate state of the outcome.
            var phases = 1 + Outcome.Via.Count;
            var runningTicks = (FinishesAt - acceptedUntil).Ticks;
            var phaseIndex = (int)Math.Min(phases - 1, (now - acceptedUntil).Ticks * phases / Math.Max(1, runningTicks));
            var phaseStart = acceptedUntil.AddTicks(runningTicks * phaseIndex / phases);
            var state = phaseIndex == 0 ? "running" : Outcome.Via[phaseIndex - 1];
            return new OperationView(state, TruncateToMilliseconds(phaseStart), null, null);
        }

        private static DateTimeOffset TruncateToMilliseconds(DateTimeOffset value) =>
            new(value.Ticks - (value.Ticks % TimeSpan.TicksPerMillisecond), TimeSpan.Zero);
    }
}
