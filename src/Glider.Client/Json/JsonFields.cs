using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text.Json;

namespace Glider.Client.Json
{
    /// <summary>
    /// Tolerant reads of optional fields: a missing field, a null, or a value of the wrong type all give null, never an
    /// exception. Names are matched exactly first, then ignoring case.
    /// </summary>
    internal static class JsonFields
    {
        public static JsonElement? Property(JsonElement obj, string name)
        {
            if (obj.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            if (obj.TryGetProperty(name, out JsonElement exact))
            {
                return exact;
            }

            foreach (JsonProperty property in obj.EnumerateObject())
            {
                if (string.Equals(property.Name, name, StringComparison.OrdinalIgnoreCase))
                {
                    return property.Value;
                }
            }
            return null;
        }

        public static JsonElement? Object(JsonElement obj, string name)
        {
            JsonElement? value = Property(obj, name);
            return value is { ValueKind: JsonValueKind.Object } ? value : null;
        }

        public static string? String(JsonElement obj, string name)
        {
            JsonElement? value = Property(obj, name);
            return value is { ValueKind: JsonValueKind.String } ? value.Value.GetString() : null;
        }

        /// <summary>The first of several names (a field the documentation renamed) that holds a string.</summary>
        public static string? String(JsonElement obj, params string[] names)
        {
            foreach (string name in names)
            {
                string? value = String(obj, name);
                if (value != null)
                {
                    return value;
                }
            }
            return null;
        }

        /// <summary>An ISO 8601 date-time; anything else (a number, an unparseable string) is null.</summary>
        public static DateTimeOffset? Date(JsonElement obj, string name)
        {
            string? text = String(obj, name);
            if (string.IsNullOrWhiteSpace(text))
            {
                return null;
            }

            return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out DateTimeOffset value)
                ? value
                : (DateTimeOffset?)null;
        }

        /// <summary>A number, or a string holding one (some gateways stringify numbers).</summary>
        public static double? Number(JsonElement obj, string name)
        {
            JsonElement? value = Property(obj, name);
            if (value == null)
            {
                return null;
            }

            double number;
            switch (value.Value.ValueKind)
            {
                case JsonValueKind.Number when value.Value.TryGetDouble(out number):
                    break;
                case JsonValueKind.String when double.TryParse(value.Value.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out number):
                    break;
                default:
                    return null;
            }
            return double.IsNaN(number) || double.IsInfinity(number) ? (double?)null : number;
        }

        public static TimeSpan? Milliseconds(JsonElement obj, string name)
        {
            double? ms = Number(obj, name);
            if (ms == null || ms.Value < 0 || ms.Value >= TimeSpan.MaxValue.TotalMilliseconds)
            {
                return null;
            }

            return TimeSpan.FromMilliseconds(ms.Value);
        }

        /// <summary>An array of strings, or of objects carrying the string under objectKey; other entries are skipped.</summary>
        public static List<string>? Strings(JsonElement obj, string name, string? objectKey = null)
        {
            JsonElement? value = Property(obj, name);
            if (value is not { ValueKind: JsonValueKind.Array })
            {
                return null;
            }

            var result = new List<string>();
            foreach (JsonElement item in value.Value.EnumerateArray())
            {
                if (item.ValueKind == JsonValueKind.String)
                {
                    string? text = item.GetString();
                    if (!string.IsNullOrEmpty(text))
                    {
                        result.Add(text!);
                    }
                }
                else if (objectKey != null && item.ValueKind == JsonValueKind.Object)
                {
                    string? text = String(item, objectKey);
                    if (!string.IsNullOrEmpty(text))
                    {
                        result.Add(text!);
                    }
                }
            }
            return result;
        }
    }
}
