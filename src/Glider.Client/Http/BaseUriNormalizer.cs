using System;
using System.Net;

namespace Glider.Client.Http
{
    /// <summary>
    /// Turns what the user typed as the API root into one canonical absolute string ending in "/v2/", so that request
    /// URIs can be built by plain concatenation.
    /// </summary>
    internal static class BaseUriNormalizer
    {
        private const string VersionSegment = "/v2";

        public static string Normalize(Uri? baseUri, string parameterName)
        {
            if (baseUri == null)
            {
                throw new ArgumentNullException(parameterName);
            }

            if (!baseUri.IsAbsoluteUri)
            {
                throw new ArgumentException($"The API base URI must be absolute (https://host/v2), not '{baseUri.OriginalString}'.", parameterName);
            }

            bool isHttps = string.Equals(baseUri.Scheme, "https", StringComparison.OrdinalIgnoreCase);
            bool isHttp = string.Equals(baseUri.Scheme, "http", StringComparison.OrdinalIgnoreCase);
            if (!isHttps && !isHttp)
            {
                throw new ArgumentException($"The API base URI must use https (scheme '{baseUri.Scheme}' given).", parameterName);
            }

            // Plain http would send the key in clear text; it is only acceptable on this machine (the emulator).
            if (isHttp && !IsLoopback(baseUri))
            {
                throw new ArgumentException($"The API base URI '{baseUri.GetLeftPart(UriPartial.Authority)}' uses http:// on a non-loopback host; use https:// (http is only accepted for 127.0.0.0/8, ::1 and localhost).", parameterName);
            }

            if (!string.IsNullOrEmpty(baseUri.UserInfo))
            {
                throw new ArgumentException("The API base URI must not carry a user name or password.", parameterName);
            }

            if (!string.IsNullOrEmpty(baseUri.Query) || !string.IsNullOrEmpty(baseUri.Fragment))
            {
                throw new ArgumentException("The API base URI must not have a query string or a fragment.", parameterName);
            }

            string path = baseUri.AbsolutePath.TrimEnd('/');
            if (!path.EndsWith(VersionSegment, StringComparison.OrdinalIgnoreCase))
            {
                path += VersionSegment;
            }

            // Scheme and authority come from Uri's canonical form (lower-case host, default port dropped) so that the
            // final request URI round-trips through System.Uri unchanged.
            return baseUri.Scheme.ToLowerInvariant() + "://" + baseUri.Authority + path + "/";
        }

        public static bool IsLoopback(Uri uri)
        {
            string host = uri.Host;
            if (string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }

            string bare = host.Length > 1 && host[0] == '[' && host[host.Length - 1] == ']' ? host.Substring(1, host.Length - 2) : host;
            return IPAddress.TryParse(bare, out IPAddress? address) && IPAddress.IsLoopback(address);
        }
    }
}
