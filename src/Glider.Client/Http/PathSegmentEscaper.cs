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
        /// Refuses what <see cref="GliderId.Problem"/> refuses (blank, surrounding whitespace, control characters, over
        /// GliderId.MaxLength, a "." or ".." segment raw or percent-decoded: a server or proxy that resolves dot
        /// segments would otherwise send the request to another resource than the one named).
        /// </summary>
        public static void ValidateId(string? value, string parameterName)
        {
            if (value == null)
            {
                throw new ArgumentNullException(parameterName);
            }

            string? problem = GliderId.Problem(value);
            if (problem != null)
            {
                throw new ArgumentException($"{parameterName}: {problem}", parameterName);
            }
        }

        private static bool IsUnreserved(byte b) =>
            (b >= (byte)'A' && b <= (byte)'Z')
            || (b >= (byte)'a' && b <= (byte)'z')
            || (b >= (byte)'0' && b <= (byte)'9')
            || b == (byte)'-' || b == (byte)'.' || b == (byte)'_' || b == (byte)'~';
    }
}
