namespace Glider.Client.Http
{
    /// <summary>Which failures a request may be sent again after.</summary>
    internal enum RetryRule
    {
        /// <summary>GETs and the idempotent stop/start: any transient failure (408, 429, 5xx, transport, timeout, unreadable body).</summary>
        AnyTransientFailure,

        /// <summary>
        /// POST /rebalance: when no usable answer arrived (transport failure, per-attempt timeout, unreadable 2xx
        /// body; at most twice), and after the platform limiter's 429, which dispatched nothing. Never on another HTTP
        /// error status: the cooldown 429 (API_004) is the API's answer.
        /// </summary>
        NoUsableAnswerOnly,
    }
}
