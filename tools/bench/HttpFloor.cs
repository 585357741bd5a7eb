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

        private async Task<long> RunAsync(int count)
        {
            long bytes = 0;
            for (int i = 0; i < count; i++)
            {
                using (var request = new HttpRequestMessage(HttpMethod.Get, uri))
                {
                    request.Headers.TryAddWithoutValidation("x-api-key", apiKey);
                    using (HttpResponseMessage response = await client.SendAsync(request).ConfigureAwait(false))
                    {
                        response.EnsureSuccessStatusCode();
                        bytes += (await response.Content.ReadAsByteArrayAsync().ConfigureAwait(false)).Length;
                    }
                }
            }

            return bytes;
        }

        public void Dispose() => client.Dispose();
    }
}
