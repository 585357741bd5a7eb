using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Glider.Client.Http;
using Glider.Client.Tests.Support;
using Xunit;

namespace Glider.Client.Tests
{
    public class PathEscapingTests
    {
        [Theory]
        [InlineData("op:1", "op%3A1")]
        [InlineData("a%3Ab", "a%253Ab")]
        [InlineData("a%2Fb", "a%252Fb")]
        [InlineData("a/b", "a%2Fb")]
        [InlineData("a b", "a%20b")]
        [InlineData("é", "%C3%A9")]
        [InlineData("+", "%2B")]
        [InlineData("#", "%23")]
        [InlineData("?", "%3F")]
        [InlineData("urn:x", "urn%3Ax")]
        [InlineData("A-z_0.9~", "A-z_0.9~")]
        [InlineData("😀", "%F0%9F%98%80")]
        public void EveryCharacterOutsideUnreservedIsEscaped(string id, string expected)
        {
            Assert.Equal(expected, PathSegmentEscaper.EscapeId(id, "operationId"));
        }

        [Theory]
        [InlineData("op:1", "op%3A1")]
        [InlineData("a%3Ab", "a%253Ab")]
        [InlineData("a%2Fb", "a%252Fb")]
        [InlineData("a/b", "a%2Fb")]
        [InlineData("a b", "a%20b")]
        [InlineData("é", "%C3%A9")]
        [InlineData("+", "%2B")]
        [InlineData("#", "%23")]
        [InlineData("?", "%3F")]
        [InlineData("urn:x", "urn%3Ax")]
        public async Task TheRequestUriCarriesTheEscapedIdUnchangedBySystemUri(string id, string escaped)
        {
            var handler = RecordingHandler.Always(() => Responses.Operation("running"));
            using GliderClient client = TestClients.Create(handler);

            await client.GetOperationAsync("pf_1", id, CancellationToken.None);

            string expected = TestClients.LocalBase + "/v2/portfolios/pf_1/operations/" + escaped;
            Uri sent = handler.Requests.Single().Uri;
            Assert.Equal(expected, sent.AbsoluteUri);
            Assert.Equal(expected, sent.OriginalString);
            Assert.Equal("/v2/portfolios/pf_1/operations/" + escaped, sent.PathAndQuery);
        }

        [Fact]
        public async Task TheDocumentedOperationIdWithLiteralPercent3AIsSentByteForByte()
        {
            const string operationId = "rebalance:pf_01JWZG3KH9P4N5QXJVNK7M3WTV:pf_01JWZG3KH9P4N5QXJVNK7M3WTV%3Amanual%3Areq_01JWZEE2MF30KVRMRX53N88VA4";
            var handler = RecordingHandler.Always(() => Responses.Operation("running"));
            using GliderClient client = TestClients.Create(handler);

            var operation = await client.GetOperationAsync("pf_01JWZG3KH9P4N5QXJVNK7M3WTV", operationId, CancellationToken.None);

            Assert.EndsWith("/operations/rebalance%3Apf_01JWZG3KH9P4N5QXJVNK7M3WTV%3Apf_01JWZG3KH9P4N5QXJVNK7M3WTV%253Amanual%253Areq_01JWZEE2MF30KVRMRX53N88VA4",
                handler.Requests.Single().Uri.AbsoluteUri);
            Assert.Equal(operationId, operation.OperationId);
            Assert.Equal(operationId, Uri.UnescapeDataString(handler.Requests.Single().Uri.AbsolutePath.Split('/').Last()));
        }

        [Fact]
        public async Task AVeryLongIdWithColonsWorks()
        {
            string id = string.Concat(Enumerable.Repeat("abc:defghi", 102));
            Assert.Equal(1020, id.Length);
            var handler = RecordingHandler.Always(() => Responses.Operation("running"));
            using GliderClient client = TestClients.Create(handler);

            var operation = await client.GetOperationAsync("pf_1", id, CancellationToken.None);

            Assert.Equal(id, operation.OperationId);
            Assert.EndsWith("/operations/" + id.Replace(":", "%3A"), handler.Requests.Single().Uri.AbsoluteUri);
        }

        [Theory]
        [InlineData(".")]
        [InlineData("..")]
        [InlineData("%2E%2E")]
        [InlineData("%2e")]
        [InlineData("a/../b")]
        [InlineData("a/./b")]
        [InlineData("a%2F..%2Fb")]
        [InlineData("..\\x")]
        [InlineData("%252E%252E")]
        [InlineData("")]
        [InlineData("   ")]
        [InlineData(" pf_acme_0001")]
        [InlineData("pf_acme_0001\n")]
        [InlineData("pf_acme\u00000001")]
        [InlineData("pf\u001B[31m")]
        public async Task DotSegmentsAndBlankIdsAreRefusedBeforeAnythingIsSent(string id)
        {
            var handler = RecordingHandler.Always(() => Responses.Operation("running"));
            using GliderClient client = TestClients.Create(handler);

            var operationError = await Assert.ThrowsAnyAsync<ArgumentException>(() => client.GetOperationAsync("pf_1", id, CancellationToken.None));
            Assert.Equal("operationId", operationError.ParamName);
            var portfolioError = await Assert.ThrowsAnyAsync<ArgumentException>(() => client.StartRebalanceAsync(id, CancellationToken.None));
            Assert.Equal("portfolioId", portfolioError.ParamName);
            var getError = await Assert.ThrowsAnyAsync<ArgumentException>(() => client.GetPortfolioAsync(id, CancellationToken.None));
            Assert.Equal("portfolioId", getError.ParamName);

            Assert.Equal(0, handler.Count);
        }

