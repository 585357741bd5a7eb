namespace Glider.Emulator.State
{
    /// <summary>The limiter's answer and the values of the X-RateLimit-* headers.</summary>
    internal readonly record struct RateLimitDecision(bool Allowed, int Limit, int Remaining, long ResetUnixSeconds, int RetryAfterSeconds);
}
