using System;
using System.IO;
using System.Net.Sockets;
using System.Text;
using System.Threading.Tasks;

namespace Glider.Emulator.Tests.TestSupport
{
    /// <summary>
    /// Sends a request byte for byte over a fresh socket and reads until the server closes or resets.
    /// HttpClient may normalise a request target; this cannot, and it shows exactly what came back.
    /// </summary>
    public static class RawHttp
    {
        public sealed record Exchange(string Text, bool ConnectionReset)
        {
            public int? Status
            {
                get
                {
                    if (!Text.StartsWith("HTTP/1.1 ", StringComparison.Ordinal) || Text.Length < 12)
                    {
                        return null;
                    }

                    return int.Parse(Text.AsSpan(9, 3), provider: System.Globalization.CultureInfo.InvariantCulture);
                }
            }

            public string Body
            {
                get
                {
                    var split = Text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
                    return split < 0 ? string.Empty : Text.Substring(split + 4);
                }
            }

            public bool HasHeader(string name) =>
                Text.Contains("\r\n" + name + ":", StringComparison.OrdinalIgnoreCase);
        }

        public static async Task<Exchange> SendAsync(Uri baseUri, string method, string rawTarget, string? apiKey, string? extraHeaders = null)
        {
            using var socket = new TcpClient();
            await socket.ConnectAsync("127.0.0.1", baseUri.Port);
            var stream = socket.GetStream();
            var request = new StringBuilder()
                .Append(method).Append(' ').Append(rawTarget).Append(" HTTP/1.1\r\n")
                .Append("Host: 127.0.0.1:").Append(baseUri.Port).Append("\r\n")
                .Append("Connection: close\r\n");
            if (apiKey is not null)
            {
                request.Append("x-api-key: ").Append(apiKey).Append("\r\n");
            }

            if (extraHeaders is not null)
            {
                request.Append(extraHeaders);
            }

            if (method == "POST")
            {
                request.Append("Content-Length: 0\r\n");
            }

            request.Append("\r\n");
            var bytes = Encoding.ASCII.GetBytes(request.ToString());
            await stream.WriteAsync(bytes);

            var received = new MemoryStream();
            var buffer = new byte[8192];
            var reset = false;
            using var timeout = new System.Threading.CancellationTokenSource(TimeSpan.FromSeconds(20));
            try
            {
                int read;
                while ((read = await stream.ReadAsync(buffer, timeout.Token)) > 0)
                {
                    received.Write(buffer, 0, read);
                }
            }
            catch (IOException)
            {
                reset = true;
            }
            return new Exchange(Encoding.UTF8.GetString(received.ToArray()), reset);
        }
    }
}
