namespace Glider.Emulator
{
    /// <summary>Which successful or refused-by-the-API answers carry X-RateLimit-* headers.</summary>
    public enum RateLimitHeaderScope
    {
        /// <summary>Every /v2 answer: a route in no tier reports the global window.</summary>
        All,

        /// <summary>Only answers of routes in a tier, which the contract allows: routes without a tier limit may send none.</summary>
        TieredOnly,
    }
}
