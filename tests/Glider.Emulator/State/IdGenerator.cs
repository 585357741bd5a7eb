using System;

namespace Glider.Emulator.State
{
    /// <summary>ULID-shaped ids (26 Crockford base-32 characters: 48 bits of milliseconds, 80 random bits).</summary>
    internal static class IdGenerator
    {
        private const string Alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

        public static string NewUlid(DateTimeOffset now)
        {
            Span<char> chars = stackalloc char[26];
            var millis = (ulong)now.ToUnixTimeMilliseconds();
            for (var i = 9; i >= 0; i--)
            {
                chars[i] = Alphabet[(int)(millis & 31)];
                millis >>= 5;
            }
            Span<byte> random = stackalloc byte[16];
            Random.Shared.NextBytes(random);
            for (var i = 0; i < 16; i++)
            {
                chars[10 + i] = Alphabet[random[i] & 31];
            }
            return new string(chars);
        }
    }
}
