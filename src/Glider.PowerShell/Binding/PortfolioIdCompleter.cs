using System;
using System.Collections;
using System.Collections.Generic;
using System.Management.Automation;
using System.Management.Automation.Language;
using System.Management.Automation.Runspaces;
using Glider.Client;
using Glider.Client.Models;

namespace Glider.PowerShell
{
    /// <summary>
    /// Tab completion of -PortfolioId from the portfolios the connection can see (the -Connection being typed, else the
    /// runspace's Connect-Glider connection, else GLIDER_API_KEY). Without any of them it offers nothing and calls nothing.
    /// </summary>
    internal sealed class PortfolioIdCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(
            string commandName,
            string parameterName,
            string wordToComplete,
            CommandAst commandAst,
            IDictionary fakeBoundParameters)
        {
            GliderClient? client = FindClient(fakeBoundParameters);
            if (client == null)
            {
                yield break;
            }

            string prefix = (wordToComplete ?? string.Empty).Trim('\'', '"');
            var offered = new List<Portfolio>();
            foreach (Portfolio portfolio in PortfolioIdCache.Get(client))
            {
                if (portfolio.PortfolioId.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
                {
                    offered.Add(portfolio);
                }
            }

            // The API lists newest first; a prompt reads best in id order.
            offered.Sort((left, right) => string.CompareOrdinal(left.PortfolioId, right.PortfolioId));
            foreach (Portfolio portfolio in offered)
            {
                string tip = $"{portfolio.PortfolioId}: {portfolio.StrategyName ?? portfolio.StrategyId ?? "no strategy"} ({portfolio.ScheduleStatus ?? "no schedule"})";
                yield return new CompletionResult(portfolio.PortfolioId, portfolio.PortfolioId, CompletionResultType.ParameterValue, tip);
            }
        }

        /// <summary>The client completion asks: the typed -Connection, else the session's, else GLIDER_API_KEY's; null when none.</summary>
        internal static GliderClient? FindClient(IDictionary fakeBoundParameters)
        {
            object? typed = fakeBoundParameters?["Connection"];
            if (typed is PSObject wrapped)
            {
                typed = wrapped.BaseObject;
            }

            if (typed is GliderConnection explicitConnection)
            {
                return explicitConnection.Client;
            }

            GliderConnection? current = GliderSession.Default;
            if (current != null)
            {
                return current.Client;
            }

            string? key = GliderEnvironment.ApiKey();
            if (key == null)
            {
                return null;
            }

            try
            {
                Uri baseUri = GliderBaseUri.Parse(GliderEnvironment.BaseUriText());
                return GliderClientCache.GetOrCreate(baseUri, key, PowerShellUserAgent.Suffix(Runspace.DefaultRunspace?.SessionStateProxy.PSVariable));
            }
            catch (ArgumentException)
            {
                return null;
            }
        }
    }
}
