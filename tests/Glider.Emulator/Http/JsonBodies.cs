using System;
using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Glider.Emulator.Http
{
    /// <summary>Writes the API's envelopes straight to UTF-8 with Utf8JsonWriter: no reflection, few allocations.</summary>
    internal static class JsonBodies
    {
        // Relaxed escaping keeps ids such as "...%3Amanual..." byte-identical to what clients must send back.
        private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

        public static byte[] Write(Action<Utf8JsonWriter> write)
        {
            var buffer = new ArrayBufferWriter<byte>(512);
            using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
            {
                write(writer);
            }
            return buffer.WrittenSpan.ToArray();
        }

        public static byte[] Success(Action<Utf8JsonWriter> writeDataProperties) => Write(w =>
        {
            w.WriteStartObject();
            w.WriteBoolean("success", true);
            w.WriteStartObject("data");
            writeDataProperties(w);
            w.WriteEndObject();
            w.WriteEndObject();
        });

        public static byte[] Page(Action<Utf8JsonWriter> writeDataProperties, string? nextCursor) => Write(w =>
        {
            w.WriteStartObject();
            w.WriteBoolean("success", true);
            w.WriteStartObject("data");
            writeDataProperties(w);
            w.WriteEndObject();
            if (nextCursor is null)
            {
                w.WriteNull("nextCursor");
            }
            else
            {
                w.WriteString("nextCursor", nextCursor);
            }

            w.WriteEndObject();
        });

        public static byte[] Error(string code, string message, Action<Utf8JsonWriter>? writeDetails = null) => Write(w =>
        {
            w.WriteStartObject();
            w.WriteBoolean("success", false);
            w.WriteStartObject("error");
            w.WriteString("code", code);
            w.WriteString("message", message);
            if (writeDetails is not null)
            {
                w.WriteStartObject("details");
                writeDetails(w);
                w.WriteEndObject();
            }
            w.WriteEndObject();
            w.WriteEndObject();
        });

        /// <summary>The platform layer's 429 body, which is not the API envelope.</summary>
        public static byte[] PlatformTooManyRequests(int retryAfterSeconds, string correlationId, string requestId) => Write(w =>
        {
            w.WriteStartObject();
            w.WriteString("error", "Too Many Requests");
            w.WriteString("message", "Rate limit exceeded. Retry after the number of seconds in Retry-After.");
            w.WriteNumber("retryAfter", retryAfterSeconds);
            w.WriteString("correlationId", correlationId);
            w.WriteString("requestId", requestId);
            w.WriteEndObject();
        });

        public static void WriteTimeOrNull(Utf8JsonWriter w, string name, DateTimeOffset? value)
        {
            if (value.HasValue)
            {
                w.WriteString(name, IsoTime.Format(value.Value));
            }
            else
            {
                w.WriteNull(name);
            }
        }
    }
}
