using System;
using System.Net;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using Glider.Client.Errors;
using Glider.Client.Tests.Support;
using Xunit;

namespace Glider.Client.Tests
{
    /// <summary>The proxy settings as the client holds, shows and maps them; the real proxy is in tests/Pester/Proxy.Tests.ps1.</summary>
    public sealed class ProxyTests
    {
        private static readonly Uri ProxyUri = new Uri("http://127.0.0.1:3128");

        // The API's host, not loopback: the Framework's WebProxy (the desktop leg) bypasses loopback whatever it is told.
        private static GliderClient ClientThrough(RecordingHandler handler) =>
            TestClients.Create(handler, options =>
            {
                options.BaseUri = new Uri("https://api.glider.fi/v2/");
                options.Proxy = ProxySettings.Explicit(ProxyUri, null, useDefaultCredentials: false);
            });

        [Fact]
        public async Task A407AnswerIsTheProxysOwnErrorNamingTheProxyAndIsNotRetried()
        {
            var handler = RecordingHandler.Always(() => Responses.Text(407, "<html>Proxy Authentication Required</html>"));
            using GliderClient client = ClientThrough(handler);

            var error = await Assert.ThrowsAsync<GliderProxyAuthenticationException>(() => client.GetPortfolioAsync("pf_1", CancellationToken.None));

            Assert.Equal(new Uri("http://127.0.0.1:3128/"), error.Proxy);
            Assert.Equal(407, error.StatusCode);
            Assert.False(error.IsTransient);
            Assert.Contains("proxy http://127.0.0.1:3128", error.Message, StringComparison.Ordinal);
            Assert.Contains("407", error.Message, StringComparison.Ordinal);
            Assert.Equal(1, handler.Count);
        }

        [Theory]
        [InlineData("407")]
        [InlineData("401")]
        public async Task ATunnelRefusedForCredentialsIsTheProxysOwnErrorAndIsNotRetried(string status)
        {
            // SocketsHttpHandler's words when CONNECT is refused; tinyproxy refuses a wrong password with 401.
            var handler = new RecordingHandler((request, n) =>
                throw new HttpRequestException($"The proxy tunnel request to proxy 'http://127.0.0.1:3128/' failed with status code '{status}'."));
            using GliderClient client = ClientThrough(handler);

            var error = await Assert.ThrowsAsync<GliderProxyAuthenticationException>(() => client.GetPortfolioAsync("pf_1", CancellationToken.None));

            Assert.Contains("HTTP " + status, error.Message, StringComparison.Ordinal);
            Assert.Equal(1, handler.Count);
        }

        [Fact]
        public async Task AnotherTunnelFailureStaysATransportFailure()
        {
            var handler = new RecordingHandler((request, n) =>
                throw new HttpRequestException("The proxy tunnel request to proxy 'http://127.0.0.1:3128/' failed with status code '502'."));
            using GliderClient client = TestClients.Create(handler, options => options.MaxRetryAttempts = 1);

            await Assert.ThrowsAsync<GliderTransportException>(() => client.GetPortfolioAsync("pf_1", CancellationToken.None));
            Assert.Equal(2, handler.Count);
        }

        [Fact]
        public void AProxyUriWithUserInfoIsRefusedWithoutBeingQuoted()
        {
            var error = Assert.Throws<ArgumentException>(() => ProxySettings.Explicit(new Uri("http://someone:not-to-be-shown@127.0.0.1:3128"), null, false));

            Assert.DoesNotContain("not-to-be-shown", error.Message, StringComparison.Ordinal);
            Assert.Contains("-ProxyCredential", error.Message, StringComparison.Ordinal);
        }

        [Theory]
        [InlineData("ftp://127.0.0.1:21")]
        [InlineData("http://127.0.0.1:3128/path")]
        public void AProxyUriThatIsNotJustAnHttpAuthorityIsRefused(string uri)
        {
            Assert.Throws<ArgumentException>(() => ProxySettings.Explicit(new Uri(uri), null, false));
        }

        [Fact]
        public void TheCredentialIsPartOfTheCacheKeyButNeverOfTheDescription()
        {
            var target = new Uri("https://api.glider.fi/v2/");
            ProxySettings first = ProxySettings.Explicit(ProxyUri, new NetworkCredential("user", "first-password"), false);
            ProxySettings second = ProxySettings.Explicit(ProxyUri, new NetworkCredential("user", "second-password"), false);

            Assert.NotEqual(first.CacheKey(), second.CacheKey());
            Assert.NotEqual(first.CacheKey(), ProxySettings.Explicit(ProxyUri, null, false).CacheKey());
            Assert.NotEqual(ProxySettings.SystemDefault.CacheKey(), ProxySettings.Direct.CacheKey());
            Assert.Equal("through the proxy http://127.0.0.1:3128/ (-Proxy, with -ProxyCredential)", first.Describe(target));
            Assert.DoesNotContain("first-password", first.Describe(target), StringComparison.Ordinal);
            Assert.Equal(ProxyUri, first.ProxyFor(target));
            Assert.Null(ProxySettings.Direct.ProxyFor(target));
        }

        [Fact]
        public void AProxyFromTheEnvironmentIsShownWithoutItsUserInfo()
        {
            Assert.Equal("http://proxy.example:3128/", ProxySettings.WithoutUserInfo(new Uri("http://user:secret@proxy.example:3128/")).AbsoluteUri);
        }
    }
}
