using System.Collections.Generic;

namespace Glider.Client.Models
{
    /// <summary>GET /v2/whoami: who the key belongs to and what it may do.</summary>
    public sealed class WhoAmI
    {
        public WhoAmI(string? tenantName, string? tenantEmail, string? apiKeyId, IReadOnlyList<string> scopes, ResponseTrace trace)
        {
            TenantName = tenantName;
            TenantEmail = tenantEmail;
            ApiKeyId = apiKeyId;
            Scopes = scopes;
            CorrelationId = trace.CorrelationId;
            RequestId = trace.RequestId;
        }

        public string? TenantName { get; }
        public string? TenantEmail { get; }
        public string? ApiKeyId { get; }
        public IReadOnlyList<string> Scopes { get; }
        public string? CorrelationId { get; }
        public string? RequestId { get; }
    }
}
