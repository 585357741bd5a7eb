using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using System.Text;
using System.Text.Json;
using System.Threading.Tasks;

namespace Glider.Emulator.Tests.TestSupport
{
    /// <summary>An in-process emulator on 127.0.0.1:0 plus a client that never follows redirects.</summary>
    public sealed class TestEmulator : IAsyncDisposable
    {
        private TestEmulator(EmulatorHost host, EmulatorOptions options)
        {
            Host = host;
            Options = options;
            Client = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false, UseProxy = false })
            {
                BaseAddress = host.BaseUri,
                Timeout = TimeSpan.FromSeconds(30),
            };
        }

        public EmulatorHost Host { get; }
        public EmulatorOptions Options { get; }
        public HttpClient Client { get; }
        public Uri BaseUri => Host.BaseUri;

        public static async Task<TestEmulator> StartAsync(Action<EmulatorOptions>? configure = null)
        {
            var options = new EmulatorOptions { OperationMs = 400, CooldownSeconds = 1 };
            configure?.Invoke(options);
            return new TestEmulator(await EmulatorHost.StartAsync(options), options);
        }

        public Task<ApiResult> GetAsync(string path, string? key = EmulatorDemoKeys.ReadWrite) => SendAsync(HttpMethod.Get, path, key);

        public Task<ApiResult> PostAsync(string path, string? key = EmulatorDemoKeys.ReadWrite) => SendAsync(HttpMethod.Post, path, key);

        public async Task<ApiResult> SendAsync(HttpMethod method, string path, string? key, string? jsonBody = null, Action<HttpRequestMessage>? adjust = null)
        {
            using var request = new HttpRequestMessage(method, new Uri(Host.BaseUri, path));
            if (key is not null)
            {
                request.Headers.TryAddWithoutValidation("x-api-key", key);
            }

            if (jsonBody is not null)
            {
                request.Content = new StringContent(jsonBody, Encoding.UTF8, "application/json");
            }

            adjust?.Invoke(request);
            using var response = await Client.SendAsync(request);
            return new ApiResult(response, await response.Content.ReadAsStringAsync());
        }

        /// <summary>
        /// Sends over a brand-new connection. HttpClient silently retries a request whose pooled connection
        /// closed before any response byte, which would swallow (and double-count) a drop fault.
        /// </summary>
        public async Task<ApiResult> SendOnNewConnectionAsync(HttpMethod method, string path, string? key = EmulatorDemoKeys.ReadWrite)
        {
            using var client = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, UseProxy = false }) { BaseAddress = Host.BaseUri };
            using var request = new HttpRequestMessage(method, path);
            if (key is not null)
            {
                request.Headers.TryAddWithoutValidation("x-api-key", key);
            }

            using var response = await client.SendAsync(request);
            return new ApiResult(response, await response.Content.ReadAsStringAsync());
        }

        public async Task<ApiResult> ControlAsync(HttpMethod method, string path, string? jsonBody = null)
        {
            var result = await SendAsync(method, "_emulator/" + path, null, jsonBody);
            return result;
        }

        /// <summary>Adds a fault rule and checks the emulator accepted it.</summary>
        public async Task<string> AddFaultAsync(string ruleJson)
        {
            var result = await ControlAsync(HttpMethod.Post, "faults", ruleJson);
            if (result.StatusCode != 200)
            {
                throw new InvalidOperationException("Fault rule refused: " + result);
            }

            return result.Json.GetProperty("id").GetString()!;
        }

        public Task<ApiResult> SetTimingsAsync(string json) => ControlAsync(HttpMethod.Put, "timings", json);

        public Task<ApiResult> StatsAsync() => ControlAsync(HttpMethod.Get, "stats");

        public Task<ApiResult> RequestLogAsync() => ControlAsync(HttpMethod.Get, "requests");

        /// <summary>
        /// The log once it holds at least count entries: the emulator writes an entry just after it has answered (or
        /// torn the connection down), so a client can hold the answer a moment before the log has it.
        /// </summary>
        public Task<List<JsonElement>> RequestLogAsync(int count) => Eventually.PollAsync(
            async () => (await RequestLogAsync()).Json.EnumerateArray().ToList(),
            entries => entries.Count >= count,
            TimeSpan.FromSeconds(10));

        public async ValueTask DisposeAsync()
        {
            Client.Dispose();
            await Host.DisposeAsync();
        }
    }
}
