using System;

namespace Glider.PowerShell
{
    /// <summary>Turns what users type (with or without /v2, with or without a trailing slash) into one cache key.</summary>
    internal static class GliderBaseUri
    {
        public const string Production = "https://api.glider.fi";

        /// <summary>Returns scheme://authority[/prefix]/v2/, or throws ArgumentException naming the problem.</summary>
        public static Uri Normalize(Uri value)
        {
            if (!value.IsAbsoluteUri || (value.Scheme != Uri.UriSchemeHttps && value.Scheme != Uri.UriSchemeHttp))
            {
                throw new ArgumentException($"'{value}' is not an absolute http(s) URI such as {Production}.");
            }

            if (!string.IsNullOrEmpty(value.Query) || !string.IsNullOrEmpty(value.Fragment) || !string.IsNullOrEmpty(value.UserInfo))
            {
                throw new ArgumentException($"'{value.GetLeftPart(UriPartial.Authority)}...' must not carry a query, a fragment or user info; give only the API root such as {Production}.");
            }

            string path = value.AbsolutePath.TrimEnd('/');
            if (path.EndsWith("/v2", StringComparison.OrdinalIgnoreCase))
            {
                path = path.Substring(0, path.Length - 3);
            }

            return new Uri(value.GetLeftPart(UriPartial.Authority) + path + "/v2/");
        }

        public static Uri Parse(string text)
        {
            if (!Uri.TryCreate(text.Trim(), UriKind.Absolute, out Uri? uri))
            {
                throw new ArgumentException($"'{text}' is not an absolute http(s) URI such as {Production}.");
            }

            return Normalize(uri);
        }
    }
}
