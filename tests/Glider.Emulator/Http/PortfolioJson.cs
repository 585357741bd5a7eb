using System.Text.Json;
using Glider.Emulator.Model;

namespace Glider.Emulator.Http
{
    /// <summary>The JSON of a portfolio (list item or detail) and of an operation. Call with the portfolio's lock held.</summary>
    internal static class PortfolioJson
    {
        public static void WriteListItem(Utf8JsonWriter w, Portfolio p)
        {
            w.WriteStartObject();
            WriteCommonFields(w, p);
            w.WriteEndObject();
        }

        public static void WriteDetailFields(Utf8JsonWriter w, Portfolio p)
        {
            WriteCommonFields(w, p);
            w.WriteNumber("strategyVersion", p.Strategy.Version);
            w.WriteString("updatedAt", IsoTime.Format(p.UpdatedAt));
        }

        private static void WriteCommonFields(Utf8JsonWriter w, Portfolio p)
        {
            w.WriteString("portfolioId", p.Id);
            w.WriteString("ownerAccountId", p.OwnerAccountId);
            w.WriteString("strategyId", p.Strategy.Id);
            w.WriteString("strategyName", p.Strategy.Name);
            w.WriteString("strategyDescription", p.Strategy.Description);
            w.WriteStartArray("smartAccounts");
            foreach (var account in p.SmartAccountIds)
            {
                w.WriteStartObject();
                w.WriteString("accountId", account);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            var schedule = p.Schedule;
            if (schedule is null)
            {
                w.WriteNull("schedule");
            }
            else
            {
                w.WriteStartObject("schedule");
                w.WriteString("status", schedule.Status);
                w.WriteString("frequency", schedule.Frequency);
                w.WriteNumber("intervalMs", schedule.IntervalMs);
                JsonBodies.WriteTimeOrNull(w, "nextDueAt", schedule.NextDueAt);
                JsonBodies.WriteTimeOrNull(w, "lastRebalanceAt", schedule.LastRebalanceAt);
                w.WriteEndObject();
            }
            w.WriteString("createdAt", IsoTime.Format(p.CreatedAt));
        }

        public static void WriteOperationFields(Utf8JsonWriter w, RebalanceOperation run, OperationView view)
        {
            w.WriteString("operationId", run.OperationId);
            w.WriteString("portfolioId", run.PortfolioId);
            w.WriteString("kind", run.Kind);
            w.WriteString("state", view.State);
            w.WriteString("createdAt", IsoTime.Format(run.SubmittedAt));
            w.WriteString("updatedAt", IsoTime.Format(view.UpdatedAt));
            JsonBodies.WriteTimeOrNull(w, "finishedAt", view.FinishedAt);
            if (view.Error is null)
            {
                w.WriteNull("error");
            }
            else
            {
                w.WriteString("error", view.Error);
            }
        }
    }
}
