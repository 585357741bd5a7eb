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
    [Cmdlet(VerbsCommon.Get, "GliderPortfolio", DefaultParameterSetName = ListSet, SupportsPaging = true, HelpUri = HelpLinks.HelpFolder + "Get-GliderPortfolio.md")]
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

        /// <summary>The most a page may hold (the API's limit on `limit`).</summary>
        private const int LargestPage = 200;

        private protected override void OnBeginProcessing()
        {
            if (ParameterSetName == ByIdSet && (PagingParameters.Skip > 0 || PagingParameters.First != ulong.MaxValue || PagingParameters.IncludeTotalCount))
            {
                ThrowTerminatingError(new ErrorRecord(
                    new ArgumentException("-First, -Skip and -IncludeTotalCount page through the listing; with -PortfolioId, pass the ids you want instead."),
                    "GliderPagingWithPortfolioId",
                    ErrorCategory.InvalidArgument,
                    null));
            }
        }

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
            if (PagingParameters.IncludeTotalCount)
            {
                // The API does not say how many there are.
                WriteObject(PagingParameters.NewTotalCount(0, 0.0));
            }

            ulong toSkip = PagingParameters.Skip;
            ulong toWrite = PagingParameters.First;
            // How many more the listing must still read: pages ask for no more than that, and none is read ahead
            // once the current page holds them all.
            ulong stillWanted = toWrite == ulong.MaxValue || toSkip > ulong.MaxValue - toWrite ? ulong.MaxValue : toSkip + toWrite;
            if (stillWanted == 0)
            {
                return;
            }

            var seenCursors = new HashSet<string>(StringComparer.Ordinal);
            if (!Engine.TryAwait(Engine.Start(token => Client.ListPortfoliosAsync(Query(stillWanted), null, token)), null, out PortfolioPage current))
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
                ulong pageCount = (ulong)current.Portfolios.Count;
                stillWanted = stillWanted == ulong.MaxValue ? stillWanted : stillWanted > pageCount ? stillWanted - pageCount : 0;

                // One page ahead, no more: it travels while this one streams downstream.
                ulong nextWanted = stillWanted;
                Task<PortfolioPage>? next = cursor == null || loops || nextWanted == 0
                    ? null
                    : Engine.Start(token => Client.ListPortfoliosAsync(Query(nextWanted), cursor, token));
                WriteVerbose($"Page {page}: {current.Portfolios.Count} portfolio(s){(cursor == null ? ", last page" : string.Empty)}.");
                foreach (Portfolio portfolio in current.Portfolios)
                {
                    if (toSkip > 0)
                    {
                        toSkip--;
                        continue;
                    }

                    if (toWrite == 0)
                    {
                        return;
                    }

                    WriteObject(portfolio);
                    if (toWrite != ulong.MaxValue)
                    {
                        toWrite--;
                    }
                }

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

        private PortfolioQuery Query(ulong stillWanted) => new PortfolioQuery
        {
            Status = Status,
            StrategyId = StrategyId,
            OwnerAccountId = OwnerAccountId,
            Limit = stillWanted >= LargestPage ? LargestPage : (int)stillWanted,
        };
    }
}
