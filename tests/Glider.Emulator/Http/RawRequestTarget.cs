using System;
using System.Collections.Generic;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Glider.Emulator.Http
{
    /// <summary>
    /// The request target exactly as the client sent it. Ids are taken from here, never from Kestrel's
    /// decoded Path: each segment is percent-decoded exactly once, so an id containing a literal "%3A"
    /// (sent as "%253A") survives, while one sent as "%3A" decodes to ':' and no longer matches.
    /// </summary>
    internal sealed class RawRequestTarget
    {
        private RawRequestTarget(string raw, string path, string query, string[] segments)
        {
            Raw = raw;
            Path = path;
            Query = query;
            Segments = segments;
        }

        public string Raw { get; }
        public string Path { get; }
        public string Query { get; }

        /// <summary>The decoded segments after the leading '/'; "/v2/portfolios" gives ["v2", "portfolios"].</summary>
        public string[] Segments { get; }

        public static RawRequestTarget From(HttpContext context)
        {
            var raw = context.Features.Get<IHttpRequestFeature>()?.RawTarget;
            if (string.IsNullOrEmpty(raw))
            {
                raw = context.Request.Path.ToUriComponent() + context.Request.QueryString.ToUriComponent();
            }

            return Parse(raw);
        }

        public static RawRequestTarget Parse(string raw)
        {
            var originForm = raw;
            if (!originForm.StartsWith('/'))
            {
                // Absolute-form ("http://host/v2/...") is legal HTTP/1.1; keep only the path and query.
                var schemeEnd = originForm.IndexOf("://", StringComparison.Ordinal);
                var pathStart = schemeEnd < 0 ? -1 : originForm.IndexOf('/', schemeEnd + 3);
                originForm = pathStart < 0 ? "/" : originForm.Substring(pathStart);
            }

            var queryStart = originForm.IndexOf('?');
            var path = queryStart < 0 ? originForm : originForm.Substring(0, queryStart);
            var query = queryStart < 0 ? string.Empty : originForm.Substring(queryStart + 1);

            var parts = path.Substring(1).Split('/');
            for (var i = 0; i < parts.Length; i++)
            {
                parts[i] = Uri.UnescapeDataString(parts[i]);
            }
            return new RawRequestTarget(raw, path, query, parts);
        }

        /// <summary>The first value of a query parameter, decoded once (with '+' as a space), or null when absent.</summary>
        public string? QueryValue(string name)
        {
            if (Query.Length == 0)
            {
                return null;
            }

            foreach (var pair in Query.Split('&'))
            {
                var equals = pair.IndexOf('=');
                var key = Decode(equals < 0 ? pair : pair.Substring(0, equals));
                if (!string.Equals(key, name, StringComparison.Ordinal))
                {
                    continue;
                }

                return equals < 0 ? string.Empty : Decode(pair.Substring(equals + 1));
            }
            return null;
        }

        public IEnumerable<string> QueryNames()
        {
            if (Query.Length == 0)
            {
                yield break;
            }

            foreach (var pair in Query.Split('&'))
            {
                var equals = pair.IndexOf('=');
                yield return Decode(equals < 0 ? pair : pair.Substring(0, equals));
            }
        }

        private static string Decode(string component) => Uri.UnescapeDataString(component.Replace('+', ' '));
    }
}
