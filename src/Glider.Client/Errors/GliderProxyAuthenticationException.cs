using System;

namespace Glider.Client.Errors
{
    /// <summary>
    /// The proxy between the client and the API answered 407: it wants credentials, or refused the ones given. Nothing
    /// reached the API, and retrying cannot help until the proxy credentials change.
    /// </summary>
    public sealed class GliderProxyAuthenticationException : GliderException
    {
        public GliderProxyAuthenticationException(string message, Uri? proxy, Exception? innerException = null)
            : base(message, innerException)
        {
            Proxy = proxy;
            StatusCode = 407;
        }

        /// <summary>The proxy that refused (scheme, host and port; never credentials), when known.</summary>
        public Uri? Proxy { get; }
    }
}
