using System;
using System.Collections.Generic;
using Glider.Emulator.Model;

namespace Glider.Emulator.State
{
    /// <summary>
    /// The portfolios of one seed. A reset builds a new world and swaps it in whole, so a request
    /// never sees half of an old seed and half of a new one.
    /// </summary>
    internal sealed class EmulatorWorld
    {
        private readonly Dictionary<string, Portfolio> _byId;
        private readonly Dictionary<string, Portfolio[]> _newestFirstByTenant;

        public EmulatorWorld(int acmePortfolioCount, DateTimeOffset now)
            : this(SeedData.Build(acmePortfolioCount, now))
        {
        }

        public EmulatorWorld(IReadOnlyList<PortfolioSeed> acmeSeeds, DateTimeOffset now)
            : this(SeedData.Build(acmeSeeds, now))
        {
        }

        private EmulatorWorld(List<Portfolio> portfolios)
        {
            AcmePortfolioCount = portfolios.Count - SeedData.BorealisPortfolioCount;
            _byId = new Dictionary<string, Portfolio>(portfolios.Count, StringComparer.Ordinal);
            var byTenant = new Dictionary<string, List<Portfolio>>(StringComparer.Ordinal);
            foreach (var portfolio in portfolios)
            {
                _byId.Add(portfolio.Id, portfolio);
                if (!byTenant.TryGetValue(portfolio.Tenant.Id, out var list))
                {
                    byTenant[portfolio.Tenant.Id] = list = new List<Portfolio>();
                }
                list.Add(portfolio);
            }

            _newestFirstByTenant = new Dictionary<string, Portfolio[]>(StringComparer.Ordinal);
            foreach (var (tenantId, list) in byTenant)
            {
                list.Sort(ListOrder.Compare);
                _newestFirstByTenant[tenantId] = list.ToArray();
            }
        }

        public int AcmePortfolioCount { get; }

        /// <summary>The portfolio if it exists and belongs to the tenant; another tenant's is indistinguishable from a missing one.</summary>
        public Portfolio? FindVisible(string portfolioId, Tenant tenant) =>
            _byId.TryGetValue(portfolioId, out var portfolio) && portfolio.Tenant.Id == tenant.Id ? portfolio : null;

        /// <summary>Any tenant's portfolio; for the control API.</summary>
        public Portfolio? Find(string portfolioId) =>
            _byId.TryGetValue(portfolioId, out var portfolio) ? portfolio : null;

        public IReadOnlyList<Portfolio> NewestFirst(Tenant tenant) =>
            _newestFirstByTenant.TryGetValue(tenant.Id, out var list) ? list : Array.Empty<Portfolio>();
    }
}
