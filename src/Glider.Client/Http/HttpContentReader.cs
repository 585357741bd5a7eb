using System;
using System.Buffers;
using System.IO;
using System.Net.Http;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace Glider.Client.Http
{
    /// <summary>Reads a body as UTF-8 text, honouring cancellation on both targets, up to a size limit.</summary>
    internal static class HttpContentReader
    {
        /// <summary>The largest page (200 portfolios) is tens of KB; anything past this is not a Glider answer.</summary>
        public const int MaxBodyBytes = 8 * 1024 * 1024;

        public sealed class BodyTooLargeException : IOException
        {
            public BodyTooLargeException() : base($"The response body is larger than {MaxBodyBytes / (1024 * 1024)} MiB.") { }
        }

#if !NET
        /// <summary>The token may fire (and dispose the response) before the body stream is even opened.</summary>
        private static async Task<Stream> OpenAsync(HttpContent content, CancellationToken cancellationToken)
        {
            try
            {
                return await content.ReadAsStreamAsync().ConfigureAwait(false);
            }
            catch (Exception ex) when (cancellationToken.IsCancellationRequested && !(ex is OperationCanceledException))
            {
                throw new OperationCanceledException(cancellationToken);
            }
        }
#endif

        public static async Task<string> ReadAsync(HttpResponseMessage response, CancellationToken cancellationToken)
        {
            HttpContent? content = response.Content;
            if (content == null)
            {
                return string.Empty;
            }

#if NET
            using Stream stream = await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
#else
            // .NET Framework's stream reads may ignore the token: disposing the response aborts them instead.
            using CancellationTokenRegistration abort = cancellationToken.Register(response.Dispose);
            using Stream stream = await OpenAsync(content, cancellationToken).ConfigureAwait(false);
#endif
            using var buffer = new MemoryStream();
            // Rented, not allocated: a poll loop reads thousands of small bodies, and a fresh 16 KB chunk per body would
            // be most of what a call allocates.
            byte[] chunk = ArrayPool<byte>.Shared.Rent(16 * 1024);
            try
            {
                while (true)
                {
                    int read;
                    try
                    {
                        read = await stream.ReadAsync(chunk, 0, chunk.Length, cancellationToken).ConfigureAwait(false);
                    }
                    catch (Exception ex) when (cancellationToken.IsCancellationRequested && !(ex is OperationCanceledException))
                    {
                        // Once the token fired, the response was disposed under the read: the IOException,
                        // WebException (RequestCanceled) or ObjectDisposedException that follows is that cancellation
                        // (or the attempt's timeout), not a transport failure to retry or an error to surface raw.
                        throw new OperationCanceledException(cancellationToken);
                    }
                    if (read == 0)
                    {
                        break;
                    }

                    if (buffer.Length + read > MaxBodyBytes)
                    {
                        throw new BodyTooLargeException();
                    }

                    buffer.Write(chunk, 0, read);
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(chunk);
            }
            cancellationToken.ThrowIfCancellationRequested();
            byte[] bytes = buffer.GetBuffer();
            int length = (int)buffer.Length;
            // A UTF-8 byte order mark would survive decoding as U+FEFF and make the JSON unreadable.
            int start = length >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF ? 3 : 0;
            return Encoding.UTF8.GetString(bytes, start, length - start);
        }
    }
}
