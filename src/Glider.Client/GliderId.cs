using System;
using System.Globalization;
using System.Text;

namespace Glider.Client
{
    /// <summary>
    /// The one rule for ids the client puts into a path or query (portfolio, operation, strategy, owner account), and
    /// the one way to quote an id in a message. Public so the cmdlets refuse a bad id at parameter binding with the
    /// same words the client would use, without a second copy of the rule.
    /// </summary>
    internal static class GliderId
    {
        /// <summary>
        /// Longest id accepted, in characters. The longest documented ids (operation ids, which embed the portfolio id
        /// twice) are a few hundred characters; thousands are a pasted file or a bug, not an id.
        /// </summary>
        public const int MaxLength = 1024;

        private const int DisplayLength = 80;

        /// <summary>Ids up to this long are quoted whole in messages.</summary>
        internal const int ShortEnoughToQuote = DisplayLength;

        /// <summary>Why <paramref name="value"/> cannot be sent as an id, or null when it can. Never quotes the id raw.</summary>
        public static string? Problem(string? value)
        {
            if (value == null || value.Trim().Length == 0)
            {
                return "The id is null, empty or whitespace.";
            }

            if (value.Length > MaxLength)
            {
                return $"The id is {value.Length.ToString(CultureInfo.InvariantCulture)} characters long; ids are at most {MaxLength.ToString(CultureInfo.InvariantCulture)} ({Display(value)}).";
            }

            if (char.IsWhiteSpace(value[0]) || char.IsWhiteSpace(value[value.Length - 1]))
            {
                return $"The id {Display(value)} starts or ends with whitespace; ids never do (a pasted or file-read value often carries a trailing newline or space).";
            }

            foreach (char c in value)
            {
                if (char.IsControl(c))
                {
                    return $"The id {Display(value)} contains a control character (such as NUL or a line break); ids never do.";
                }
            }

            if (HasDotSegment(value))
            {
                return $"The id {Display(value)} is or contains a '.' or '..' path segment (possibly percent-encoded). A server or proxy that resolves such segments would act on another resource, so it is refused.";
            }

            return null;
        }

        /// <summary>
        /// An id as it may appear in a message: quoted, control characters (and lone surrogates) escaped as \n, \0 or
        /// \uXXXX so a line break in an id cannot forge a log line, and an overlong id cut with its length said.
        /// </summary>
        public static string Display(string? value)
        {
            if (value == null)
            {
                return "(null)";
            }

            var text = new StringBuilder(Math.Min(value.Length, DisplayLength) + 24);
            text.Append('\'');
            int shown = 0;
            for (int i = 0; i < value.Length && shown < DisplayLength; i++, shown++)
            {
                char c = value[i];
                bool loneSurrogate = char.IsSurrogate(c)
                    && !(char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
                    && !(char.IsLowSurrogate(c) && i > 0 && char.IsHighSurrogate(value[i - 1]));
                if (c == '\n')
                {
                    text.Append("\\n");
                }
                else if (c == '\r')
                {
                    text.Append("\\r");
                }
                else if (c == '\t')
                {
                    text.Append("\\t");
                }
                else if (c == '\0')
                {
                    text.Append("\\0");
                }
                else if (char.IsControl(c) || loneSurrogate)
                {
                    text.Append("\\u").Append(((int)c).ToString("X4", CultureInfo.InvariantCulture));
                }
                else
                {
                    text.Append(c);
                }
            }

            text.Append('\'');
            if (value.Length > DisplayLength)
            {
                text.Append("... (").Append(value.Length.ToString(CultureInfo.InvariantCulture)).Append(" characters)");
            }

            return text.ToString();
        }

        /// <summary>"." or ".." as the whole id or one '/'- or '\'-separated part of it, raw or percent-decoded once or twice.</summary>
        private static bool HasDotSegment(string value)
        {
            string current = value;
            for (int decodings = 0; decodings <= 2; decodings++)
            {
                foreach (string segment in current.Split('/', '\\'))
                {
                    if (segment == "." || segment == "..")
                    {
                        return true;
                    }
                }

                string decoded;
                try
                {
                    decoded = Uri.UnescapeDataString(current);
                }
                catch (UriFormatException)
                {
                    return false;
                }

                if (string.Equals(decoded, current, StringComparison.Ordinal))
                {
                    return false;
                }

                current = decoded;
            }

            return false;
        }
    }
}
