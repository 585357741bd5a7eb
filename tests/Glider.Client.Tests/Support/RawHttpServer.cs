using System;
using System.Collections.Concurrent;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace Glider.Client.Tests.Support
{
    /// <summary>
    /// A minimal HTTP/1.1 server on loopback that records the raw request head (request line and headers) exactly as
    /// it arrived on the wire, and answers each request with a fixed raw response.
    /// </summary>
    public sealed class RawHttpServer : IAsyncDisposable
    {
        private readonly TcpListener listener;
        private readonly Func<string, string> respond;
        private readonly CancellationTokenSource stop = new CancellationTokenSource();
        private readonly Task loop;

        public RawHttpServer(IPAddress address, Func<string, string> respond)
        {
            this.respond = respond;
            listener = new TcpListener(address, 0);
            listener.Start();
            loop = AcceptLoopAsync();
        }

        public ConcurrentQueue<string> RequestHeads { get; } = new ConcurrentQueue<string>();
        public int Port => ((IPEndPoint)listener.LocalEndpoint).Port;

        public static string Ok(string json) =>
            "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nX-Correlation-Id: raw-corr\r\nContent-Length: " + Encoding.UTF8.GetByteCount(json) + "\r\n\r\n" + json;

        private async Task AcceptLoopAsync()
        {
            try
            {
                while (!stop.IsCancellationRequested)
                {
#if NET
                    TcpClient client = await listener.AcceptTcpClientAsync(stop.Token);
#else
                    // No cancellable accept on .NET Framework: DisposeAsync stops the listener, which ends this await.
                    TcpClient client = await listener.AcceptTcpClientAsync();
#endif
                    _ = Task.Run(() => ServeAsync(client));
                }
            }
            catch (Exception) when (stop.IsCancellationRequested)
            {
            }
        }

        private async Task ServeAsync(TcpClient client)
        {
            using (client)
            {
                NetworkStream stream = client.GetStream();
                var head = new StringBuilder();
                var buffer = new byte[1];
                while (!head.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal))
                {
                    int read = await stream.ReadAsync(buffer, 0, 1, stop.Token);
                    if (read == 0)
                    {
                        return;
                    }

                    head.Append((char)buffer[0]);
                }
                string text = head.ToString();
                RequestHeads.Enqueue(text);
                byte[] answer = Encoding.UTF8.GetBytes(respond(text));
                await stream.WriteAsync(answer, 0, answer.Length, stop.Token);
                await stream.FlushAsync(stop.Token);
            }
        }

        public async ValueTask DisposeAsync()
        {
            stop.Cancel();
            listener.Stop();
            try { await loop; } catch (Exception) { }
            stop.Dispose();
        }
    }
}
