using System.Collections.Generic;

namespace Glider.Emulator.Model
{
    internal sealed record ApiKey(string Secret, string KeyId, Tenant Tenant, IReadOnlyList<string> Scopes, bool Expired)
    {
        public bool HasScope(string scope)
        {
            foreach (var granted in Scopes)
            {
                if (string.Equals(granted, scope, System.StringComparison.Ordinal))
                {
                    return true;
                }
            }
            return false;
        }
    }
}
