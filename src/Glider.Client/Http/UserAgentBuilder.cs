using System;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Text;

namespace Glider.Client.Http
{
    /// <summary>"GliderPS/&lt;version&gt; &lt;suffix&gt; (&lt;OS description&gt;; &lt;arch&gt;)", kept to header-safe ASCII.</summary>
    internal static class UserAgentBuilder
    {
        public static string Build(string? suffix)
        {
            Version? version = typeof(UserAgentBuilder).Assembly.GetName().Version;
            string product = "GliderPS/" + (version == null ? "0.0.0" : version.ToString(3));
            string os = HeaderSafe(RuntimeInformation.OSDescription, inComment: true);
            string arch = RuntimeInformation.OSArchitecture.ToString().ToLowerInvariant();
            string extra = HeaderSafe(suffix, inComment: false);
            return extra.Length == 0
                ? $"{product} ({os}; {arch})"
                : $"{product} {extra} ({os}; {arch})";
        }

        /// <summary>Printable ASCII only (no CR/LF: a suffix must not be able to add a header); no parentheses in a comment.</summary>
        internal static string HeaderSafe(string? text, bool inComment)
        {
            if (string.IsNullOrWhiteSpace(text))
            {
                return string.Empty;
            }

            var safe = new StringBuilder(text!.Length);
            foreach (char c in text.Trim())
            {
                if (c < 0x20 || c > 0x7E)
                {
                    safe.Append(c == '\t' || c == '\r' || c == '\n' ? ' ' : '?');
                }
                else if (inComment && (c == '(' || c == ')'))
                {
                    safe.Append(' ');
                }
                else
                {
                    safe.Append(c);
                }
            }
            return safe.ToString().Trim();
        }
    }
}
