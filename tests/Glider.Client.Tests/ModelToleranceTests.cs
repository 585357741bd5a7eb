using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Glider.Client.Errors;
using Glider.Client.Models;
using Glider.Client.Tests.Support;
using Xunit;

namespace Glider.Client.Tests
{
    public class ModelToleranceTests
    {
        private static async Task<T> Read<T>(string responseJson, Func<GliderClient, Task<T>> call, int status = 200)
        {
            var handler = RecordingHandler.Always(() => Responses.Json(status, responseJson));
            using GliderClient client = TestClients.Create(handler, o => o.MaxRetryAttempts = 0);
            return await call(client);
        }

        [Fact]
        public async Task ADocumentedPortfolioIsReadFully()
        {
            const string json = @"{""success"":true,""data"":{""portfolioId"":""pf_1"",""ownerAccountId"":""eip155:0:0xabc"",""strategyId"":""strat_growth"",
                ""strategyName"":""Growth"",""strategyDescription"":""d"",""strategyVersion"":""3"",""smartAccounts"":[{""accountId"":""eip155:1:0x1""},{""accountId"":""eip155:8453:0x2""}],
                ""schedule"":{""status"":""active"",""frequency"":""daily"",""intervalMs"":86400000,""nextDueAt"":""2026-11-26T00:00:00Z"",""lastRebalanceAt"":""2026-11-25T00:00:00.123+00:00""},
                ""createdAt"":""2026-01-01T00:00:00Z"",""updatedAt"":""2026-11-25T10:00:00Z""}}";
            Portfolio p = await Read(json, c => c.GetPortfolioAsync("pf_1", CancellationToken.None));

