using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text.Json;

namespace Glider.Emulator.Tests.TestSupport
{
    /// <summary>A response read completely: status, headers (response and content), body text and parsed JSON.</summary>
    public sealed class ApiResult
    {
        public ApiResult(HttpResponseMessage response, string body)
        {
            Status = response.StatusCode;
            Body = body;
            foreach (var header in response.Headers)
            {
                Headers[header.Key] = string.Join(",", header.Value);
            }

            foreach (var header in response.Content.Headers)
            {
                Headers[header.Key] = string.Join(",", header.Value);
            }

            if (body.Length > 0 && (body[0] == '{' || body[0] == '['))
            {
                try
                {
                    using var doc = JsonDocument.Parse(body);
                    Json = doc.RootElement.Clone();
                }
                catch (JsonException)
                {
                    // A truncated body (a fault) stays available as text.
                }
            }
        }

        public HttpStatusCode Status { get; }
        public int StatusCode => (int)Status;
        public string Body { get; }
        public JsonElement Json { get; }
        public Dictionary<string, string> Headers { get; } = new(System.StringComparer.OrdinalIgnoreCase);

        public JsonElement Data => Json.GetProperty("data");

        public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;

        public string ErrorCode => Json.GetProperty("error").GetProperty("code").GetString()!;

        public List<JsonElement> Portfolios => Data.GetProperty("portfolios").EnumerateArray().ToList();

        public override string ToString() => $"{StatusCode} {Body}";
    }
}
