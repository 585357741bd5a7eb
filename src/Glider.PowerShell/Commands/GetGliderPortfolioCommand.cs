using System;
using System.Collections.Generic;
using System.Management.Automation;
using System.Threading.Tasks;
using Glider.Client.Models;

namespace Glider.PowerShell.Commands
{
    /// <summary>
    /// One, several (also from the pipeline; up to -ThrottleLimit fetched at once, each written as it arrives) or all
    /// portfolios; "all" follows nextCursor to the last page, requesting the next page while the current one streams
    /// downstream.
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "GliderPortfolio", DefaultParameterSetName = ListSet, HelpUri = HelpLinks.HelpFolder + "Get-GliderPortfolio.md")]
    [OutputType(typeof(Portfolio))]
    public sealed class GetGliderPortfolioCommand : GliderCmdletBase
    {
        private const string ListSet = "List";
        private const string ByIdSet = "ById";

        [Parameter(ParameterSetName = ByIdSet, Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [GliderIdTransformation("PortfolioId")]
        [ValidateGliderId]
        [ArgumentCompleter(typeof(PortfolioIdCompleter))]
        public string[] PortfolioId { get; set; } = Array.Empty<string>();

        [Parameter(ParameterSetName = ListSet)]
        [ValidateSet("active", "paused")]
        public string? Status { get; set; }

        [Parameter(ParameterSetName = ListSet)]
        [GliderIdTransformation("StrategyId")]
        [ValidateGliderId]
        [ArgumentCompleter(typeof(StrategyIdCompleter))]
        public string? StrategyId { get; set; }

        /// <summary>CAIP-10, e.g. eip155:0:0x...</summary>
        [Parameter(ParameterSetName = ListSet)]
        [GliderIdTransformation("OwnerAccountId")]
        [ValidateGliderId]
        public string? OwnerAccountId { get; set; }

        /// <summary>Portfolios fetched at once (with -PortfolioId).</summary>
        [Parameter(ParameterSetName = ByIdSet)]
        [ValidateRange(1, RequestThrottle.Max)]
        public int ThrottleLimit { get; set; } = RequestThrottle.Default;

        protected override void ProcessRecord()
        {
            if (ParameterSetName == ByIdSet)
            {
                Engine.Stage(
                    () =>
                    {
                        foreach (string id in PortfolioId)
                        {
                            Engine.Fan(token => Client.GetPortfolioAsync(id, token), id, InFlightLimit(Glider.Client.Pacing.ApiRoute.GetPortfolio, ThrottleLimit), startsRun: false, WriteObject);
                        }

                        Engine.WriteArrived();
                    },
                    null);
            }
        }

        protected override void EndProcessing()
        {
            Engine.Stage(ParameterSetName == ListSet ? ListAll : () => Engine.Drain(null), null);
        }

        private void ListAll()
        {
            var query = new PortfolioQuery { Status = Status, StrategyId = StrategyId, OwnerAccountId = OwnerAccountId };
            var seenCursors = new HashSet<string>(StringComparer.Ordinal);
            if (!Engine.TryAwait(Engine.Start(token => Client.ListPortfoliosAsync(query, null, token)), null, out PortfolioPage current))
            {
                return;
            }

            // A page read ahead and no longer wanted (an error, Ctrl+C, downstream took what it needed) is the engine's
            // like any other call: cancelled when the command goes.
            for (int page = 1; ; page++)
            {
                string? cursor = current.NextCursor;
                // A server that hands back a cursor it already gave would otherwise page forever.
                bool loops = cursor != null && !seenCursors.Add(cursor);

                // One page ahead, no more: it travels while this one streams downstream.
                Task<PortfolioPage>? next = cursor == null || loops ? null : Engine.Start(token => Client.ListPortfoliosAsync(query, cursor, token));
                WriteVerbose($"Page {page}: {current.Portfolios.Count} portfolio(s){(cursor == null ? ", last page" : string.Empty)}.");
                WriteObject(current.Portfolios, enumerateCollection: true);
                if (loops)
                {
                    Engine.WriteError(new ErrorRecord(
                        new InvalidOperationException($"The API returned the cursor of an earlier page again after page {page}; stopped listing to avoid a loop."),
                        "GliderCursorLoop",
                        ErrorCategory.InvalidResult,
                        cursor));
                    return;
                }

                if (next == null || !Engine.TryAwait(next, cursor, out current))
                {
                    return;
                }
            }
        }
    }
}
