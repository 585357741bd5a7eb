using System;
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
    /// <summary>
    /// On .NET Framework a body read ignores the token; the desktop build aborts it by disposing the response, and the
    /// read then fails with whatever the Framework's stream throws. Each of those is the timeout or the cancellation.
    /// </summary>
    public class DesktopBodyAbortTests
    {
        public static TheoryData<string> AbortFailures => new TheoryData<string> { "io", "web", "disposed" };

        private static Exception Failure(string kind) => kind switch
        {
            "io" => new IOException("Unable to read data from the transport connection: The connection was closed."),
            "web" => new WebException("The request was aborted: The request was canceled.", WebExceptionStatus.RequestCanceled),
            _ => new ObjectDisposedException("System.Net.ConnectStream"),
        };

        private static RecordingHandler AbortedOnDispose(string kind) =>
            RecordingHandler.Always(() => new HttpResponseMessage(HttpStatusCode.OK) { Content = new AbortOnDisposeContent(Failure(kind)) });

        [Theory]
        [MemberData(nameof(AbortFailures))]
        public async Task AnAbortedBodyReadAfterTheAttemptTimedOutIsATimeout(string kind)
        {
            using GliderClient client = TestClients.Create(AbortedOnDispose(kind), o => { o.RequestTimeout = TimeSpan.FromMilliseconds(200); o.MaxRetryAttempts = 0; });

            var error = await Assert.ThrowsAsync<GliderTimeoutException>(() => client.GetPortfolioAsync("pf_1", CancellationToken.None));

            Assert.Contains("body", error.Message);
        }

        [Theory]
        [MemberData(nameof(AbortFailures))]
        public async Task AnAbortedBodyReadAfterTheCallerCancelledIsACancellation(string kind)
        {
            var content = new AbortOnDisposeContent(Failure(kind));
            using GliderClient client = TestClients.Create(RecordingHandler.Always(() => new HttpResponseMessage(HttpStatusCode.OK) { Content = content }));
            using var cancel = new CancellationTokenSource();

            Task call = client.GetPortfolioAsync("pf_1", cancel.Token);
            await content.ReadStarted;
            cancel.Cancel();

            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
        }

        /// <summary>A body whose reads ignore the token and fail, like the Framework's, once the response is disposed.</summary>
        private sealed class AbortOnDisposeContent : HttpContent
        {
            private readonly Exception failure;
            private readonly TaskCompletionSource<int> aborted = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
            private readonly TaskCompletionSource<bool> readStarted = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);

            public AbortOnDisposeContent(Exception failure) => this.failure = failure;

            public Task ReadStarted => readStarted.Task;

            protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) => throw new NotSupportedException();
            protected override Task<Stream> CreateContentReadStreamAsync() => Task.FromResult<Stream>(new Body(this));
            protected override bool TryComputeLength(out long length) { length = 0; return false; }

            protected override void Dispose(bool disposing)
            {
                aborted.TrySetException(failure);
                base.Dispose(disposing);
            }

            private sealed class Body : Stream
            {
                private readonly AbortOnDisposeContent owner;
                public Body(AbortOnDisposeContent owner) => this.owner = owner;
                public override bool CanRead => true;
                public override bool CanSeek => false;
                public override bool CanWrite => false;
                public override long Length => throw new NotSupportedException();
                public override long Position { get => 0; set => throw new NotSupportedException(); }
                public override void Flush() { }
                public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException("sync read");
                public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
                {
                    owner.readStarted.TrySetResult(true);
                    return owner.aborted.Task;
                }
                public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
                public override void SetLength(long value) => throw new NotSupportedException();
                public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
            }
        }
    }
}
