using System.Collections.Generic;
using System.Globalization;

namespace Glider.Emulator.Model
{
    /// <summary>The fixed tenants and keys of the README's table.</summary>
    internal static class DemoKeys
    {
        public static readonly Tenant Acme = new("tenant_acme", "Acme Capital", "ops@acme-capital.example");
        public static readonly Tenant Borealis = new("tenant_boreal", "Borealis Treasury", "treasury@borealis.example");

        public static IReadOnlyDictionary<string, ApiKey> Build()
        {
            var keys = new Dictionary<string, ApiKey>(System.StringComparer.Ordinal);
            void Add(ApiKey key) => keys.Add(key.Secret, key);

            Add(new ApiKey(EmulatorDemoKeys.ReadWrite, "key_demo_rw", Acme, new[] { Scopes.PortfoliosRead, Scopes.PortfoliosWrite, Scopes.StrategiesRead }, false));
            Add(new ApiKey(EmulatorDemoKeys.ReadOnly, "key_demo_ro", Acme, new[] { Scopes.PortfoliosRead }, false));
            Add(new ApiKey(EmulatorDemoKeys.OtherTenant, "key_demo_t2", Borealis, new[] { Scopes.PortfoliosRead, Scopes.PortfoliosWrite }, false));
            Add(new ApiKey(EmulatorDemoKeys.Expired, "key_demo_expired", Acme, System.Array.Empty<string>(), true));
            Add(new ApiKey(EmulatorDemoKeys.SecrecyProbe, "key_probe", Acme, new[] { Scopes.PortfoliosRead, Scopes.PortfoliosWrite }, false));
            for (var n = 0; n < 50; n++)
            {
                var nn = n.ToString("00", CultureInfo.InvariantCulture);
                Add(new ApiKey(EmulatorDemoKeys.Extra(n), $"key_extra_{nn}", Acme, new[] { Scopes.PortfoliosRead, Scopes.PortfoliosWrite }, false));
            }
            return keys;
        }
    }
}
