using System;
using System.Globalization;

namespace Glider.Emulator.Http
{
    internal static class IsoTime
    {
        /// <summary>ISO-8601 in UTC with milliseconds and a 'Z', the shape the API documents.</summary>
        public static string Format(DateTimeOffset value) =>
            value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
    }
}
