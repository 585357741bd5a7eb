using System;
using System.Collections.Generic;
using System.Text;
using Glider.Client.Errors;

namespace Glider.Client.Http
{
    /// <summary>
    /// Builds request URIs by concatenating the normalized base ("https://host/v2/") with escaped segments. Never
    /// new Uri(base, relative): relative resolution would read "urn:x" as a scheme and collapse dot segments.
    /// </summary>
    internal sealed class ApiPathBuilder
    {
        private readonly string normalizedBase;

        public ApiPathBuilder(string normalizedBase)
        {
            this.normalizedBase = normalizedBase;
        }

        /// <summary>Joins already-escaped segments (the constant ones are plain ASCII words) and an optional query.</summary>
        public Uri Build(IReadOnlyList<string> escapedSegments, IReadOnlyList<KeyValuePair<string, string>>? query = null)
        {
            var text = new StringBuilder(normalizedBase);
            for (int i = 0; i < escapedSegments.Count; i++)
            {
                if (i > 0)
                {
                    text.Append('/');
                }

                text.Append(escapedSegments[i]);
            }
            if (query != null && query.Count > 0)
            {
                for (int i = 0; i < query.Count; i++)
                {
                    text.Append(i == 0 ? '?' : '&')
                        .Append(PathSegmentEscaper.Escape(query[i].Key, "query"))
                        .Append('=')
                        .Append(PathSegmentEscaper.Escape(query[i].Value, query[i].Key));
                }
            }

            string expected = text.ToString();
            var uri = new Uri(expected, UriKind.Absolute);

            // System.Uri has unescaped %2F or compressed dot segments on some runtimes and configurations (.NET
            // Framework's legacy Uri quirks). Sending a different path than the one built could touch another
            // resource, so a changed URI is refused rather than sent.
            if (!string.Equals(uri.AbsoluteUri, expected, StringComparison.Ordinal))
            {
                throw new GliderException(
                    $"The request URI was altered by System.Uri on this runtime ('{expected}' became '{uri.AbsoluteUri}'); the request was not sent.");
            }
            return uri;
        }
    }
}
