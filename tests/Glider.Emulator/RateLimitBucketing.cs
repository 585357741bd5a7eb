namespace Glider.Emulator
{
    /// <summary>Whose requests share a window, in the global layer and in every tier alike.</summary>
    public enum RateLimitBucketing
    {
        /// <summary>One window per known key; all unknown keys share one, and all key-less requests another.</summary>
        PerKey,

        /// <summary>
        /// One window per client address, as the real platform counts. The emulator only listens on loopback, so
        /// every client of one emulator shares it, as processes on one machine share the real API's counters.
        /// </summary>
        PerIp,
    }
}
