using System;
using System.Text;

namespace Glider.Client.Http
{
    /// <summary>
    /// Escapes an id as pure data for one path segment (or a query value): every character outside the RFC 3986
    /// unreserved set (ALPHA DIGIT - . _ ~) is percent-encoded from its UTF-8 bytes. That includes ':' (as %3A): RFC 3986
    /// would allow it in a segment, but escaping it keeps an id like "urn:x" from ever reading as a scheme and matches
    /// what the API's own example does. A literal '%' goes out as %25, so "a%3Ab" is sent as a%253Ab and the server,
    /// which decodes each segment once, sees "a%3Ab" byte for byte.
    /// </summary>
    internal static class PathSegmentEscaper
    {
        private const string HexDigits = "0123456789ABCDEF";
        private static readonly UTF8Encoding StrictUtf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

        /// <summary>Validates an id (see <see cref="ValidateId"/>) and escapes it.</summary>
        public static string EscapeId(string? value, string parameterName)
        {
            ValidateId(value, parameterName);
            return Escape(value!, parameterName);
        }

        public static string Escape(string value, string parameterName)
        {
            byte[] bytes;
            try
            {
                bytes = StrictUtf8.GetBytes(value);
            }
            catch (EncoderFallbackException)
            {
                throw new ArgumentException("The value contains an unpaired UTF-16 surrogate and cannot be sent.", parameterName);
            }

            var escaped = new StringBuilder(bytes.Length * 3);
            foreach (byte b in bytes)
            {
                if (IsUnreserved(b))
                {
                    escaped.Append((char)b);
                }
                else
                {
                    escaped.Append('%').Append(HexDigits[b >> 4]).Append(HexDigits[b & 0xF]);
                }
            }
            return escaped.ToString();
        }

        /// <summary>
        /// Refuses ids that are empty, blank, or that contain a "." or ".." segment in their raw form or once or twice
        /// percent-decoded: a server or proxy that resolves dot segments would otherwise send the request to another
        /// resource than the one named (e.g. the operation id "../../portfolios/pf_other").
        /// </summary>
        public static void ValidateId(string? value, string parameterName)
        {
            if (value == null) throw new ArgumentNullException(parameterName);
            if (value.Trim().Length == 0)
                throw new ArgumentException($"{parameterName} is empty.", parameterName);

            string current = value;
            for (int decodings = 0; decodings <= 2; decodings++)
            {
                if (HasDotSegment(current))
                    throw new ArgumentException($"{parameterName} '{value}' is or contains a '.' or '..' path segment (possibly percent-encoded) and is refused.", parameterName);
                string decoded = Uri.UnescapeDataString(current);
                if (string.Equals(decoded, current, StringComparison.Ordinal)) break;
                current = decoded;
            }
        }

        private static bool HasDotSegment(string value)
        {
            foreach (string segment in value.Split('/', '\\'))
            {
                if (segment == "." || segment == "..") return true;
            }
            return false;
        }

        private static bool IsUnreserved(byte b) =>
            (b >= (byte)'A' && b <= (byte)'Z')
            || (b >= (byte)'a' && b <= (byte)'z')
            || (b >= (byte)'0' && b <= (byte)'9')
            || b == (byte)'-' || b == (byte)'.' || b == (byte)'_' || b == (byte)'~';
    }
}