        [Fact]
        public async Task AnIdLongerThanTheLimitIsRefusedWithoutBeingQuotedWhole()
        {
            string id = new string('x', GliderId.MaxLength + 1);
            var handler = RecordingHandler.Always(() => Responses.Operation("running"));
            using GliderClient client = TestClients.Create(handler);

            var error = await Assert.ThrowsAnyAsync<ArgumentException>(() => client.GetPortfolioAsync(id, CancellationToken.None));

            Assert.Equal("portfolioId", error.ParamName);
            Assert.Contains("1025 characters", error.Message);
            Assert.DoesNotContain(new string('x', 100), error.Message);
            Assert.Equal(0, handler.Count);
        }

        [Fact]
        public void MessagesShowControlCharactersEscaped()
        {
            string? problem = GliderId.Problem("pf_1\nFAKE LOG LINE");

            Assert.NotNull(problem);
            Assert.Contains("'pf_1\\nFAKE LOG LINE'", problem);
            Assert.DoesNotContain("\n", problem!.Replace("\\n", string.Empty));
        }

        [Fact]
        public async Task NullIdsAreRefused()
        {
            var handler = RecordingHandler.Always(() => Responses.Operation("running"));
            using GliderClient client = TestClients.Create(handler);
            var error = await Assert.ThrowsAsync<ArgumentNullException>(() => client.GetOperationAsync(null!, "op", CancellationToken.None));
            Assert.Equal("portfolioId", error.ParamName);
            Assert.Equal(0, handler.Count);
        }

        [Theory]
        [InlineData("a..b")]
        [InlineData("...")]
        [InlineData(".hidden")]
        [InlineData("v1.2")]
        public void DotsInsideASegmentAreFine(string id)
        {
            Assert.Equal(id, PathSegmentEscaper.EscapeId(id, "operationId"));
        }

        [Fact]
        public void AnUnpairedSurrogateIsRefused()
        {
            var error = Assert.ThrowsAny<ArgumentException>(() => PathSegmentEscaper.EscapeId("a\uD800b", "operationId"));
            Assert.Equal("operationId", error.ParamName);
        }

        [Fact]
        public async Task QueryValuesAreEscapedToo()
        {
            var handler = RecordingHandler.Always(() => Responses.Data("{\"portfolios\":[]}"));
            using GliderClient client = TestClients.Create(handler);

            await client.ListPortfoliosAsync(new Models.PortfolioQuery { OwnerAccountId = "eip155:0:0xAB", Status = "active", StrategyId = "s&x=1", Limit = 50 }, "cur/sor+=", CancellationToken.None);

            Assert.Equal(TestClients.LocalBase + "/v2/portfolios?limit=50&cursor=cur%2Fsor%2B%3D&ownerAccountId=eip155%3A0%3A0xAB&strategyId=s%26x%3D1&status=active",
                handler.Requests.Single().Uri.AbsoluteUri);
        }

        [Theory]
        [InlineData("Active", "active")]
        [InlineData("PAUSED", "paused")]
        public async Task AnEnumeratedValueIsSentAsTheApiSpellsIt(string given, string sent)
        {
            var handler = RecordingHandler.Always(() => Responses.Data("{\"portfolios\":[]}"));
            using GliderClient client = TestClients.Create(handler);

            await client.ListPortfoliosAsync(new Models.PortfolioQuery { Status = given, Limit = 50 }, null, CancellationToken.None);

            Assert.Equal(TestClients.LocalBase + "/v2/portfolios?limit=50&status=" + sent, handler.Requests.Single().Uri.AbsoluteUri);
        }

        [Theory]
        [InlineData(0)]
        [InlineData(201)]
        public async Task AnOutOfRangePageSizeIsRefused(int limit)
        {
            var handler = RecordingHandler.Always(() => Responses.Data("{\"portfolios\":[]}"));
            using GliderClient client = TestClients.Create(handler);
            var error = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => client.ListPortfoliosAsync(new Models.PortfolioQuery { Limit = limit }, null, CancellationToken.None));
            Assert.Equal("Limit", error.ParamName);
            Assert.Equal(0, handler.Count);
        }
    }
}
