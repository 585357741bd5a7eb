using System;
using System.Buffers.Text;
using System.Globalization;
using System.Text;

namespace Glider.Emulator.Http
{
    /// <summary>
    /// The opaque list cursor: the position (createdAt, id) of the last item returned. A position rather than
    /// an offset, so a page boundary stays correct if portfolios are added or removed between calls.
    /// </summary>
    internal readonly record struct ListCursor(DateTimeOffset CreatedAt, string PortfolioId)
    {
        private const string Prefix = "c1.";

        public string Encode()
        {
            var payload = CreatedAt.UtcTicks.ToString(CultureInfo.InvariantCulture) + "|" + PortfolioId;
            return Prefix + Base64Url.EncodeToString(Encoding.UTF8.GetBytes(payload));
        }

        public static bool TryDecode(string text, out ListCursor cursor)
        {
            cursor = default;
            if (!text.StartsWith(Prefix, StringComparison.Ordinal))
            {
                return false;
            }

            var encoded = text.AsSpan(Prefix.Length);
            // Base64Url decoding is lenient about stray characters; a cursor must be exactly what Encode made.
            foreach (var c in encoded)
            {
                if (!char.IsAsciiLetterOrDigit(c) && c != '-' && c != '_')
                {
                    return false;
                }
            }
            byte[] bytes;
            try
            {
                bytes = Base64Url.DecodeFromChars(encoded);
            }
            catch (FormatException)
            {
                return false;
            }
            string payload;
            try
            {
                payload = new UTF8Encoding(false, true).GetString(bytes);
            }
            catch (ArgumentException)
            {
                return false;
            }
            var bar = payload.IndexOf('|');
            if (bar <= 0 || bar == payload.Length - 1)
            {
                return false;
            }

            if (!long.TryParse(payload.AsSpan(0, bar), NumberStyles.None, CultureInfo.InvariantCulture, out var ticks))
            {
                return false;
            }

            if (ticks < DateTimeOffset.MinValue.UtcTicks || ticks > DateTimeOffset.MaxValue.UtcTicks)
            {
                return false;
            }

            cursor = new ListCursor(new DateTimeOffset(ticks, TimeSpan.Zero), payload.Substring(bar + 1));
            return true;
        }
    }
}
