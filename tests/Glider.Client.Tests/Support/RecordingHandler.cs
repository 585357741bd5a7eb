using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;

namespace Glider.Client.Tests.Support
{
    /// <summary>What the client sent, copied out of the request (which is disposed after the call).</summary>
    public sealed class RecordedRequest
    {
        public RecordedRequest(string method, Uri uri, IReadOnlyDictionary<string, string> headers, DateTimeOffset at)
        {
            Method = method;
            Uri = uri;
            Headers = headers;
            At = at;
        }

        public string Method { get; }
        public Uri Uri { get; }
        public IReadOnlyDictionary<string, string> Headers { get; }
        public DateTimeOffset At { get; }
    }

    /// <summary>A fake innermost handler: answers with a script and records every request.</summary>
    public sealed class RecordingHandler : HttpMessageHandler
    {
        private readonly Func<HttpRequestMessage, int, CancellationToken, Task<HttpResponseMessage>> respond;
        private readonly TimeProvider clock;
        private readonly ConcurrentQueue<RecordedRequest> requests = new ConcurrentQueue<RecordedRequest>();
        private int count;

        public RecordingHandler(Func<HttpRequestMessage, int, CancellationToken, Task<HttpResponseMessage>> respond, TimeProvider? clock = null)
        {
            this.respond = respond;
            this.clock = clock ?? TimeProvider.System;
        }

        public RecordingHandler(Func<HttpRequestMessage, int, HttpResponseMessage> respond, TimeProvider? clock = null)
            : this((request, n, ct) => Task.FromResult(respond(request, n)), clock)
        {
        }

        /// <summary>Answers every request with the same factory.</summary>
        public static RecordingHandler Always(Func<HttpResponseMessage> response) => new RecordingHandler((r, n) => response());

        /// <summary>Answers the n-th request (1-based) with the n-th factory; the last one repeats.</summary>
        public static RecordingHandler Sequence(params Func<HttpResponseMessage>[] responses) =>
            new RecordingHandler((r, n) => responses[Math.Min(n, responses.Length) - 1]());

        public IReadOnlyList<RecordedRequest> Requests => requests.ToArray();
        public int Count => Volatile.Read(ref count);

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            int n = Interlocked.Increment(ref count);
            var headers = request.Headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => string.Join(",", h.Value));
            requests.Enqueue(new RecordedRequest(request.Method.Method, request.RequestUri!, headers, clock.GetUtcNow()));
            return respond(request, n, cancellationToken);
        }
    }
}
