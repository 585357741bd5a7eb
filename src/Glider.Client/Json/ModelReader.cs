using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using Glider.Client.Models;

namespace Glider.Client.Json
{
    /// <summary>
    /// Reads the success envelope {"success":true,"data":{...}} into models. Only the ids a model cannot exist without
    /// are required; every other field is optional and read tolerantly (see JsonFields).
    /// </summary>
    internal static class ModelReader
    {
        public static T ReadEnvelope<T>(string body, Func<JsonElement, JsonElement, T> readData)
        {
            JsonDocument document;
            try
            {
                document = JsonDocument.Parse(body);
            }
            catch (JsonException ex)
            {
                throw new MalformedBodyException(body.Length == 0 ? "the body was empty" : "the body was not JSON", ex);
            }

            using (document)
            {
                JsonElement root = document.RootElement;
                if (root.ValueKind != JsonValueKind.Object)
                {
                    throw new MalformedBodyException("the body was not a JSON object");
                }

                JsonElement? success = JsonFields.Property(root, "success");
                if (success is { ValueKind: JsonValueKind.False })
                {
                    throw new MalformedBodyException("the body said success: false");
                }

                JsonElement? data = JsonFields.Object(root, "data");
                if (data == null)
                {
                    throw new MalformedBodyException("the body had no 'data' object");
                }

                return readData(root, data.Value);
            }
        }

        public static WhoAmI ReadWhoAmI(JsonElement data, ResponseTrace trace)
        {
            List<string> scopes = JsonFields.Strings(data, "scopes", objectKey: "name") ?? new List<string>();
            return new WhoAmI(
                JsonFields.String(data, "tenantName"),
                JsonFields.String(data, "tenantEmail"),
                JsonFields.String(data, "apiKeyId"),
                scopes,
                trace);
        }

        public static PortfolioPage ReadPortfolioPage(JsonElement root, JsonElement data, ResponseTrace trace)
        {
            JsonElement? list = JsonFields.Property(data, "portfolios");
            if (list is not { ValueKind: JsonValueKind.Array })
            {
                throw new MalformedBodyException("'data.portfolios' was not an array");
            }

            var portfolios = new List<Portfolio>();
            foreach (JsonElement item in list.Value.EnumerateArray())
            {
                if (item.ValueKind != JsonValueKind.Object)
                {
                    throw new MalformedBodyException("an entry of 'data.portfolios' was not an object");
                }

                portfolios.Add(ReadPortfolio(item, expectedPortfolioId: null, trace));
            }

            // The contract puts nextCursor beside data; accept it inside data too.
            string? nextCursor = JsonFields.String(root, "nextCursor") ?? JsonFields.String(data, "nextCursor");
            return new PortfolioPage(portfolios, string.IsNullOrEmpty(nextCursor) ? null : nextCursor);
        }

        /// <param name="expectedPortfolioId">The id asked for, used when the body omits it; null for list entries, which must carry theirs.</param>
        public static Portfolio ReadPortfolio(JsonElement data, string? expectedPortfolioId, ResponseTrace trace)
        {
            string portfolioId = JsonFields.String(data, "portfolioId")
                ?? expectedPortfolioId
                ?? throw new MalformedBodyException("a portfolio had no 'portfolioId'");

            return new Portfolio(
                portfolioId,
                JsonFields.String(data, "ownerAccountId", "userAccountId"),
                JsonFields.String(data, "strategyId"),
                JsonFields.String(data, "strategyName"),
                JsonFields.String(data, "strategyDescription"),
                ReadVersion(data),
                ReadSmartAccountIds(data),
                ReadSchedule(data),
                JsonFields.Date(data, "createdAt"),
                JsonFields.Date(data, "updatedAt"),
                trace);
        }

        public static RebalanceSubmission ReadRebalanceSubmission(JsonElement data, string portfolioId, ResponseTrace trace)
        {
            string? operationId = JsonFields.String(data, "operationId");
            if (string.IsNullOrEmpty(operationId))
            {
                throw new MalformedBodyException("the answer had no 'operationId'");
            }

            return new RebalanceSubmission(portfolioId, operationId!, JsonFields.Date(data, "submittedAt"), trace);
        }

        public static Operation ReadOperation(JsonElement data, string portfolioId, string operationId, ResponseTrace trace)
        {
            // The ids asked for are authoritative: the opaque operation id must stay byte for byte what the caller holds.
            return new Operation(
                operationId,
                portfolioId,
                JsonFields.String(data, "kind"),
                JsonFields.String(data, "state"),
                JsonFields.Date(data, "createdAt"),
                JsonFields.Date(data, "updatedAt"),
                JsonFields.Date(data, "finishedAt"),
                ReadOperationError(data),
                trace);
        }

        private static string? ReadVersion(JsonElement data)
        {
            string? text = JsonFields.String(data, "strategyVersion");
            if (text != null)
            {
                return text;
            }

            JsonElement? value = JsonFields.Property(data, "strategyVersion");
            return value is { ValueKind: JsonValueKind.Number } ? value.Value.GetRawText() : null;
        }

        private static IReadOnlyList<string> ReadSmartAccountIds(JsonElement data)
        {
            List<string>? smartAccounts = JsonFields.Strings(data, "smartAccounts", objectKey: "accountId");
            List<string>? vaultAccounts = JsonFields.Strings(data, "vaultAccountIds", objectKey: "accountId");
            if (smartAccounts == null)
            {
                return vaultAccounts ?? new List<string>();
            }

            if (vaultAccounts == null)
            {
                return smartAccounts;
            }

            return smartAccounts.Concat(vaultAccounts).Distinct(StringComparer.Ordinal).ToList();
        }

        private static PortfolioSchedule? ReadSchedule(JsonElement data)
        {
            JsonElement? schedule = JsonFields.Object(data, "schedule");
            if (schedule == null)
            {
                return null;
            }

            JsonElement s = schedule.Value;
            return new PortfolioSchedule(
                JsonFields.String(s, "status"),
                JsonFields.String(s, "frequency"),
                JsonFields.Milliseconds(s, "intervalMs"),
                JsonFields.Date(s, "nextDueAt"),
                JsonFields.Date(s, "lastRebalanceAt"));
        }

        /// <summary>"error" is documented as a string; an object with a message is read as its message.</summary>
        private static string? ReadOperationError(JsonElement data)
        {
            string? text = JsonFields.String(data, "error");
            if (text != null)
            {
                return text;
            }

            JsonElement? obj = JsonFields.Object(data, "error");
            return obj == null ? null : JsonFields.String(obj.Value, "message");
        }
    }
}
