using System;
using System.Collections.Generic;
using Glider.Client;

namespace Glider.PowerShell
{
    /// <summary>
    /// What Connect-Glider made: who the key belongs to and where it points. Holds no key; the client that owns the
    /// key is internal, so neither PowerShell's adapter, Format-List * -Force nor ConvertTo-Json can reach it.
    /// </summary>
    public sealed class GliderConnection
    {
        private static readonly IReadOnlyList<string> NoScopes = Array.Empty<string>();

        internal GliderConnection(GliderClient client, string? tenantName, string? tenantEmail, string? apiKeyId, IReadOnlyList<string>? scopes, bool isValidated)
        {
            Client = client;
            BaseUri = client.BaseUri;
            Proxy = client.Proxy.ProxyFor(client.BaseUri);
            TenantName = tenantName;
            TenantEmail = tenantEmail;
            ApiKeyId = apiKeyId;
            Scopes = scopes ?? NoScopes;
            IsValidated = isValidated;
            ConnectedAt = DateTimeOffset.UtcNow;
        }

        public string? TenantName { get; }
        public string? TenantEmail { get; }
        public string? ApiKeyId { get; }
        /// <summary>Empty when the connection was not validated (-SkipValidation, or the GLIDER_API_KEY fallback).</summary>
        public IReadOnlyList<string> Scopes { get; }
        public Uri BaseUri { get; }
        /// <summary>The proxy that requests to BaseUri go through (never its credentials); null when they go directly.</summary>
        public Uri? Proxy { get; }
        public DateTimeOffset ConnectedAt { get; }
        /// <summary>False when nobody asked GET /v2/whoami: the tenant, key id and scopes are then unknown.</summary>
        public bool IsValidated { get; }

        internal GliderClient Client { get; }

        public bool HasScope(string scope)
        {
            foreach (string s in Scopes)
            {
                if (string.Equals(s, scope, StringComparison.OrdinalIgnoreCase))
                {
                    return true;
                }
            }

            return false;
        }

        public override string ToString() =>
            IsValidated
                ? $"{TenantName ?? "unknown tenant"} ({ApiKeyId ?? "unknown key id"}) at {BaseUri}"
                : $"not validated at {BaseUri}";
    }
}
