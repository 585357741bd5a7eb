using System;
using System.Collections.Generic;
using System.Management.Automation;
using Glider.Client.Models;

namespace Glider.PowerShell.Commands
{
    /// <summary>One, several (also from the pipeline) or all portfolios; "all" follows nextCursor to the last page.</summary>
    [Cmdlet(VerbsCommon.Get, "GliderPortfolio", DefaultParameterSetName = ListSet)]
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

        protected override void ProcessRecord()
        {
            if (ParameterSetName == ByIdSet)
            {
                foreach (string id in PortfolioId)
                {
                    if (TryRun(token => Client.GetPortfolioAsync(id, token), id, out Portfolio portfolio))
                    {
                        WriteObject(portfolio);
                    }
                }
            }
        }

        protected override void EndProcessing()
        {
            if (ParameterSetName == ListSet)
            {
                ListAll();
            }
        }

        private void ListAll()
        {
            var query = new PortfolioQuery { Status = Status, StrategyId = StrategyId, OwnerAccountId = OwnerAccountId };
            var seenCursors = new HashSet<string>(StringComparer.Ordinal);
            string? cursor = null;
            int page = 0;
            do
            {
                string? current = cursor;
                if (!TryRun(token => Client.ListPortfoliosAsync(query, current, token), current, out PortfolioPage result))
                {
                    return;
                }

                page++;
                WriteVerbose($"Page {page}: {result.Portfolios.Count} portfolio(s){(result.NextCursor == null ? ", last page" : string.Empty)}.");
                WriteObject(result.Portfolios, enumerateCollection: true);
                cursor = result.NextCursor;

                // A server that hands back a cursor it already gave would otherwise page forever.
                if (cursor != null && !seenCursors.Add(cursor))
                {
                    WriteError(new ErrorRecord(
                        new InvalidOperationException($"The API returned the cursor of an earlier page again after page {page}; stopped listing to avoid a loop."),
                        "GliderCursorLoop",
                        ErrorCategory.InvalidResult,
                        cursor));
                    return;
                }
            }
            while (cursor != null);
        }
    }
}
