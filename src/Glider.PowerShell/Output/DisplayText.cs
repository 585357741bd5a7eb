using System;
using System.Globalization;

namespace Glider.PowerShell
{
    /// <summary>
    /// The short texts the default table views show (GliderPS.Format.ps1xml). The objects keep full DateTimeOffsets and
    /// ids; only the tables shorten them, in the reader's local time.
    /// </summary>
    public static class DisplayText
    {
        /// <summary>"2026-11-25 14:05" in local time, or empty.</summary>
        public static string LocalTime(DateTimeOffset? value) =>
            value.HasValue ? value.Value.ToLocalTime().ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) : string.Empty;

        /// <summary>"in 2h 05m", "12m ago", or empty.</summary>
        public static string Relative(DateTimeOffset? value)
        {
            if (!value.HasValue)
            {
                return string.Empty;
            }

            TimeSpan offset = value.Value - DateTimeOffset.UtcNow;
            string span = Span(offset.Duration());
            return offset >= TimeSpan.Zero ? "in " + span : span + " ago";
        }

        /// <summary>How long an operation took (finished) or has been going (not finished).</summary>
        public static string Elapsed(DateTimeOffset? createdAt, DateTimeOffset? finishedAt)
        {
            if (!createdAt.HasValue)
            {
                return string.Empty;
            }

            DateTimeOffset end = finishedAt ?? DateTimeOffset.UtcNow;
            string span = Span((end - createdAt.Value).Duration());
            return finishedAt.HasValue ? "took " + span : span + " so far";
        }

        /// <summary>
        /// The distinctive end of an opaque operation id (they share long prefixes); the full id is on the object.
        /// </summary>
        public static string ShortId(string? id)
        {
            const int Keep = 14;
            if (string.IsNullOrEmpty(id) || id!.Length <= Keep + 1)
            {
                return id ?? string.Empty;
            }

            // ASCII dots: Windows PowerShell consoles with a legacy code page cannot show an ellipsis.
            return "..." + id.Substring(id.Length - Keep);
        }

        private static string Span(TimeSpan span)
        {
            if (span.TotalSeconds < 60)
            {
                return ((int)span.TotalSeconds).ToString(CultureInfo.InvariantCulture) + "s";
            }

            if (span.TotalMinutes < 60)
            {
                return string.Format(CultureInfo.InvariantCulture, "{0}m {1:00}s", (int)span.TotalMinutes, span.Seconds);
            }

            if (span.TotalHours < 48)
            {
                return string.Format(CultureInfo.InvariantCulture, "{0}h {1:00}m", (int)span.TotalHours, span.Minutes);
            }

            return ((int)span.TotalDays).ToString(CultureInfo.InvariantCulture) + "d";
        }
    }
}
