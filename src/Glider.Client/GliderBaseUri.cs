using System;
using Glider.Client.Http;

namespace Glider.Client
{
    /// <summary>
    /// Where the API is: the production root, and what users type (with or without /v2, with or without a trailing
    /// slash) turned into the one canonical root that clients are built and cached on.
    /// </summary>
    internal static class GliderBaseUri
    {
        public const string Production = "https://api.glider.fi";

        /// <summary>scheme://authority[/prefix]/v2/, or ArgumentException naming what is wrong (https only; http for loopback).</summary>
        public static Uri Normalize(Uri value) =>
            new Uri(BaseUriNormalizer.Normalize(value, "BaseUri"), UriKind.Absolute);

        /// <summary>As <see cref="Normalize"/>, from text (a parameter value or an environment variable).</summary>
        public static Uri Parse(string text)
        {
            if (text == null)
            {
                throw new ArgumentNullException(nameof(text));
            }

            if (!Uri.TryCreate(text.Trim(), UriKind.Absolute, out Uri? uri))
            {
                throw new ArgumentException($"'{text}' is not an absolute http(s) URI such as {Production}.", "BaseUri");
            }

            return Normalize(uri);
        }
    }
}
