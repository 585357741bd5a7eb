namespace Glider.Emulator.Http
{
    /// <summary>Whose window a request counts in, as the policy's bucketing says.</summary>
    internal static class RateLimitBucket
    {
        public static string Of(V2Call call, RateLimitBucketing bucketing)
        {
            if (bucketing == RateLimitBucketing.PerIp)
            {
                return "ip:" + (call.Http.Connection.RemoteIpAddress?.ToString() ?? "unknown");
            }
            return "key:" + (call.Key?.KeyId ?? (call.ApiKeyHeader is null ? "anonymous" : "unknown"));
        }
    }
}
