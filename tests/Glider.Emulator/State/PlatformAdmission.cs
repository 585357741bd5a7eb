namespace Glider.Emulator.State
{
    /// <summary>
    /// The platform limiter's verdict on one request: who refused it (null when admitted) and the window whose
    /// X-RateLimit-* values the answer carries (null: the answer carries none).
    /// </summary>
    internal readonly record struct PlatformAdmission(string? RefusedBy, RateLimitDecision? ReportedWindow)
    {
        public bool Allowed => RefusedBy is null;
    }
}
