using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using System.Text.Json;
using System.Threading.Tasks;
using Glider.Emulator.Tests.TestSupport;
using Xunit;

namespace Glider.Emulator.Tests
{
    public sealed class PortfolioListTests
    {
        [Fact]
        public async Task Two_hundred_fifty_portfolios_come_as_a_page_of_200_and_a_page_of_50()
        {
            await using var emu = await TestEmulator.StartAsync();
            var first = await emu.GetAsync("v2/portfolios?limit=200");
            Assert.Equal(200, first.StatusCode);
            Assert.Equal(200, first.Portfolios.Count);
            var cursor = first.Json.GetProperty("nextCursor").GetString();
            Assert.False(string.IsNullOrEmpty(cursor));
            Assert.False(first.Data.TryGetProperty("nextCursor", out _), "nextCursor is a sibling of data, not inside it");

            var second = await emu.GetAsync("v2/portfolios?limit=200&cursor=" + Uri.EscapeDataString(cursor!));
            Assert.Equal(200, second.StatusCode);
            Assert.Equal(50, second.Portfolios.Count);
            Assert.Equal(JsonValueKind.Null, second.Json.GetProperty("nextCursor").ValueKind);

            var all = first.Portfolios.Concat(second.Portfolios).ToList();
            var ids = all.Select(p => p.GetProperty("portfolioId").GetString()!).ToList();
            Assert.Equal(250, ids.Distinct().Count());
            Assert.All(ids, id => Assert.StartsWith("pf_acme_", id));
            Assert.Equal("pf_acme_0250", ids[0]);
            Assert.Equal("pf_acme_0001", ids[^1]);
            var created = all.Select(p => DateTimeOffset.Parse(p.GetProperty("createdAt").GetString()!, System.Globalization.CultureInfo.InvariantCulture)).ToList();
            Assert.Equal(created.OrderByDescending(c => c).ToList(), created);
        }

        [Fact]
        public async Task List_items_carry_the_documented_fields()
        {
            await using var emu = await TestEmulator.StartAsync();
            var item = (await emu.GetAsync("v2/portfolios?limit=1")).Portfolios.Single();
            foreach (var field in new[] { "portfolioId", "ownerAccountId", "strategyId", "strategyName", "strategyDescription", "smartAccounts", "schedule", "createdAt" })
            {
                Assert.True(item.TryGetProperty(field, out _), "missing " + field);
            }
        }

        [Fact]
        public async Task Without_a_limit_the_page_has_50()
        {
            await using var emu = await TestEmulator.StartAsync();
            var page = await emu.GetAsync("v2/portfolios");
            Assert.Equal(50, page.Portfolios.Count);
            Assert.Equal(JsonValueKind.String, page.Json.GetProperty("nextCursor").ValueKind);
        }

        [Fact]
        public async Task Walking_every_cursor_returns_each_portfolio_once()
        {
            await using var emu = await TestEmulator.StartAsync();
            var seen = new List<string>();
            string? cursor = null;
            var pages = 0;
            do
            {
                var page = await emu.GetAsync("v2/portfolios?limit=37" + (cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor)));
                Assert.Equal(200, page.StatusCode);
                seen.AddRange(page.Portfolios.Select(p => p.GetProperty("portfolioId").GetString()!));
                var next = page.Json.GetProperty("nextCursor");
                cursor = next.ValueKind == JsonValueKind.Null ? null : next.GetString();
                pages++;
            }
            while (cursor is not null && pages < 50);
            Assert.Equal(7, pages);
            Assert.Equal(250, seen.Count);
            Assert.Equal(250, seen.Distinct().Count());
        }

        [Theory]
        [InlineData("0")]
        [InlineData("201")]
        [InlineData("-1")]
        [InlineData("abc")]
        [InlineData("1.5")]
        [InlineData("")]
        public async Task A_limit_outside_1_to_200_is_400(string limit)
        {
            await using var emu = await TestEmulator.StartAsync();
            var result = await emu.GetAsync("v2/portfolios?limit=" + limit);
            Assert.Equal(400, result.StatusCode);
            Assert.Equal("API_400", result.ErrorCode);
            Assert.Equal("limit", result.Json.GetProperty("error").GetProperty("details").GetProperty("parameter").GetString());
        }

        [Theory]
        [InlineData("1")]
        [InlineData("200")]
        public async Task The_limit_bounds_are_inclusive(string limit)
        {
            await using var emu = await TestEmulator.StartAsync();
            var result = await emu.GetAsync("v2/portfolios?limit=" + limit);
            Assert.Equal(200, result.StatusCode);
            Assert.Equal(int.Parse(limit, System.Globalization.CultureInfo.InvariantCulture), result.Portfolios.Count);
        }

        [Theory]
        [InlineData("garbage")]
        [InlineData("c1.%21%21%21")]
        [InlineData("c1.bm90LWEtcG9zaXRpb24")]
        [InlineData("")]
        public async Task A_bad_cursor_is_400(string cursor)
        {
            await using var emu = await TestEmulator.StartAsync();
            var result = await emu.GetAsync("v2/portfolios?cursor=" + cursor);
            Assert.Equal(400, result.StatusCode);
            Assert.Equal("API_400", result.ErrorCode);
        }

