using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;
using Glider.Client;
using Glider.Client.Models;

namespace Glider.PowerShell
{
    /// <summary>
    /// The portfolio ids that tab completion offers, per client, refreshed in the background at most once a minute.
    /// A slow or failing API must never hold the prompt: a completion waits a short moment for a refresh, then answers
    /// with what it has (possibly nothing) and lets the refresh finish for the next Tab.
    /// </summary>
    internal static class PortfolioIdCache
    {
        public static readonly TimeSpan FreshFor = TimeSpan.FromSeconds(60);
        public static readonly TimeSpan LongestPromptWait = TimeSpan.FromMilliseconds(1500);
        private static readonly TimeSpan RefreshTimeout = TimeSpan.FromSeconds(20);
        // After a refresh that found nothing (no scope, offline, the API failing), Tabs answer at once for this long
        // instead of each starting another refresh and holding the prompt for LongestPromptWait.
        public static readonly TimeSpan RetryFailedAfter = TimeSpan.FromSeconds(30);
        // Enough for any prompt; a tenant with more portfolios than this completes from the newest ones.
        private const int MaxIds = 2000;

        private sealed class Entry
        {
            public IReadOnlyList<Portfolio> Portfolios = Array.Empty<Portfolio>();
            public DateTimeOffset FetchedAt = DateTimeOffset.MinValue;
            public DateTimeOffset FailedAt = DateTimeOffset.MinValue;
            public Task? Refresh;
        }

        // Weak on the client: a client that goes away takes its ids with it.
        private static readonly ConditionalWeakTable<GliderClient, Entry> Entries = new ConditionalWeakTable<GliderClient, Entry>();

        public static IReadOnlyList<Portfolio> Get(GliderClient client)
        {
            Entry entry = Entries.GetValue(client, _ => new Entry());
            Task? refresh;
            lock (entry)
            {
                DateTimeOffset now = DateTimeOffset.UtcNow;
                if (now - entry.FetchedAt < FreshFor || now - entry.FailedAt < RetryFailedAfter)
                {
                    return entry.Portfolios;
                }

                if (entry.Refresh == null || entry.Refresh.IsCompleted)
                {
                    entry.Refresh = Task.Run(() => RefreshAsync(client, entry));
                }

                refresh = entry.Refresh;
            }

            // Wait(TimeSpan) never throws for a faulted refresh here: RefreshAsync swallows its own failures.
            refresh.Wait(LongestPromptWait);
            lock (entry)
            {
                return entry.Portfolios;
            }
        }

        private static async Task RefreshAsync(GliderClient client, Entry entry)
        {
            var found = new List<Portfolio>();
            using var timeout = new CancellationTokenSource(RefreshTimeout);
            try
            {
                string? cursor = null;
                do
                {
                    PortfolioPage page = await client.ListPortfoliosAsync(new PortfolioQuery { Limit = 200 }, cursor, timeout.Token).ConfigureAwait(false);
                    found.AddRange(page.Portfolios);
                    cursor = page.NextCursor;
                }
                while (cursor != null && found.Count < MaxIds);
            }
            catch (Exception)
            {
                // Completion is a convenience: a failure (no scope, offline, timeout) offers what was found so far and
                // is tried again on a later Tab; it is never shown at the prompt.
                if (found.Count == 0)
                {
                    lock (entry)
                    {
                        entry.FailedAt = DateTimeOffset.UtcNow;
                    }

                    return;
                }
            }

            lock (entry)
            {
                entry.Portfolios = found;
                entry.FetchedAt = DateTimeOffset.UtcNow;
            }
        }
    }
}
