using System;
using Xunit;

namespace Glider.Emulator.Tests
{
    public sealed class CommandLineTests
    {
        [Theory]
        [InlineData("http://0.0.0.0:0")]
        [InlineData("http://192.168.1.10:8080")]
        [InlineData("http://[::]:0")]
        [InlineData("http://*:5000")]
        [InlineData("http://+:5000")]
        [InlineData("http://example.com:80")]
        [InlineData("https://127.0.0.1:0")]
        [InlineData("http://127.0.0.1:0;http://0.0.0.0:0")]
        public void Non_loopback_urls_are_refused(string urls)
        {
            Assert.Throws<ArgumentException>(() => CommandLine.Parse(new[] { "--urls", urls }));
        }

        [Theory]
        [InlineData("http://127.0.0.1:0", 0)]
        [InlineData("http://127.0.0.1:5123", 5123)]
        [InlineData("http://localhost:5124", 5124)]
        public void Loopback_urls_give_the_port(string urls, int port)
        {
            Assert.Equal(port, CommandLine.Parse(new[] { "--urls", urls }).Options.Port);
        }

        [Fact]
        public void Https_needs_a_certificate_and_a_certificate_needs_https()
        {
            var parsed = CommandLine.Parse(new[] { "--urls", "https://127.0.0.1:0", "--tls-certificate", "emulator.pfx" });
            Assert.Equal("emulator.pfx", parsed.Options.TlsCertificatePath);
            Assert.Throws<ArgumentException>(() => CommandLine.Parse(new[] { "--urls", "http://127.0.0.1:0", "--tls-certificate", "emulator.pfx" }));
            Assert.Throws<ArgumentException>(() => CommandLine.Parse(new[] { "--urls", "https://0.0.0.0:0", "--tls-certificate", "emulator.pfx" }));
        }

        [Fact]
        public void Options_are_parsed()
        {
            var parsed = CommandLine.Parse(new[] { "--urls=http://127.0.0.1:0", "--operation-ms", "50", "--cooldown-seconds", "0.5", "--portfolios", "1000", "--exit-on-stdin-close" });
            Assert.Equal(50, parsed.Options.OperationMs);
            Assert.Equal(0.5, parsed.Options.CooldownSeconds);
            Assert.Equal(1000, parsed.Options.PortfolioCount);
            Assert.True(parsed.ExitOnStdinClose);
            Assert.True(parsed.Options.HandleConsoleSignals);
        }

        [Theory]
        [InlineData("--bogus")]
        [InlineData("--operation-ms")]
        [InlineData("--operation-ms", "soon")]
        [InlineData("--portfolios", "-3")]
        public void Bad_arguments_are_refused(params string[] args)
        {
            Assert.Throws<ArgumentException>(() => CommandLine.Parse(args));
        }
    }
}
