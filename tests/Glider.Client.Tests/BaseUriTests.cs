using System;
using Glider.Client.Tests.Support;
using Xunit;

namespace Glider.Client.Tests
{
    public class BaseUriTests
    {
        private static GliderClient Create(string baseUri) =>
            new GliderClient(new GliderClientOptions { BaseUri = new Uri(baseUri), InnerHandler = RecordingHandler.Always(() => Responses.Portfolio()) }, TestClients.Secure(TestClients.Key));

        [Theory]
        [InlineData("https://api.glider.fi", "https://api.glider.fi/v2/")]
        [InlineData("https://api.glider.fi/", "https://api.glider.fi/v2/")]
        [InlineData("https://api.glider.fi/v2", "https://api.glider.fi/v2/")]
        [InlineData("https://api.glider.fi/v2/", "https://api.glider.fi/v2/")]
        [InlineData("https://API.Glider.fi:443/v2//", "https://api.glider.fi/v2/")]
        [InlineData("https://gw.example.com:8443/proxy/glider", "https://gw.example.com:8443/proxy/glider/v2/")]
        [InlineData("http://127.0.0.1:5000", "http://127.0.0.1:5000/v2/")]
        [InlineData("http://127.8.9.10:5000/v2", "http://127.8.9.10:5000/v2/")]
        [InlineData("http://localhost:5000/v2/", "http://localhost:5000/v2/")]
        [InlineData("http://[::1]:5000/", "http://[::1]:5000/v2/")]
        public void TheBaseIsNormalizedToV2WithTrailingSlash(string given, string expected)
        {
            using GliderClient client = Create(given);
            Assert.Equal(expected, client.BaseUri.AbsoluteUri);
        }

        [Fact]
        public void TheDefaultIsProduction()
        {
            using var client = new GliderClient(new GliderClientOptions(), TestClients.Secure(TestClients.Key));
            Assert.Equal("https://api.glider.fi/v2/", client.BaseUri.AbsoluteUri);
        }

        [Theory]
        [InlineData("http://api.glider.fi/v2")]
        [InlineData("http://10.0.0.5:5000")]
        [InlineData("http://128.0.0.1")]
        [InlineData("http://localhost.example.com")]
        [InlineData("ftp://api.glider.fi/v2")]
        [InlineData("https://user:pass@api.glider.fi/v2")]
        [InlineData("https://api.glider.fi/v2?x=1")]
        public void InsecureOrOddBasesAreRefusedNamingTheParameter(string given)
        {
            var error = Assert.Throws<ArgumentException>(() => Create(given));
            Assert.Equal("BaseUri", error.ParamName);
        }

        [Fact]
        public void HttpRefusalSaysWhy()
        {
            var error = Assert.Throws<ArgumentException>(() => Create("http://api.glider.fi/v2"));
            Assert.Contains("https", error.Message);
            Assert.Contains("loopback", error.Message);
        }

        [Fact]
        public void ARelativeBaseIsRefused()
        {
            var error = Assert.Throws<ArgumentException>(() =>
                new GliderClient(new GliderClientOptions { BaseUri = new Uri("/v2", UriKind.Relative) }, TestClients.Secure(TestClients.Key)));
            Assert.Equal("BaseUri", error.ParamName);
        }
    }
}
