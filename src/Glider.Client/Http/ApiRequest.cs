using System;
using System.Globalization;
using System.Net.Http;
using Glider.Client.Pacing;

namespace Glider.Client.Http
{
    /// <summary>One logical API call (possibly several attempts).</summary>
    internal sealed class ApiRequest
    {
        private readonly string actionFormat;
        private readonly string? subject;
        private readonly string? secondSubject;

        /// <param name="actionFormat">
        /// A composite format naming what is being done ("Reading operation {1} of portfolio {0}"); it is formatted
        /// only when a message needs it, because a successful call, by far the common case, never does.
        /// </param>
        public ApiRequest(ApiRoute route, Uri uri, RetryRule retryRule, DateTimeOffset? deadline,
            string actionFormat, string? subject = null, string? secondSubject = null)
        {
            Route = route;
            Method = route.Method;
            Uri = uri;
            RetryRule = retryRule;
            Deadline = deadline;
            this.actionFormat = actionFormat;
            this.subject = subject;
            this.secondSubject = secondSubject;
        }

        /// <summary>The route (method + path template): what the pacing gate keeps a window for.</summary>
        public ApiRoute Route { get; }
        public HttpMethod Method { get; }
        public Uri Uri { get; }
        /// <summary>What was being done, for messages: "Rebalance of portfolio pf_x".</summary>
        public string Action => string.Format(CultureInfo.InvariantCulture, actionFormat, Quote(subject), Quote(secondSubject));
        public RetryRule RetryRule { get; }
        /// <summary>The caller's deadline: no retry sleeps past it.</summary>
        public DateTimeOffset? Deadline { get; }
        public bool IsRebalance => RetryRule == RetryRule.NoUsableAnswerOnly;

        /// <summary>Whether the path names an id; a 404 on a path that names none can only be a wrong base URI.</summary>
        public bool NamesResource => subject != null;

        public Errors.GliderCallKind Kind =>
            IsRebalance ? Errors.GliderCallKind.Rebalance
            : Method == HttpMethod.Get ? Errors.GliderCallKind.Read
            : Errors.GliderCallKind.ScheduleChange;

        // Ids reach here validated (no control characters), but one near GliderId.MaxLength would swamp the message.
        private static string? Quote(string? id) => id == null || id.Length <= GliderId.ShortEnoughToQuote ? id : GliderId.Display(id);
    }
}
