using System;
using System.Net.Http;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using Glider.Client.Errors;
using Glider.Client.Waiting;
using Glider.Client.Tests.Support;
using Xunit;

namespace Glider.Client.Tests
{
    /// <summary>What the client's exceptions say about the cause: route vs resource, the refused parameter, attempts, DNS.</summary>
    public class BlameTheRightThingTests
    {
        private static HttpResponseMessage ErrorWithDetails(int status, string code, string message, string detailsJson) =>
            Responses.Json(status, $"{{\"success\":false,\"error\":{{\"code\":\"{code}\",\"message\":\"{message}\",\"details\":{detailsJson}}}}}");

        [Fact]
        public async Task ANoSuchRoute404IsARouteNotFoundThatBlamesTheBaseUri()
        {
            var handler = RecordingHandler.Always(() => Responses.Error(404, "API_200", "No route for GET /v2/portfolios/v2/whoami."));
            using GliderClient client = TestClients.Create(handler);

            var error = await Assert.ThrowsAsync<GliderNotFoundException>(() => client.GetPortfolioAsync("pf_1", CancellationToken.None));

            Assert.True(error.IsRouteNotFound);
            Assert.Contains("base URI is probably wrong", error.Message);
            Assert.Equal(GliderCallKind.Read, error.Call);
        }

        [Fact]
        public async Task AResource404OnAnIdRouteIsNotARouteNotFound()
        {
            var handler = RecordingHandler.Always(() => Responses.Error(404, "API_006", "Portfolio not found."));
            using GliderClient client = TestClients.Create(handler);

            var error = await Assert.ThrowsAsync<GliderNotFoundException>(() => client.GetPortfolioAsync("pf_1", CancellationToken.None));

            Assert.False(error.IsRouteNotFound);
        }

        [Fact]
        public async Task Any404OnACallWithoutAnIdBlamesTheRoute()
        {
            // A proxy's own 404 page carries no API code at all; whoami names no id, so only the path can be wrong.
            var handler = RecordingHandler.Always(() => Responses.Text(404, "<html>Not Found</html>"));
            using GliderClient client = TestClients.Create(handler);

            var error = await Assert.ThrowsAsync<GliderNotFoundException>(() => client.GetWhoAmIAsync(CancellationToken.None));

            Assert.True(error.IsRouteNotFound);
        }

        [Fact]
        public async Task A400NamesTheParameterFromTheErrorDetails()
        {
            var handler = RecordingHandler.Always(() => ErrorWithDetails(400, "API_400", "ownerAccountId must be a CAIP-10 account id.", "{\"parameter\":\"ownerAccountId\"}"));
            using GliderClient client = TestClients.Create(handler);

            var error = await Assert.ThrowsAsync<GliderBadRequestException>(() =>
                client.ListPortfoliosAsync(new Models.PortfolioQuery { OwnerAccountId = "eip155:x" }, null, CancellationToken.None));

            Assert.Equal("ownerAccountId", error.RefusedParameter);
            Assert.Contains("invalid value of ownerAccountId", error.Message);
            Assert.Equal(1, error.Attempts);
        }

        [Fact]
        public async Task A400OnStopSaysItCameFromAScheduleChange()
        {
            var handler = RecordingHandler.Always(() => Responses.Error(400, "API_400", "Portfolio has no rebalance schedule to stop or start."));
            using GliderClient client = TestClients.Create(handler);

            var error = await Assert.ThrowsAsync<GliderBadRequestException>(() => client.StopScheduleAsync("pf_1", CancellationToken.None));

            Assert.Null(error.RefusedParameter);
            Assert.Equal(GliderCallKind.ScheduleChange, error.Call);
        }

        [Fact]
        public async Task A503OnTheRebalancePostIsOneAttemptAndA503OnAReadCountsItsRetries()
        {
            var handler = RecordingHandler.Always(() => Responses.Error(503, "API_000", "Unavailable."));
            using GliderClient client = TestClients.Create(handler, o => o.MaxRetryAttempts = 2);

            var post = await Assert.ThrowsAsync<GliderServerException>(() => client.StartRebalanceAsync("pf_1", CancellationToken.None));
            Assert.Equal(1, post.Attempts);
            Assert.Equal(GliderCallKind.Rebalance, post.Call);

            var read = await Assert.ThrowsAsync<GliderServerException>(() => client.GetPortfolioAsync("pf_1", CancellationToken.None));
            Assert.Equal(3, read.Attempts);
            Assert.Equal(4, handler.Count);
        }

        [Fact]
        public async Task AHostNameThatDoesNotResolveIsNotRetried()
        {
            var handler = new RecordingHandler((request, n) =>
                throw new HttpRequestException("Name or service not known (api.glider-typo.invalid:443)", new SocketException((int)SocketError.HostNotFound)));
            using GliderClient client = TestClients.Create(handler, o => o.MaxRetryAttempts = 4);

            var error = await Assert.ThrowsAsync<GliderTransportException>(() => client.GetWhoAmIAsync(CancellationToken.None));

            Assert.True(error.IsHostNotFound);
            Assert.False(error.IsTransient);
            Assert.Equal(1, error.Attempts);
            Assert.Equal(1, handler.Count);
            Assert.Contains("does not resolve", error.Message);
        }

        [Fact]
        public async Task ARefusedConnectionIsStillRetried()
        {
            var handler = new RecordingHandler((request, n) =>
                throw new HttpRequestException("Connection refused", new SocketException((int)SocketError.ConnectionRefused)));
            using GliderClient client = TestClients.Create(handler, o => o.MaxRetryAttempts = 2);

            var error = await Assert.ThrowsAsync<GliderTransportException>(() => client.GetWhoAmIAsync(CancellationToken.None));

            Assert.False(error.IsHostNotFound);
            Assert.Equal(3, handler.Count);
            Assert.Equal(3, error.Attempts);
        }

        [Theory]
        [InlineData(7 * 24 * 3600 + 1)]
        [InlineData(30 * 24 * 3600)]
        public async Task AWaitLongerThanAWeekIsRefusedNotTurnedIntoNoLimit(int seconds)
        {
            var handler = RecordingHandler.Always(() => Responses.Operation("running"));
            using GliderClient client = TestClients.Create(handler);
            var options = new OperationWaitOptions { Timeout = TimeSpan.FromSeconds(seconds) };

            var error = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() =>
                WaitAll.RunAsync(client, new[] { new Models.OperationReference("pf_1", "op:1") }, options, new RecordingObserver(), CancellationToken.None));

            Assert.Equal(nameof(OperationWaitOptions.Timeout), error.ParamName);
            Assert.Equal(0, handler.Count);
        }
    }
}
