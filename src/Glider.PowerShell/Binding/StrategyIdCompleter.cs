using System;
using System.Collections;
using System.Collections.Generic;
using System.Management.Automation;
using System.Management.Automation.Language;
using Glider.Client;
using Glider.Client.Models;

namespace Glider.PowerShell
{
    /// <summary>
    /// Tab completion of -StrategyId from the strategies of the connection's portfolios: the same cached listing that
    /// completes -PortfolioId (no request of its own), so it never holds the prompt longer and never calls the API more.
    /// </summary>
    internal sealed class StrategyIdCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(
            string commandName,
            string parameterName,
            string wordToComplete,
            CommandAst commandAst,
            IDictionary fakeBoundParameters)
        {
            GliderClient? client = PortfolioIdCompleter.FindClient(fakeBoundParameters);
            if (client == null)
            {
                yield break;
            }

            string prefix = (wordToComplete ?? string.Empty).Trim('\'', '"');
            var names = new SortedDictionary<string, string?>(StringComparer.Ordinal);
            var counts = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (Portfolio portfolio in PortfolioIdCache.Get(client))
            {
                string? id = portfolio.StrategyId;
                if (string.IsNullOrEmpty(id) || !id!.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
                {
                    continue;
                }

                names[id] = names.TryGetValue(id, out string? known) && known != null ? known : portfolio.StrategyName;
                counts[id] = counts.TryGetValue(id, out int count) ? count + 1 : 1;
            }

            foreach (KeyValuePair<string, string?> strategy in names)
            {
                string tip = $"{strategy.Key}: {strategy.Value ?? "unnamed strategy"} ({counts[strategy.Key]} portfolio(s))";
                yield return new CompletionResult(strategy.Key, strategy.Key, CompletionResultType.ParameterValue, tip);
            }
        }
    }
}
