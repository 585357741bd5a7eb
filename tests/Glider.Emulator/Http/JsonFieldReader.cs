using System;
using System.Text.Json;

namespace Glider.Emulator.Http
{
    /// <summary>Reads the optional fields of control bodies: absent or null keeps the current value, anything wrong is a FormatException (400).</summary>
    internal static class JsonFieldReader
    {
        public static T ReadNumber<T>(JsonElement root, string name, T current, double min, double max, Func<double, T> convert)
        {
            if (!root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
            {
                return current;
            }

            if (value.ValueKind != JsonValueKind.Number)
            {
                throw new FormatException($"'{name}' must be a number.");
            }

            var number = value.GetDouble();
            if (double.IsNaN(number) || number < min || number > max)
            {
                throw new FormatException($"'{name}' must be between {min} and {max}.");
            }

            return convert(number);
        }

        public static int ReadInteger(JsonElement root, string name, int current, int min)
        {
            if (!root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
            {
                return current;
            }

            if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt32(out var number) || number < min)
            {
                throw new FormatException($"'{name}' must be an integer from {min} to {int.MaxValue}.");
            }
            return number;
        }

        public static string? ReadString(JsonElement root, string name)
        {
            if (!root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
            {
                return null;
            }

            return value.ValueKind == JsonValueKind.String ? value.GetString() : throw new FormatException($"'{name}' must be a string.");
        }
    }
}
