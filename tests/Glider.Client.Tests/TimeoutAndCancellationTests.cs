using System;
using System.Diagnostics;
using System.IO;
using System.Net;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using Glider.Client.Errors;
using Glider.Client.Tests.Support;
using Xunit;

namespace Glider.Client.Tests
{
    public class TimeoutAndCancellationTests
    {
        private static RecordingHandler Hanging() =>
            new RecordingHandler(async (request, n, ct) =>
            {
                await Task.Delay(Timeout.Infinite, ct);
                throw new InvalidOperationException("unreachable");
            });

        /// <summary>Headers arrive at once; the body never does.</summary>
        private static RecordingHandler StallingBody() =>
            new RecordingHandler((r, n) => new HttpResponseMessage(HttpStatusCode.OK) { Content = new StallingContent() });

        [Fact]
        public async Task APerAttemptTimeoutIsAGliderTimeoutExceptionNotACancellation()
        {
            var handler = Hanging();
            using GliderClient client = TestClients.Create(handler, o => { o.RequestTimeout = TimeSpan.FromMilliseconds(100); o.MaxRetryAttempts = 0; });

            var error = await Assert.ThrowsAsync<GliderTimeoutException>(() => client.GetPortfolioAsync("pf_1", CancellationToken.None));

            Assert.Equal(TimeSpan.FromMilliseconds(100), error.Timeout);
            Assert.True(error.IsTransient);
            Assert.Contains("timed out", error.Message);
        }

        [Fact]
        public async Task TimedOutAttemptsAreRetried()
        {
            var handler = Hanging();
            using GliderClient client = TestClients.Create(handler, o => { o.RequestTimeout = TimeSpan.FromMilliseconds(50); o.MaxRetryAttempts = 2; });

            await Assert.ThrowsAsync<GliderTimeoutException>(() => client.GetPortfolioAsync("pf_1", CancellationToken.None));

            Assert.Equal(3, handler.Count);
        }

        [Fact]
        public async Task ABodyThatNeverArrivesTimesOutToo()
        {
            using GliderClient client = TestClients.Create(StallingBody(), o => { o.RequestTimeout = TimeSpan.FromMilliseconds(100); o.MaxRetryAttempts = 0; });

            var error = await Assert.ThrowsAsync<GliderTimeoutException>(() => client.GetPortfolioAsync("pf_1", CancellationToken.None));
            Assert.Contains("body", error.Message);
        }

        [Fact]
        public async Task ThePerAttemptTimeoutFollowsTheTimeProvider()
        {
            var clock = FakeClock.Create();
            var handler = Hanging();
            using GliderClient client = TestClients.Create(handler, o => { o.TimeProvider = clock; o.RequestTimeout = TimeSpan.FromSeconds(30); o.MaxRetryAttempts = 0; });

            Task<Models.Portfolio> call = client.GetPortfolioAsync("pf_1", CancellationToken.None);
            await Task.Delay(50);
            Assert.False(call.IsCompleted);
            clock.Advance(TimeSpan.FromSeconds(31));

            await Assert.ThrowsAsync<GliderTimeoutException>(() => call);
        }

        [Fact]
        public async Task CallerCancellationIsPromptAndAnOperationCanceledException()
        {
            using GliderClient client = TestClients.Create(Hanging());
            using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));
            var watch = Stopwatch.StartNew();

            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.GetPortfolioAsync("pf_1", cts.Token));

            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(2), $"took {watch.Elapsed}");
        }

        [Fact]
        public async Task CancellationDuringABodyReadIsPrompt()
        {
            using GliderClient client = TestClients.Create(StallingBody());
            using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));

            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.GetPortfolioAsync("pf_1", cts.Token));
        }

        [Fact]
        public async Task CancellationDuringARetryWaitIsPrompt()
        {
            var handler = RecordingHandler.Always(() => Responses.Error(429, "X", "limited", "30"));
            using GliderClient client = TestClients.Create(handler, o => o.MaxRetryDelay = TimeSpan.FromSeconds(60));
            using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
            var watch = Stopwatch.StartNew();

            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.GetPortfolioAsync("pf_1", cts.Token));

            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(2), $"took {watch.Elapsed}");
            Assert.Equal(1, handler.Count);
        }

        [Fact]
        public async Task AnAlreadyCancelledTokenSendsNothing()
        {
            var handler = RecordingHandler.Always(() => Responses.Portfolio());
            using GliderClient client = TestClients.Create(handler);

            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.StartRebalanceAsync("pf_1", new CancellationToken(true)));

            Assert.Equal(0, handler.Count);
        }

        [Fact]
        public async Task AnInfiniteRequestTimeoutIsAllowed()
        {
            var handler = RecordingHandler.Always(() => Responses.Portfolio());
            using GliderClient client = TestClients.Create(handler, o => o.RequestTimeout = Timeout.InfiniteTimeSpan);
            await client.GetPortfolioAsync("pf_1", CancellationToken.None);
            Assert.Equal(1, handler.Count);
        }

        [Theory]
        [InlineData(0)]
        [InlineData(-5)]
        public void ANonPositiveRequestTimeoutIsRefused(int seconds)
        {
            var error = Assert.Throws<ArgumentOutOfRangeException>(() => TestClients.Create(RecordingHandler.Always(() => Responses.Portfolio()), o => o.RequestTimeout = TimeSpan.FromSeconds(seconds)));
            Assert.Equal("RequestTimeout", error.ParamName);
        }

        [Fact]
        public async Task ADisposedClientRefusesCalls()
        {
            var client = TestClients.Create(RecordingHandler.Always(() => Responses.Portfolio()));
            client.Dispose();
            client.Dispose();
            await Assert.ThrowsAsync<ObjectDisposedException>(() => client.GetPortfolioAsync("pf_1", CancellationToken.None));
        }

        private sealed class StallingContent : HttpContent
        {
            protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) => Task.Delay(Timeout.Infinite);
            protected override Task<Stream> CreateContentReadStreamAsync() => Task.FromResult<Stream>(new StallingStream());
#if NET
            protected override Task<Stream> CreateContentReadStreamAsync(CancellationToken cancellationToken) => CreateContentReadStreamAsync();
#endif
            protected override bool TryComputeLength(out long length) { length = 0; return false; }
        }

        private sealed class StallingStream : Stream
        {
            public override bool CanRead => true;
            public override bool CanSeek => false;
            public override bool CanWrite => false;
            public override long Length => throw new NotSupportedException();
            public override long Position { get => 0; set => throw new NotSupportedException(); }
            public override void Flush() { }
            public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException("sync read");
            public override async Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
            {
                await Task.Delay(Timeout.Infinite, cancellationToken);
                return 0;
            }
            public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
            public override void SetLength(long value) => throw new NotSupportedException();
            public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        }
    }
}
