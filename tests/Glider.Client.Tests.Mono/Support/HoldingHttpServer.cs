using System;
using System.Collections.Generic;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace Glider.Client.Tests.Support
{
    /// <summary>
    /// A loopback HTTP/1.1 server (127.0.0.1, a free port) that holds each connection after reading its request head
    /// and sending <see cref="Head"/>, until <see cref="Release"/> or until <see cref="HoldUntilConnections"/>
    /// connections are open at once; it then sends <see cref="Rest"/>. Answers one request per connection.
    /// </summary>
    public sealed class HoldingHttpServer : IDisposable
    {
        private readonly TcpListener listener;
        private readonly CancellationTokenSource stop = new CancellationTokenSource();
        private readonly TaskCompletionSource<bool> released = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource<bool> headSent = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly List<TcpClient> clients = new List<TcpClient>();
        private int open;
        private int mostOpen;

        public HoldingHttpServer(string head, string rest, int holdUntilConnections = int.MaxValue)
        {
            Head = head;
            Rest = rest;
            HoldUntilConnections = holdUntilConnections;
            listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            _ = AcceptLoopAsync();
        }

        public string Head { get; }
        public string Rest { get; }
        public int HoldUntilConnections { get; }
        public Uri BaseUri => new Uri($"http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}/");
        public int MostConnectionsOpenAtOnce => Volatile.Read(ref mostOpen);

        /// <summary>Completes once the first connection has been sent <see cref="Head"/>.</summary>
        public Task HeadSent => headSent.Task;

        public void Release() => released.TrySetResult(true);

        public static string OkHead(int declaredLength) =>
            "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " + declaredLength + "\r\n\r\n";

        private async Task AcceptLoopAsync()
        {
            try
            {
                while (!stop.IsCancellationRequested)
                {
                    TcpClient client = await listener.AcceptTcpClientAsync().ConfigureAwait(false);
                    lock (clients)
                    {
                        clients.Add(client);
                    }

                    _ = ServeAsync(client);
                }
            }
            catch (Exception) when (stop.IsCancellationRequested)
            {
            }
            catch (ObjectDisposedException)
            {
            }
        }

        private async Task ServeAsync(TcpClient client)
        {
            try
            {
                NetworkStream stream = client.GetStream();
                var head = new StringBuilder();
                var one = new byte[1];
                while (!head.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal))
                {
                    if (await stream.ReadAsync(one, 0, 1, stop.Token).ConfigureAwait(false) == 0)
                    {
                        return;
                    }

                    head.Append((char)one[0]);
                }

                int now = Interlocked.Increment(ref open);
                InterlockedMax(ref mostOpen, now);
                if (now >= HoldUntilConnections)
                {
                    released.TrySetResult(true);
                }

                await WriteAsync(stream, Head).ConfigureAwait(false);
                headSent.TrySetResult(true);
                using (stop.Token.Register(() => released.TrySetCanceled()))
                {
                    await released.Task.ConfigureAwait(false);
                }
                await WriteAsync(stream, Rest).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is IOException || ex is OperationCanceledException || ex is ObjectDisposedException || ex is SocketException)
            {
            }
        }

        private async Task WriteAsync(NetworkStream stream, string text)
        {
            if (text.Length == 0)
            {
                return;
            }

            byte[] bytes = Encoding.UTF8.GetBytes(text);
            await stream.WriteAsync(bytes, 0, bytes.Length, stop.Token).ConfigureAwait(false);
            await stream.FlushAsync(stop.Token).ConfigureAwait(false);
        }

        private static void InterlockedMax(ref int target, int value)
        {
            int seen;
            while (value > (seen = Volatile.Read(ref target)) && Interlocked.CompareExchange(ref target, value, seen) != seen)
            {
            }
        }

        public void Dispose()
        {
            stop.Cancel();
            listener.Stop();
            lock (clients)
            {
                foreach (TcpClient client in clients)
                {
                    client.Close();
                }
            }
            stop.Dispose();
        }
    }
}
