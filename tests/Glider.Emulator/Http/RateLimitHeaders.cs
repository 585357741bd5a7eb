namespace Glider.Emulator.Http
{
    internal static class RateLimitHeaders
    {
        public const string Limit = "X-RateLimit-Limit";
        public const string Remaining = "X-RateLimit-Remaining";
        public const string Reset = "X-RateLimit-Reset";
    }
}
