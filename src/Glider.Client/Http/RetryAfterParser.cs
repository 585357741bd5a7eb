using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Glider.Client.Http
{
    /// <summary>
    /// Reads Retry-After (RFC 9110 §10.2.3) without ever throwing. Null means "no usable value": the caller then falls
    /// back to the platform body's retryAfter, then to its own backoff.
    /// </summary>
    internal static class RetryAfterParser
    {
        /// <summary>A server asking for more than a day is treated as asking for a day; the waits stay representable.</summary>
        public static readonly TimeSpan MaxRetryAfter = TimeSpan.FromHours(24);

        private static readonly string[] HttpDateFormats =
        {
            "r",                                  // IMF-fixdate: Sun, 06 Nov 1994 08:49:37 GMT
            "dddd, dd-MMM-yy HH:mm:ss 'GMT'",      // obsolete RFC 850
            "ddd MMM d HH:mm:ss yyyy",             // obsolete asctime
            "ddd MMM  d HH:mm:ss yyyy",
        };

        // Several HTTP-dates joined with ", " (a duplicated header folded into one value) can't be split on commas.
        private static readonly Regex ImfFixdate = new Regex(
            @"(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} [A-Za-z]{3} \d{4} \d{2}:\d{2}:\d{2} GMT",
            RegexOptions.CultureInvariant);

        /// <param name="headerValues">Every Retry-After value received (duplicated headers included), raw.</param>
        /// <param name="responseDate">The response's Date header: an HTTP-date is measured against the server's clock,
        /// so a client clock that is minutes off still waits about the right time.</param>
        /// <param name="now">The client's clock, used when the response had no Date.</param>
        /// <returns>The longest wait any value asked for (a stricter limiter wins), capped; null if none was readable.</returns>
        public static TimeSpan? Parse(IEnumerable<string>? headerValues, DateTimeOffset? responseDate, DateTimeOffset now)
        {
            if (headerValues == null)
            {
                return null;
            }

            TimeSpan? longest = null;
            foreach (string? raw in headerValues)
            {
                foreach (TimeSpan wait in ParseOneValue(raw, responseDate ?? now))
                {
                    if (longest == null || wait > longest.Value)
                    {
                        longest = wait;
                    }
                }
            }
            return longest;
        }

        /// <summary>A number of seconds from a JSON body (the platform's retryAfter); null if negative or not finite.</summary>
        public static TimeSpan? FromSeconds(double seconds)
        {
            if (double.IsNaN(seconds) || double.IsInfinity(seconds) || seconds < 0)
            {
                return null;
            }

            return seconds >= MaxRetryAfter.TotalSeconds ? MaxRetryAfter : TimeSpan.FromSeconds(Math.Ceiling(seconds));
        }

        private static IEnumerable<TimeSpan> ParseOneValue(string? raw, DateTimeOffset reference)
        {
            if (raw == null)
            {
                yield break;
            }

            string value = raw.Trim();
            if (value.Length == 0)
            {
                yield break;
            }

            TimeSpan? whole = ParseSeconds(value) ?? ParseHttpDate(value, reference);
            if (whole != null)
            {
                yield return whole.Value;
                yield break;
            }

            // "5, 7" (two headers folded into one) or "date, date".
            MatchCollection dates = ImfFixdate.Matches(value);
            if (dates.Count > 0)
            {
                foreach (Match match in dates)
                {
                    TimeSpan? wait = ParseHttpDate(match.Value, reference);
                    if (wait != null)
                    {
                        yield return wait.Value;
                    }
                }
                yield break;
            }
            foreach (string part in value.Split(','))
            {
                TimeSpan? wait = ParseSeconds(part.Trim());
                if (wait != null)
                {
                    yield return wait.Value;
                }
            }
        }

        /// <summary>
        /// delta-seconds. The RFC only allows digits; a decimal such as "2.5" is accepted (rounded up) because its
        /// meaning is plain, while signs, exponents and words are not.
        /// </summary>
        private static TimeSpan? ParseSeconds(string value)
        {
            if (value.Length == 0)
            {
                return null;
            }

            foreach (char c in value)
            {
                if (!(c >= '0' && c <= '9') && c != '.')
                {
                    return null;
                }
            }
            if (!double.TryParse(value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out double seconds))
            {
                return null;
            }

            return FromSeconds(seconds);
        }

        private static TimeSpan? ParseHttpDate(string value, DateTimeOffset reference)
        {
            if (!DateTimeOffset.TryParseExact(value, HttpDateFormats, CultureInfo.InvariantCulture,
                    DateTimeStyles.AssumeUniversal | DateTimeStyles.AllowWhiteSpaces, out DateTimeOffset at))
            {
                return null;
            }
            TimeSpan wait = at - reference;
            // A date already past says nothing useful (a stale cache, a broken clock): it is treated as unusable so the
            // caller falls back to the body's retryAfter, then its backoff, rather than reporting "retry in 0 s".
            if (wait <= TimeSpan.Zero)
            {
                return null;
            }

            return wait > MaxRetryAfter ? MaxRetryAfter : wait;
        }
    }
}
