using System;
using System.Globalization;

namespace Glider.Client.Pacing
{
    /// <summary>What one answer's rate-limit headers said of the window that counted it.</summary>
    internal sealed class RateLimitReading
    {
        private RateLimitReading(long? limit, long remaining, DateTimeOffset resetAt, string? bucket)
        {
            Limit = limit;
            Remaining = remaining;
            ResetAt = resetAt;
            Bucket = bucket;
        }

        public long? Limit { get; }

        public long Remaining { get; }

        /// <summary>X-RateLimit-Reset: whole unix seconds, so up to a second after the window's true end.</summary>
        public DateTimeOffset ResetAt { get; }

        /// <summary>The counter's name when the answer gives one; routes that name the same bucket share a window.</summary>
        public string? Bucket { get; }

        /// <summary>Null when the answer has no usable Remaining and Reset: such an answer says nothing of a window.</summary>
        public static RateLimitReading? From(string? limitHeader, string? remainingHeader, string? resetHeader, string? resourceHeader, string? policyHeader)
        {
            if (!long.TryParse(remainingHeader, NumberStyles.None, CultureInfo.InvariantCulture, out long remaining))
            {
                return null;
            }

            if (!long.TryParse(resetHeader, NumberStyles.None, CultureInfo.InvariantCulture, out long resetSeconds)
                || resetSeconds > DateTimeOffset.MaxValue.ToUnixTimeSeconds())
            {
                return null;
            }

            long? limit = long.TryParse(limitHeader, NumberStyles.None, CultureInfo.InvariantCulture, out long parsedLimit) ? parsedLimit : (long?)null;
            return new RateLimitReading(limit, remaining, DateTimeOffset.FromUnixTimeSeconds(resetSeconds), BucketName(resourceHeader, policyHeader));
        }

        /// <summary>
        /// X-RateLimit-Resource names the counter outright. RateLimit-Policy (the IETF draft) does when its first policy
        /// is a quoted name or a token; a bare number there is the older drafts' limit, not a name.
        /// </summary>
        private static string? BucketName(string? resourceHeader, string? policyHeader)
        {
            string? resource = resourceHeader?.Trim();
            if (!string.IsNullOrEmpty(resource))
            {
                return "resource:" + resource;
            }

            if (string.IsNullOrWhiteSpace(policyHeader))
            {
                return null;
            }

            string first = policyHeader!.Split(',')[0].Split(';')[0].Trim().Trim('"').Trim();
            if (first.Length == 0 || char.IsDigit(first[0]))
            {
                return null;
            }

            return "policy:" + first;
        }
    }
}
