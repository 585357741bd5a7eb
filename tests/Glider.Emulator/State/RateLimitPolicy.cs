using System;
using System.Collections.Generic;
using System.Text.RegularExpressions;
using Glider.Emulator.Http;

namespace Glider.Emulator.State
{
    /// <summary>
    /// Everything the platform limiter is told: the global window, the tiers, whose requests share a window and
    /// which answers report one. Immutable, so one request sees one consistent set while the control API swaps it.
    /// </summary>
    internal sealed partial record RateLimitPolicy(
        int GlobalLimit,
        double GlobalWindowSeconds,
        IReadOnlyList<TierLimit> Tiers,
        RateLimitBucketing Bucketing,
        RateLimitHeaderScope HeaderScope)
    {
        /// <summary>The global layer's name in stats and in the request log; no tier may take it.</summary>
        public const string GlobalLayer = "global";

        /// <summary>Longer windows would overflow the clock arithmetic, and no test needs one.</summary>
        public const double MaxWindowSeconds = 1e7;

        public static RateLimitPolicy From(EmulatorOptions options)
        {
            if (options.RateLimitPerWindow < 1)
            {
                throw new ArgumentOutOfRangeException(nameof(options.RateLimitPerWindow), "The global limit must be at least 1.");
            }
            if (!(options.RateLimitWindowSeconds > 0) || options.RateLimitWindowSeconds > MaxWindowSeconds)
            {
                throw new ArgumentOutOfRangeException(nameof(options.RateLimitWindowSeconds), $"The global window must be more than 0 and at most {MaxWindowSeconds} seconds.");
            }
            return new RateLimitPolicy(
                options.RateLimitPerWindow,
                options.RateLimitWindowSeconds,
                ValidatedTiers(options.RateLimitTiers ?? throw new ArgumentNullException(nameof(options.RateLimitTiers))),
                options.RateLimitBucketing,
                options.RateLimitHeaderScope);
        }

        public TierLimit? TierOf(V2Endpoint endpoint)
        {
            foreach (var tier in Tiers)
            {
                foreach (var route in tier.Routes)
                {
                    if (route == endpoint)
                    {
                        return tier;
                    }
                }
            }
            return null;
        }

        /// <summary>Throws <see cref="ArgumentException"/> with a message that names the tier at fault.</summary>
        public static IReadOnlyList<TierLimit> ValidatedTiers(IEnumerable<RateLimitTier> tiers)
        {
            var result = new List<TierLimit>();
            var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            var owners = new Dictionary<V2Endpoint, string>();
            foreach (var tier in tiers)
            {
                if (tier is null)
                {
                    throw new ArgumentException("A tier is missing (null).");
                }
                var name = tier.Name ?? string.Empty;
                if (!TierNamePattern().IsMatch(name))
                {
                    throw new ArgumentException($"Tier name '{name}' must be 1 to 64 letters, digits, '-', '_' or '.'.");
                }
                if (string.Equals(name, GlobalLayer, StringComparison.OrdinalIgnoreCase))
                {
                    throw new ArgumentException($"Tier name '{name}' is taken by the global layer.");
                }
                if (!names.Add(name))
                {
                    throw new ArgumentException($"Tier '{name}' is defined twice.");
                }
                if (tier.Limit < 1)
                {
                    throw new ArgumentException($"Tier '{name}': the limit must be at least 1, not {tier.Limit}.");
                }
                if (!(tier.WindowSeconds > 0) || tier.WindowSeconds > MaxWindowSeconds)
                {
                    throw new ArgumentException($"Tier '{name}': the window must be more than 0 and at most {MaxWindowSeconds} seconds, not {tier.WindowSeconds}.");
                }
                if (tier.Routes is null || tier.Routes.Count == 0)
                {
                    throw new ArgumentException($"Tier '{name}' lists no route.");
                }

                var routes = new List<V2Endpoint>();
                foreach (var routeName in tier.Routes)
                {
                    if (routeName is null || !RateLimitRouteNames.TryParse(routeName, out var endpoint))
                    {
                        throw new ArgumentException($"Tier '{name}': '{routeName}' is not a route; the routes are {RateLimitRouteNames.AllNames}.");
                    }
                    // One counter per route: a route in two tiers would make "the tier's headers" ambiguous.
                    if (owners.TryGetValue(endpoint, out var owner) && owner == name)
                    {
                        throw new ArgumentException($"Tier '{name}' lists route {endpoint} twice.");
                    }
                    if (owner is not null)
                    {
                        throw new ArgumentException($"Route {endpoint} is in tier '{owner}' and in tier '{name}'; a route belongs to one tier.");
                    }
                    owners[endpoint] = name;
                    routes.Add(endpoint);
                }
                result.Add(new TierLimit(name, routes, tier.Limit, tier.WindowSeconds));
            }
            return result;
        }

        [GeneratedRegex("^[A-Za-z0-9_.-]{1,64}$", RegexOptions.CultureInvariant)]
        private static partial Regex TierNamePattern();
    }
}
