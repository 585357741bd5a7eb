namespace Glider.Client.Http
{
    /// <summary>Which failures a request may be sent again after.</summary>
    internal enum RetryRule
    {
        /// <summary>GETs and the idempotent stop/start: any transient failure (408, 429, 5xx, transport, timeout, unreadable body).</summary>
        AnyTransientFailure,

        /// <summary>
        /// POST /rebalance: only when no usable answer arrived (transport failure, per-attempt timeout, unreadable 2xx
        /// body). Never on an HTTP error status, 429 included: the cooldown is the answer.
        /// </summary>
        NoUsableAnswerOnly,
    }
}
