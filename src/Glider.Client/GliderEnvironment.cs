using System;

namespace Glider.Client
{
    /// <summary>
    /// The environment fallback, for runbooks and child processes that do not connect explicitly: GLIDER_API_KEY holds
    /// the key, GLIDER_BASE_URI the API root (production when unset).
    /// </summary>
    internal static class GliderEnvironment
    {
        public const string ApiKeyVariable = "GLIDER_API_KEY";
        public const string BaseUriVariable = "GLIDER_BASE_URI";

        /// <summary>
        /// The key from GLIDER_API_KEY without surrounding whitespace (a key read from a file keeps its newline), or
        /// null when the variable is unset or blank.
        /// </summary>
        public static string? ApiKey()
        {
            string? value = Environment.GetEnvironmentVariable(ApiKeyVariable);
            return string.IsNullOrWhiteSpace(value) ? null : value!.Trim();
        }

        /// <summary>GLIDER_BASE_URI as written, or the production root when it is unset or blank (text, for messages).</summary>
        public static string BaseUriText()
        {
            string? value = Environment.GetEnvironmentVariable(BaseUriVariable);
            return string.IsNullOrWhiteSpace(value) ? GliderBaseUri.Production : value!;
        }
    }
}
