using System;
using System.Linq;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using Glider.Client.Tests.Support;
using Xunit;

namespace Glider.Client.Tests
{
    /// <summary>What the desktop build puts on the wire, through its real handler, under the Framework's System.Uri.</summary>
    public class DesktopWireTests
    {
        private const string OperationJson = "{\"success\":true,\"data\":{\"operationId\":\"x\",\"state\":\"running\"}}";

        private static GliderClient Create(int port) =>
            new GliderClient(new GliderClientOptions { BaseUri = new Uri($"http://127.0.0.1:{port}"), MaxRetryAttempts = 0, RequestTimeout = TimeSpan.FromSeconds(5) },
                TestClients.Secure(TestClients.Key));

        [Fact]
        public async Task AnAsciiRequestTargetIsSentExactlyAsEscaped()
        {
            await using var server = new RawHttpServer(IPAddress.Loopback, head => RawHttpServer.Ok(OperationJson));
            using GliderClient client = Create(server.Port);

            await client.GetOperationAsync("pf:1", "rebalance:pf_1:pf_1%3Amanual%2Fx a+#?", CancellationToken.None);

            string requestLine = server.RequestHeads.Single().Split("\r\n")[0];
            Assert.Equal("GET /v2/portfolios/pf%3A1/operations/rebalance%3Apf_1%3Apf_1%253Amanual%252Fx%20a%2B%23%3F HTTP/1.1", requestLine);
        }

        [Fact]
        public async Task ANonAsciiIdThatSystemUriWouldAlterIsRefusedAndNothingIsSent()
        {
            await using var server = new RawHttpServer(IPAddress.Loopback, head => RawHttpServer.Ok(OperationJson));
            using GliderClient client = Create(server.Port);

            var error = await Assert.ThrowsAsync<Errors.GliderException>(() => client.GetOperationAsync("pf:1", "op:é", CancellationToken.None));

            Assert.Contains("altered by System.Uri", error.Message);
            Assert.Empty(server.RequestHeads);
        }
    }
}
