using System;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Security.Authentication;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Glider.Client;
using Glider.Client.Errors;
using Glider.Client.Http;
using Glider.Client.Tests.Support;
using Xunit;

namespace Glider.Client.Tests
{
    /// <summary>
    /// The desktop build's handler and its .NET Framework traps. On the Framework, HttpClientHandler runs on
    /// HttpWebRequest and ServicePoint (2 connections per host by default, connections kept until closed); Mono 6.8's
    /// HttpClientHandler runs on its copy of SocketsHttpHandler instead. So here the connection limit and the lease are
    /// checked as the settings the Framework would act on, plus what Mono can show (many connections at once over
    /// the real handler, stalled bodies on a real socket, TLS settings on the handler).
    /// </summary>
    [Collection(ProcessWideNetSettings.Name)]
    public class DesktopHandlerTests
    {
        private const string PortfolioJson = "{\"success\":true,\"data\":{\"portfolioId\":\"pf_1\",\"ownerAccountId\":\"eip155:0:0xabc\",\"schedule\":{\"status\":\"active\"}}}";

        private static GliderClient Create(Uri baseUri, TimeSpan requestTimeout) =>
            new GliderClient(new GliderClientOptions { BaseUri = baseUri, MaxRetryAttempts = 0, RequestTimeout = requestTimeout }, TestClients.Secure(TestClients.Key));

        [Fact]
        public async Task ManyConcurrentCallsGetAConnectionEachNotTheFrameworksTwo()
        {
            const int Calls = 12;
            // The server answers nobody until all the calls are connected at once: with two connections per host the
            // calls would queue behind them and time out.
            using var server = new HoldingHttpServer(HoldingHttpServer.OkHead(Encoding.UTF8.GetByteCount(PortfolioJson)), PortfolioJson, holdUntilConnections: Calls);
            using GliderClient client = Create(server.BaseUri, TimeSpan.FromSeconds(20));

            Models.Portfolio[] portfolios = await Task.WhenAll(Enumerable.Range(0, Calls).Select(_ => client.GetPortfolioAsync("pf_1", CancellationToken.None)));

            Assert.All(portfolios, p => Assert.Equal("pf_1", p.PortfolioId));
            Assert.Equal(Calls, server.MostConnectionsOpenAtOnce);
        }

        [Fact]
        public async Task ABodyThatStallsOnTheWireIsATimeoutNotATransportError()
        {
            using var server = new HoldingHttpServer(HoldingHttpServer.OkHead(Encoding.UTF8.GetByteCount(PortfolioJson)) + PortfolioJson.Substring(0, 10), rest: string.Empty);
            using GliderClient client = Create(server.BaseUri, TimeSpan.FromMilliseconds(500));

            var error = await Assert.ThrowsAsync<GliderTimeoutException>(() => client.GetPortfolioAsync("pf_1", CancellationToken.None));

            Assert.Contains("body", error.Message);
            Assert.DoesNotContain(TestClients.Key, error.ToString());
        }

        [Fact]
        public async Task CancellingWhileTheBodyStallsIsACancellation()
        {
            using var server = new HoldingHttpServer(HoldingHttpServer.OkHead(Encoding.UTF8.GetByteCount(PortfolioJson)) + PortfolioJson.Substring(0, 10), rest: string.Empty);
            using GliderClient client = Create(server.BaseUri, TimeSpan.FromSeconds(30));
            using var cancel = new CancellationTokenSource();

            Task call = client.GetPortfolioAsync("pf_1", cancel.Token);
            await server.HeadSent;
            cancel.Cancel();

            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
        }

        [Fact]
        public void TheHandlerAllowsTheModulesConcurrencyAndNoRedirects()
        {
            using var handler = (HttpClientHandler)HttpMessageHandlerFactory.Create(ProxySettings.SystemDefault);

            Assert.Equal(64, HttpMessageHandlerFactory.MaxConnectionsPerHost);
            Assert.Equal(HttpMessageHandlerFactory.MaxConnectionsPerHost, handler.MaxConnectionsPerServer);
            Assert.False(handler.AllowAutoRedirect);
            Assert.False(handler.UseCookies);
        }