            Assert.Equal("pf_1", p.PortfolioId);
            Assert.Equal("eip155:0:0xabc", p.OwnerAccountId);
            Assert.Equal("Growth", p.StrategyName);
            Assert.Equal("3", p.StrategyVersion);
            Assert.Equal(new[] { "eip155:1:0x1", "eip155:8453:0x2" }, p.SmartAccountIds);
            Assert.Equal("active", p.ScheduleStatus);
            Assert.Equal(TimeSpan.FromDays(1), p.Schedule!.GetInterval());
            Assert.Equal(new DateTimeOffset(2026, 11, 26, 0, 0, 0, TimeSpan.Zero), p.NextDueAt);
            Assert.Equal(new DateTimeOffset(2026, 11, 25, 0, 0, 0, 123, TimeSpan.Zero), p.LastRebalanceAt);
            Assert.Equal(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero), p.CreatedAt);
            Assert.Equal(Responses.CorrelationId, p.CorrelationId);
            Assert.Equal(Responses.RequestId, p.RequestId);
        }

        [Fact]
        public async Task RenamedFieldsAreRead()
        {
            const string json = @"{""success"":true,""data"":{""portfolioId"":""pf_1"",""userAccountId"":""eip155:0:0xold"",""vaultAccountIds"":[""eip155:1:0xv""]}}";
            Portfolio p = await Read(json, c => c.GetPortfolioAsync("pf_1", CancellationToken.None));

            Assert.Equal("eip155:0:0xold", p.OwnerAccountId);
            Assert.Equal(new[] { "eip155:1:0xv" }, p.SmartAccountIds);
            Assert.Null(p.Schedule);
            Assert.Null(p.NextDueAt);
        }

        [Fact]
        public async Task WrongTypesExtraAndMissingFieldsBecomeNull()
        {
            const string json = @"{""success"":true,""extra"":{""a"":[1,2]},""data"":{""portfolioId"":""pf_1"",""ownerAccountId"":42,""strategyName"":{""x"":1},
                ""smartAccounts"":""not-an-array"",""schedule"":{""status"":true,""intervalMs"":""oops"",""nextDueAt"":12345,""lastRebalanceAt"":""yesterday""},
                ""createdAt"":false,""brandNewField"":[{}]}}";
            Portfolio p = await Read(json, c => c.GetPortfolioAsync("pf_1", CancellationToken.None));

            Assert.Null(p.OwnerAccountId);
            Assert.Null(p.StrategyName);
            Assert.Empty(p.SmartAccountIds);
            Assert.NotNull(p.Schedule);
            Assert.Null(p.ScheduleStatus);
            Assert.Null(p.Schedule!.GetInterval());
            Assert.Null(p.NextDueAt);
            Assert.Null(p.LastRebalanceAt);
            Assert.Null(p.CreatedAt);
        }

        [Fact]
        public async Task AbsurdIntervalsAreNullNotAnOverflow()
        {
            const string json = @"{""success"":true,""data"":{""portfolioId"":""pf_1"",""schedule"":{""intervalMs"":1e300}}}";
            Portfolio p = await Read(json, c => c.GetPortfolioAsync("pf_1", CancellationToken.None));
            Assert.Null(p.Schedule!.GetInterval());
        }

        [Fact]
        public async Task APageCarriesItsCursorAndEveryPortfolio()
        {
            const string json = @"{""success"":true,""data"":{""portfolios"":[{""portfolioId"":""pf_2""},{""portfolioId"":""pf_1"",""schedule"":null}]},""nextCursor"":""c2""}";
            PortfolioPage page = await Read(json, c => c.ListPortfoliosAsync(new PortfolioQuery(), null, CancellationToken.None));

            Assert.Equal(new[] { "pf_2", "pf_1" }, page.Portfolios.Select(p => p.PortfolioId));
            Assert.Equal("c2", page.NextCursor);
            Assert.Equal(Responses.CorrelationId, page.Portfolios[0].CorrelationId);
        }

        [Fact]
        public async Task TheLastPageHasANullCursor()
        {
            const string json = @"{""success"":true,""data"":{""portfolios"":[]},""nextCursor"":null}";
            PortfolioPage page = await Read(json, c => c.ListPortfoliosAsync(null!, null, CancellationToken.None));
            Assert.Empty(page.Portfolios);
            Assert.Null(page.NextCursor);
        }

        [Fact]
        public async Task AnUnknownStateAndKindAreKeptAndNotTerminal()
        {
            const string json = @"{""success"":true,""data"":{""operationId"":""op:1"",""portfolioId"":""pf_1"",""kind"":""teleport"",""state"":""quantum_superposition"",""finishedAt"":null,""error"":null}}";
            Operation op = await Read(json, c => c.GetOperationAsync("pf_1", "op:1", CancellationToken.None));

            Assert.Equal("teleport", op.Kind);
            Assert.Equal("quantum_superposition", op.State);
            Assert.False(op.IsTerminal);
        }

        [Theory]
        [InlineData("completed", true)]
        [InlineData("failed", true)]
        [InlineData("cancelled", true)]
        [InlineData("running", false)]
        [InlineData("retrying", false)]
        [InlineData("awaiting_user", false)]
        [InlineData("COMPLETED", false)]
        public async Task TerminalStatesAreTheDocumentedThree(string state, bool terminal)
        {
            string json = $@"{{""success"":true,""data"":{{""operationId"":""op:1"",""state"":""{state}"",""error"":""insufficient liquidity"",""finishedAt"":""2026-11-25T12:01:00Z""}}}}";
            Operation op = await Read(json, c => c.GetOperationAsync("pf_1", "op:1", CancellationToken.None));

            Assert.Equal(terminal, op.IsTerminal);
            Assert.Equal("insufficient liquidity", op.Error);
            Assert.Equal("pf_1", op.PortfolioId);
            Assert.Equal(new DateTimeOffset(2026, 11, 25, 12, 1, 0, TimeSpan.Zero), op.FinishedAt);
        }

        [Fact]
        public async Task TheOperationIdAskedForIsKeptByteForByte()
        {
            const string json = @"{""success"":true,""data"":{""operationId"":""rebalance:pf_1:pf_1:manual"",""state"":""running""}}";
            Operation op = await Read(json, c => c.GetOperationAsync("pf_1", "rebalance:pf_1:pf_1%3Amanual", CancellationToken.None));
            Assert.Equal("rebalance:pf_1:pf_1%3Amanual", op.OperationId);
        }

        [Fact]
        public async Task ARebalanceSubmissionIsRead()
        {
            const string json = @"{""success"":true,""data"":{""operationId"":""rebalance:pf_1:x%3Ay"",""submittedAt"":""2026-11-25T12:00:00.000Z""}}";
            RebalanceSubmission s = await Read(json, c => c.StartRebalanceAsync("pf_1", CancellationToken.None), status: 202);

            Assert.Equal("rebalance:pf_1:x%3Ay", s.OperationId);
            Assert.Equal("pf_1", s.PortfolioId);
            Assert.Equal(new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero), s.SubmittedAt);
            Assert.Equal(Responses.CorrelationId, s.CorrelationId);
        }

        [Fact]
        public async Task WhoAmIIsRead()
        {
            const string json = @"{""success"":true,""data"":{""tenantName"":""Acme Capital"",""tenantEmail"":""ops@acme.test"",""apiKeyId"":""key_demo_rw"",""scopes"":[""portfolios:read"",{""name"":""portfolios:write""},7]}}";
            WhoAmI me = await Read(json, c => c.GetWhoAmIAsync(CancellationToken.None));

            Assert.Equal("Acme Capital", me.TenantName);
            Assert.Equal("key_demo_rw", me.ApiKeyId);
            Assert.Equal(new[] { "portfolios:read", "portfolios:write" }, me.Scopes);
        }

        [Theory]
        [InlineData("")]
        [InlineData("<html>hello</html>")]
        [InlineData("{\"success\":true}")]
        [InlineData("{\"success\":true,\"data\":[]}")]
        [InlineData("{\"success\":true,\"data\":{\"submittedAt\":\"2026-11-25T12:00:00Z\"}}")]
        [InlineData("{\"success\":true,\"data\":{\"operationId\":\"op")]
        [InlineData("[]")]
        public async Task AnUnreadableSuccessBodyIsAFormatError(string body)
        {
            var error = await Assert.ThrowsAsync<GliderResponseFormatException>(() =>
                Read(body, c => c.StartRebalanceAsync("pf_1", CancellationToken.None), status: 202));

            Assert.True(error.IsTransient);
            Assert.Equal(202, error.StatusCode);
            Assert.Contains("Rebalance of portfolio pf_1", error.Message);
            Assert.Equal(Responses.CorrelationId, error.CorrelationId);
        }

        [Fact]
        public async Task AByteOrderMarkBeforeTheJsonIsTolerated()
        {
            var handler = RecordingHandler.Always(() => new System.Net.Http.HttpResponseMessage(System.Net.HttpStatusCode.OK)
            {
                Content = new System.Net.Http.ByteArrayContent(new byte[] { 0xEF, 0xBB, 0xBF }.Concat(System.Text.Encoding.UTF8.GetBytes("{\"success\":true,\"data\":{\"portfolioId\":\"pf_1\"}}")).ToArray()),
            });
            using GliderClient client = TestClients.Create(handler, o => o.MaxRetryAttempts = 0);
            Portfolio p = await client.GetPortfolioAsync("pf_1", CancellationToken.None);
            Assert.Equal("pf_1", p.PortfolioId);
        }

        [Fact]
        public async Task AListEntryWithoutAnIdIsAFormatError()
        {
            const string json = @"{""success"":true,""data"":{""portfolios"":[{""strategyId"":""s""}]}}";
            await Assert.ThrowsAsync<GliderResponseFormatException>(() => Read(json, c => c.ListPortfoliosAsync(new PortfolioQuery(), null, CancellationToken.None)));
        }
    }
}
