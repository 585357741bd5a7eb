using System;
using System.Linq;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using Glider.Client.Errors;
using Glider.Client.Tests.Support;
using Xunit;

namespace Glider.Client.Tests
{
    /// <summary>Through the real pooled handler to a raw loopback socket: what actually goes on the wire.</summary>
    public class WireTests
    {
        private const string OperationJson = "{\"success\":true,\"data\":{\"operationId\":\"x\",\"state\":\"running\"}}";

        private static GliderClient Create(int port) =>
            new GliderClient(new GliderClientOptions { BaseUri = new Uri($"http://127.0.0.1:{port}"), MaxRetryAttempts = 0, RequestTimeout = TimeSpan.FromSeconds(5) },
                TestClients.Secure(TestClients.Key));

#if NET
        // The desktop leg has its own version (DesktopWireTests): with a non-ASCII character in the path, the
        // Framework's System.Uri (IRI parsing) unescapes %3A, so the client refuses that request instead.
        [Fact]
        public async Task TheRequestTargetIsSentExactlyAsEscaped()
        {
            await using var server = new RawHttpServer(IPAddress.Loopback, head => RawHttpServer.Ok(OperationJson));
            using GliderClient client = Create(server.Port);

            await client.GetOperationAsync("pf:1", "rebalance:pf_1:pf_1%3Amanual%2Fx a+é#?", CancellationToken.None);

            string head = server.RequestHeads.Single();
            string requestLine = head.Split("\r\n")[0];
            Assert.Equal("GET /v2/portfolios/pf%3A1/operations/rebalance%3Apf_1%3Apf_1%253Amanual%252Fx%20a%2B%C3%A9%23%3F HTTP/1.1", requestLine);
            Assert.Contains("\r\nx-api-key: " + TestClients.Key + "\r\n", head);
            Assert.Contains("\r\nUser-Agent: GliderPS/", head);
        }
#endif

        [Fact]
        public async Task TheRealHandlerDoesNotFollowARedirectToAnotherOrigin()
        {
            await using var elsewhere = new RawHttpServer(IPAddress.Parse("127.0.0.2"), head => RawHttpServer.Ok(OperationJson));
            await using var api = new RawHttpServer(IPAddress.Loopback, head =>
                $"HTTP/1.1 302 Found\r\nLocation: http://127.0.0.2:{elsewhere.Port}/v2/portfolios/pf_1\r\nContent-Length: 0\r\n\r\n");
            using GliderClient client = Create(api.Port);

            var error = await Assert.ThrowsAsync<GliderTransportException>(() => client.GetPortfolioAsync("pf_1", CancellationToken.None));

            Assert.Contains("redirect", error.Message);
            Assert.Single(api.RequestHeads);
            Assert.Empty(elsewhere.RequestHeads);
        }

        [Fact]
        public async Task ARefusedConnectionIsATransientTransportError()
        {
            int port;
            // TcpListener is not IDisposable on .NET Framework (the Mono leg), hence Stop in finally.
            var probe = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
            try
            {
                probe.Start();
                port = ((IPEndPoint)probe.LocalEndpoint).Port;
            }
            finally
            {
                probe.Stop();
            }
            using GliderClient client = Create(port);

            var error = await Assert.ThrowsAsync<GliderTransportException>(() => client.GetWhoAmIAsync(CancellationToken.None));

            Assert.True(error.IsTransient);
            Assert.NotNull(error.InnerException);
            Assert.DoesNotContain(TestClients.Key, error.ToString());
        }
    }
}
