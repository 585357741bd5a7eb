using System.Collections.Generic;

namespace Glider.Emulator.Http
{
    /// <summary>
    /// A complete response held in memory before it is sent, so a fault can still cut, truncate or
    /// replace it. The emulator's bodies are small, so buffering costs little.
    /// </summary>
    internal sealed class ApiResponse
    {
        public const string JsonContentType = "application/json; charset=utf-8";

        public ApiResponse(int status, byte[] body, string? contentType = JsonContentType)
        {
            Status = status;
            Body = body;
            ContentType = contentType;
        }

        public int Status { get; set; }
        public byte[] Body { get; set; }
        public string? ContentType { get; set; }
        public List<KeyValuePair<string, string>> Headers { get; } = new();

        public ApiResponse WithHeader(string name, string value)
        {
            for (var i = 0; i < Headers.Count; i++)
            {
                if (string.Equals(Headers[i].Key, name, System.StringComparison.OrdinalIgnoreCase))
                {
                    Headers[i] = new KeyValuePair<string, string>(name, value);
                    return this;
                }
            }
            Headers.Add(new KeyValuePair<string, string>(name, value));
            return this;
        }
    }
}
