using System;
using System.Linq;
using Xunit;

namespace Glider.Emulator.Tests
{
    public sealed class RateLimitCommandLineTests
    {
        [Fact]
        public void Rate_limit_options_are_parsed()
        {
            var parsed = CommandLine.Parse(new[]
            {
                "--rate-limit", "100/60",
                "--rate-limit-tier", "reads=ListPortfolios,getPortfolio,GetOperation:600/60",
                "--rate-limit-tier=writes=Rebalance,Stop,Start:10/0.5",
                "--rate-limit-bucketing", "per-ip",
                "--rate-limit-headers=tiered-only",
            });
            var options = parsed.Options;
            Assert.Equal(100, options.RateLimitPerWindow);
            Assert.Equal(60, options.RateLimitWindowSeconds);
            Assert.Equal(RateLimitBucketing.PerIp, options.RateLimitBucketing);
            Assert.Equal(RateLimitHeaderScope.TieredOnly, options.RateLimitHeaderScope);
            Assert.Equal(2, options.RateLimitTiers.Count);
            var reads = options.RateLimitTiers[0];
            Assert.Equal("reads", reads.Name);
            Assert.Equal(new[] { "ListPortfolios", "getPortfolio", "GetOperation" }, reads.Routes.ToArray());
            Assert.Equal(600, reads.Limit);
            Assert.Equal(60, reads.WindowSeconds);
            var writes = options.RateLimitTiers[1];
            Assert.Equal("writes", writes.Name);
            Assert.Equal(new[] { "Rebalance", "Stop", "Start" }, writes.Routes.ToArray());
            Assert.Equal(10, writes.Limit);
            Assert.Equal(0.5, writes.WindowSeconds);
        }

        [Fact]
        public void Without_rate_limit_options_the_defaults_keep_the_limiter_effectively_off()
        {
            var options = CommandLine.Parse(Array.Empty<string>()).Options;
            Assert.Equal(1_000_000, options.RateLimitPerWindow);
            Assert.Equal(1, options.RateLimitWindowSeconds);
            Assert.Empty(options.RateLimitTiers);
            Assert.Equal(RateLimitBucketing.PerKey, options.RateLimitBucketing);
            Assert.Equal(RateLimitHeaderScope.All, options.RateLimitHeaderScope);
        }

        [Fact]
        public void Help_is_asked_for()
        {
            Assert.True(CommandLine.Parse(new[] { "--help" }).ShowHelp);
            Assert.False(CommandLine.Parse(Array.Empty<string>()).ShowHelp);
        }

        [Theory]
        [InlineData("--rate-limit")]
        [InlineData("--rate-limit", "100")]
        [InlineData("--rate-limit", "0/60")]
        [InlineData("--rate-limit", "-1/60")]
        [InlineData("--rate-limit", "100/0")]
        [InlineData("--rate-limit", "100/-5")]
        [InlineData("--rate-limit", "1.5/60")]
        [InlineData("--rate-limit", "100/soon")]
        [InlineData("--rate-limit", "100/1e99")]
        [InlineData("--rate-limit-tier", "reads")]
        [InlineData("--rate-limit-tier", "reads=ListPortfolios")]
        [InlineData("--rate-limit-tier", "reads=ListPortfolios:600")]
        [InlineData("--rate-limit-tier", "=ListPortfolios:600/60")]
        [InlineData("--rate-limit-tier", "reads=:600/60")]
        [InlineData("--rate-limit-tier", "reads=ListPortfolios,,GetPortfolio:600/60")]
        [InlineData("--rate-limit-tier", "reads=DeletePortfolio:600/60")]
        [InlineData("--rate-limit-tier", "reads=NoSuchRoute:600/60")]
        [InlineData("--rate-limit-tier", "reads=MethodNotAllowed:600/60")]
        [InlineData("--rate-limit-tier", "global=ListPortfolios:600/60")]
        [InlineData("--rate-limit-tier", "two words=ListPortfolios:600/60")]
        [InlineData("--rate-limit-tier", "reads=ListPortfolios,ListPortfolios:600/60")]
        [InlineData("--rate-limit-tier", "reads=ListPortfolios:600/60", "--rate-limit-tier", "READS=GetPortfolio:600/60")]
        [InlineData("--rate-limit-tier", "reads=ListPortfolios:600/60", "--rate-limit-tier", "more=ListPortfolios:6/1")]
        [InlineData("--rate-limit-bucketing", "per-tenant")]
        [InlineData("--rate-limit-bucketing")]
        [InlineData("--rate-limit-headers", "some")]
        public void Bad_rate_limit_arguments_are_refused(params string[] args)
        {
            var refused = Assert.ThrowsAny<ArgumentException>(() => CommandLine.Parse(args));
            Assert.False(string.IsNullOrWhiteSpace(refused.Message));
        }

        [Fact]
        public void A_route_in_two_tiers_is_named_in_the_message()
        {
            var refused = Assert.ThrowsAny<ArgumentException>(() => CommandLine.Parse(new[]
            {
                "--rate-limit-tier", "reads=ListPortfolios:600/60", "--rate-limit-tier", "more=ListPortfolios:6/1",
            }));
            Assert.Contains("ListPortfolios", refused.Message);
            Assert.Contains("reads", refused.Message);
            Assert.Contains("more", refused.Message);
        }

        [Fact]
        public void An_unknown_route_is_refused_with_the_list_of_routes()
        {
            var refused = Assert.ThrowsAny<ArgumentException>(() => CommandLine.Parse(new[] { "--rate-limit-tier", "reads=Portfolios:600/60" }));
            Assert.Contains("'Portfolios'", refused.Message);
            Assert.Contains("ListPortfolios, GetPortfolio, Rebalance, GetOperation, Stop, Start, WhoAmI, Scopes", refused.Message);
        }
    }
}
