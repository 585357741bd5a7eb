using System;
using System.Net.Http;

namespace Glider.Client.Http
{
    /// <summary>One logical API call (possibly several attempts).</summary>
    internal sealed class ApiRequest
    {
        public ApiRequest(HttpMethod method, Uri uri, string action, RetryRule retryRule, DateTimeOffset? deadline)
        {
            Method = method;
            Uri = uri;
            Action = action;
            RetryRule = retryRule;
            Deadline = deadline;
        }

        public HttpMethod Method { get; }
        public Uri Uri { get; }
        /// <summary>What was being done, for messages: "Rebalance of portfolio pf_x".</summary>
        public string Action { get; }
        public RetryRule RetryRule { get; }
        /// <summary>The caller's deadline: no retry sleeps past it.</summary>
        public DateTimeOffset? Deadline { get; }
        public bool IsRebalance => RetryRule == RetryRule.NoUsableAnswerOnly;
    }
}
