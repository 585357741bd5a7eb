using Glider.Client.Errors;

namespace Glider.Client.Http
{
    /// <summary>Which failed attempts may be sent again, per request kind.</summary>
    internal static class RetryClassifier
    {
        public static bool MayRetry(GliderException error, RetryRule rule)
        {
            if (!error.IsTransient)
            {
                return false; // 400/401/403/404, refused redirects, ...
            }

            return rule switch
            {
                RetryRule.AnyTransientFailure => true,
                // The rebalance POST: an HTTP error status is the API's answer and is never re-sent. Without a usable
                // answer we cannot know whether the run started, and re-sending is safe because the API dedupes
                // in-flight runs (a second POST returns the same operationId). The residual risk — the run finished
                // and its cooldown ran out between two attempts — needs minutes to elapse within a few seconds of
                // retries, so it is bounded away by the small attempt count. The platform limiter's 429 is re-sent:
                // the limiter refuses before the API dispatches anything, so that 429 is our own pace, not the API's
                // answer. The cooldown 429 (API_004) is the API's answer.
                RetryRule.NoUsableAnswerOnly => IsNoUsableAnswer(error) || IsPlatformLimit(error),
                _ => false,
            };
        }

        /// <summary>The attempt may or may not have reached the API: re-sending it is bounded more tightly.</summary>
        public static bool IsNoUsableAnswer(GliderException error) =>
            error is GliderTransportException or GliderTimeoutException or GliderResponseFormatException;

        public static bool IsPlatformLimit(GliderException error) =>
            error is GliderRateLimitException { LimitSource: RateLimitSource.Platform };
    }
}