        [Theory]
        [InlineData("active", 200)]
        [InlineData("paused", 40)]
        public async Task Status_filters_by_schedule_status(string status, int expected)
        {
            await using var emu = await TestEmulator.StartAsync();
            var result = await emu.GetAsync("v2/portfolios?limit=200&status=" + status);
            Assert.Equal(expected, result.Portfolios.Count);
            Assert.All(result.Portfolios, p => Assert.Equal(status, p.GetProperty("schedule").GetProperty("status").GetString()));
        }

        [Theory]
        [InlineData("Active")]
        [InlineData("archived")]
        [InlineData("")]
        public async Task An_unknown_status_is_400(string status)
        {
            await using var emu = await TestEmulator.StartAsync();
            var result = await emu.GetAsync("v2/portfolios?status=" + status);
            Assert.Equal(400, result.StatusCode);
            Assert.Equal("API_400", result.ErrorCode);
        }

        [Fact]
        public async Task StrategyId_filters_exactly()
        {
            await using var emu = await TestEmulator.StartAsync();
            var growth = await emu.GetAsync("v2/portfolios?limit=200&strategyId=strat_growth");
            Assert.Equal(83, growth.Portfolios.Count);
            Assert.All(growth.Portfolios, p => Assert.Equal("strat_growth", p.GetProperty("strategyId").GetString()));

            var none = await emu.GetAsync("v2/portfolios?strategyId=strat_unknown");
            Assert.Equal(200, none.StatusCode);
            Assert.Empty(none.Portfolios);
            Assert.Equal(JsonValueKind.Null, none.Json.GetProperty("nextCursor").ValueKind);
        }

        [Fact]
        public async Task OwnerAccountId_filters_and_matches_hex_case_insensitively()
        {
            await using var emu = await TestEmulator.StartAsync();
            var owner = (await emu.GetAsync("v2/portfolios/pf_acme_0001")).Data.GetProperty("ownerAccountId").GetString()!;
            Assert.Matches("^eip155:0:0x[0-9a-f]{40}$", owner);

            var result = await emu.GetAsync("v2/portfolios?limit=200&ownerAccountId=" + Uri.EscapeDataString(owner));
            Assert.Equal(
                Enumerable.Range(1, 10).Select(n => $"pf_acme_{n:0000}").Reverse().ToArray(),
                result.Portfolios.Select(p => p.GetProperty("portfolioId").GetString()).ToArray());

            var upper = "eip155:0:0x" + owner.Substring("eip155:0:0x".Length).ToUpperInvariant();
            Assert.Equal(10, (await emu.GetAsync("v2/portfolios?ownerAccountId=" + Uri.EscapeDataString(upper))).Portfolios.Count);
        }

        [Theory]
        [InlineData("eip155:1:0xac00000000000000000000000000000000000000")]
        [InlineData("eip155:0:0xac0000000000000000000000000000000000000")]
        [InlineData("eip155:0:0xac000000000000000000000000000000000000000")]
        [InlineData("eip155:0:ac00000000000000000000000000000000000000")]
        [InlineData("eip155:0:0xzz00000000000000000000000000000000000000")]
        [InlineData("0xac00000000000000000000000000000000000000")]
        public async Task A_malformed_ownerAccountId_is_400(string owner)
        {
            await using var emu = await TestEmulator.StartAsync();
            var result = await emu.GetAsync("v2/portfolios?ownerAccountId=" + Uri.EscapeDataString(owner));
            Assert.Equal(400, result.StatusCode);
            Assert.Equal("API_400", result.ErrorCode);
        }

        [Fact]
        public async Task Filters_combine_with_cursors()
        {
            await using var emu = await TestEmulator.StartAsync();
            var first = await emu.GetAsync("v2/portfolios?limit=30&status=paused");
            var cursor = first.Json.GetProperty("nextCursor").GetString()!;
            var second = await emu.GetAsync("v2/portfolios?limit=30&status=paused&cursor=" + Uri.EscapeDataString(cursor));
            Assert.Equal(30, first.Portfolios.Count);
            Assert.Equal(10, second.Portfolios.Count);
            Assert.Equal(JsonValueKind.Null, second.Json.GetProperty("nextCursor").ValueKind);
        }

        [Fact]
        public async Task Each_tenant_lists_only_its_own_portfolios()
        {
            await using var emu = await TestEmulator.StartAsync();
            var result = await emu.GetAsync("v2/portfolios?limit=200", EmulatorDemoKeys.OtherTenant);
            Assert.Equal(
                new[] { "pf_boreal_0005", "pf_boreal_0004", "pf_boreal_0003", "pf_boreal_0002", "pf_boreal_0001" },
                result.Portfolios.Select(p => p.GetProperty("portfolioId").GetString()).ToArray());
        }

        [Fact]
        public async Task Reset_with_a_portfolio_count_reseeds_the_list()
        {
            await using var emu = await TestEmulator.StartAsync();
            var reset = await emu.ControlAsync(HttpMethod.Post, "reset", "{\"portfolioCount\": 1000}");
            Assert.Equal(200, reset.StatusCode);
            var count = 0;
            string? cursor = null;
            do
            {
                var page = await emu.GetAsync("v2/portfolios?limit=200" + (cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor)));
                count += page.Portfolios.Count;
                var next = page.Json.GetProperty("nextCursor");
                cursor = next.ValueKind == JsonValueKind.Null ? null : next.GetString();
            }
            while (cursor is not null);
            Assert.Equal(1000, count);
        }
    }
}