        [Fact]
        public void TheProxySettingsReachTheFrameworksHandler()
        {
            var credential = new NetworkCredential("gliderproxy", "not-a-real-password");
            using (var handler = (HttpClientHandler)HttpMessageHandlerFactory.Create(ProxySettings.Explicit(new Uri("http://127.0.0.1:3128"), credential, useDefaultCredentials: false)))
            {
                Assert.True(handler.UseProxy);
                var proxy = Assert.IsType<WebProxy>(handler.Proxy);
                Assert.Equal(new Uri("http://127.0.0.1:3128/"), proxy.Address);
                Assert.Same(credential, proxy.Credentials);
                Assert.False(proxy.BypassProxyOnLocal);
                // The Framework's WebProxy always bypasses loopback (so the emulator cannot stand in for the API here);
                // the API's host goes through the proxy.
                Assert.False(proxy.IsBypassed(new Uri("https://api.glider.fi/v2/")));
            }

            using (var direct = (HttpClientHandler)HttpMessageHandlerFactory.Create(ProxySettings.Direct))
            {
                Assert.False(direct.UseProxy);
            }

            // The system's proxy stays the Framework's own choice: nothing is set.
            using (var system = (HttpClientHandler)HttpMessageHandlerFactory.Create(ProxySettings.SystemDefault))
            {
                Assert.True(system.UseProxy);
                Assert.Null(system.Proxy);
            }
        }

        [Fact]
        public async Task TheApiHostsConnectionsAreLeasedAndTheProcessDefaultsAreUntouched()
        {
            int defaultLimit = ServicePointManager.DefaultConnectionLimit;
            SecurityProtocolType protocols = ServicePointManager.SecurityProtocol;
            using var server = new HoldingHttpServer(HoldingHttpServer.OkHead(Encoding.UTF8.GetByteCount(PortfolioJson)), PortfolioJson, holdUntilConnections: 1);
            using GliderClient client = Create(server.BaseUri, TimeSpan.FromSeconds(20));

            await client.GetPortfolioAsync("pf_1", CancellationToken.None);

            ServicePoint servicePoint = ServicePointManager.FindServicePoint(server.BaseUri);
            Assert.Equal((int)HttpMessageHandlerFactory.ConnectionLifetime.TotalMilliseconds, servicePoint.ConnectionLeaseTimeout);
            Assert.Equal(HttpMessageHandlerFactory.MaxConnectionsPerHost, servicePoint.ConnectionLimit);
            Assert.Equal(defaultLimit, ServicePointManager.DefaultConnectionLimit);
            Assert.Equal(protocols, ServicePointManager.SecurityProtocol);
        }

        [Fact]
        public async Task ALeaseSetByTheUserForTheHostIsKept()
        {
            using var server = new HoldingHttpServer(HoldingHttpServer.OkHead(Encoding.UTF8.GetByteCount(PortfolioJson)), PortfolioJson, holdUntilConnections: 1);
            ServicePoint servicePoint = ServicePointManager.FindServicePoint(server.BaseUri);
            servicePoint.ConnectionLeaseTimeout = 12_345;
            using GliderClient client = Create(server.BaseUri, TimeSpan.FromSeconds(20));

            await client.GetPortfolioAsync("pf_1", CancellationToken.None);

            Assert.Same(servicePoint, ServicePointManager.FindServicePoint(server.BaseUri));
            Assert.Equal(12_345, servicePoint.ConnectionLeaseTimeout);
        }

        // Bit values shared by SecurityProtocolType and SslProtocols; TLS 1.3 (12288) is newer than net472's enums.
        private const int Ssl3 = 48, Tls10 = 192, Tls11 = 768, Tls12 = 3072, Tls13 = 12288;

        [Theory]
        [InlineData(0, 0)]
        [InlineData(Tls12, 0)]
        [InlineData(Tls12 | Tls13, 0)]
        [InlineData(Tls11 | Tls12, 0)]
        [InlineData(Ssl3 | Tls10, Tls10 | Tls12)]
        [InlineData(Tls10 | Tls11, Tls10 | Tls11 | Tls12)]
        [InlineData(Tls13, Tls12 | Tls13)]
        public void TlsTwelveIsAddedOnlyWhereTheProcessLacksItAndDoesNotLeaveItToWindows(int process, int expected)
        {
            Assert.Equal((SslProtocols)expected, HttpMessageHandlerFactory.TlsProtocolsFor((SecurityProtocolType)process));
        }

        [Fact]
        public void TheHandlerCarriesTheProtocolsChosenForThisProcess()
        {
            SecurityProtocolType before = ServicePointManager.SecurityProtocol;
            try
            {
                // What Windows PowerShell 5.1 has on a machine without the strong-crypto registry settings.
                ServicePointManager.SecurityProtocol = SecurityProtocolType.Ssl3 | SecurityProtocolType.Tls;
                using var handler = (HttpClientHandler)HttpMessageHandlerFactory.Create(ProxySettings.SystemDefault);

                Assert.Equal(SslProtocols.Tls | SslProtocols.Tls12, handler.SslProtocols);
                Assert.Equal(SecurityProtocolType.Ssl3 | SecurityProtocolType.Tls, ServicePointManager.SecurityProtocol);
            }
            finally
            {
                ServicePointManager.SecurityProtocol = before;
            }
        }
    }
}
