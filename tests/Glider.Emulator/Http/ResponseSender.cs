using System;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;

namespace Glider.Emulator.Http
{
    /// <summary>Puts an <see cref="ApiResponse"/> on the wire, whole or deliberately broken.</summary>
    internal static class ResponseSender
    {
        private const int PartialBodyGraceMs = 100;

        public static Task SendAsync(HttpContext context, ApiResponse response)
        {
            WriteHead(context, response, response.Body.Length);
            return response.Body.Length == 0 ? Task.CompletedTask : context.Response.Body.WriteAsync(response.Body, 0, response.Body.Length);
        }

        /// <summary>A body cut short with a Content-Length that matches the cut: a well-formed response with bad JSON.</summary>
        public static Task SendTruncatedAsync(HttpContext context, ApiResponse response)
        {
            var cut = response.Body.Length / 2;
            WriteHead(context, response, cut);
            return context.Response.Body.WriteAsync(response.Body, 0, cut);
        }

        /// <summary>Promises the full Content-Length, sends half, then resets the connection.</summary>
        public static async Task SendHalfThenAbortAsync(HttpContext context, ApiResponse response)
        {
            WriteHead(context, response, response.Body.Length);
            var half = Math.Max(1, response.Body.Length / 2);
            await context.Response.Body.WriteAsync(response.Body.AsMemory(0, Math.Min(half, response.Body.Length)));
            await context.Response.Body.FlushAsync();
            // A moment for the partial body to reach the client: a reset that overtakes the data would make
            // the client's socket drop it, and the fault would look like a plain drop.
            await Task.Delay(PartialBodyGraceMs);
            context.Abort();
        }

        private static void WriteHead(HttpContext context, ApiResponse response, int contentLength)
        {
            var http = context.Response;
            http.StatusCode = response.Status;
            if (response.ContentType is not null)
            {
                http.ContentType = response.ContentType;
            }

            var written = new System.Collections.Generic.HashSet<string>(StringComparer.OrdinalIgnoreCase);
            foreach (var header in response.Headers)
            {
                // A name seen twice is a deliberately duplicated header line (fault rules), not an overwrite.
                if (written.Add(header.Key))
                {
                    http.Headers[header.Key] = header.Value;
                }
                else
                {
                    http.Headers.Append(header.Key, header.Value);
                }
            }
            http.ContentLength = contentLength;
        }
    }
}
