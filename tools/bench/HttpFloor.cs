using System;
using System.Net.Http;
using System.Threading.Tasks;

namespace GliderBench
{
    /// <summary>
    /// The floor for N sequential GETs from a PowerShell session: one pooled HttpClient, the loop in C# (no
    /// PowerShell between calls), the body read but not parsed. Nothing that drives the API from PowerShell can be
    /// faster than this, so it is the denominator of the per-call ratio.
    /// </summary>
    public sealed class HttpFloor : IDisposable
    {
        private readonly HttpClient client;
        private readonly Uri uri;
        private readonly string apiKey;

        public HttpFloor(string uri, string apiKey)
        {
            // Same handler settings the module uses (pooled sockets, no redirects), so the transport is comparable.
            client = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false });
            this.uri = new Uri(uri);
            this.apiKey = apiKey;
        }

        /// <summary>Runs count GETs one after another; returns the total body bytes so the reads cannot be skipped.</summary>
        public long Run(int count) => RunAsync(count).GetAwaiter().GetResult();

        /// <summary>
        /// The same GETs, but the calling thread waits for each one before sending the next. That is what every
        /// cmdlet does (it must write its output on the pipeline thread), so the difference from Run is the price of
        /// handing each answer back to a waiting thread, which no cmdlet can avoid with an async HTTP stack.
        /// </summary>
        public long RunBlocking(int count)
        {
            long bytes = 0;
            for (int i = 0; i < count; i++)
            {
                bytes += GetOnceAsync().GetAwaiter().GetResult();
            }

            return bytes;
        }

        private async Task<long> RunAsync(int count)
        {
            long bytes = 0;
            for (int i = 0; i < count; i++)
            {
                bytes += await GetOnceAsync().ConfigureAwait(false);
            }

            return bytes;
        }

        private async Task<long> GetOnceAsync()
        {
            using (var request = new HttpRequestMessage(HttpMethod.Get, uri))
            {
                request.Headers.TryAddWithoutValidation("x-api-key", apiKey);
                using (HttpResponseMessage response = await client.SendAsync(request).ConfigureAwait(false))
                {
                    response.EnsureSuccessStatusCode();
                    return (await response.Content.ReadAsByteArrayAsync().ConfigureAwait(false)).Length;
                }
            }
        }

        public void Dispose() => client.Dispose();
    }
}
