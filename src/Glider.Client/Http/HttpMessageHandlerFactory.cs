using System;
using System.Net;
using System.Net.Http;
#if !NET
using System.Security.Authentication;
using System.Threading;
using System.Threading.Tasks;
#endif

namespace Glider.Client.Http
{
    /// <summary>The pooled handler of one GliderClient: redirects off (the key must never follow one), no cookies.</summary>
    internal static class HttpMessageHandlerFactory
    {
        /// <summary>
        /// Connections one client may hold to the API host at once: the most requests the module keeps in flight
        /// (a -ThrottleLimit of at most 64) plus a few polls; beyond it requests queue for a connection.
        /// </summary>
        public const int MaxConnectionsPerHost = 64;

        /// <summary>How long one pooled connection is used before a new one (and a new DNS lookup) replaces it.</summary>
        public static readonly TimeSpan ConnectionLifetime = TimeSpan.FromMinutes(5);

        public static HttpMessageHandler Create(ProxySettings proxy)
        {
#if NET
            var handler = new SocketsHttpHandler
            {
                AllowAutoRedirect = false,
                UseCookies = false,
                AutomaticDecompression = DecompressionMethods.GZip | DecompressionMethods.Deflate | DecompressionMethods.Brotli,
                // Recycle connections so that a long-lived session follows DNS changes of the API.
                PooledConnectionLifetime = ConnectionLifetime,
                PooledConnectionIdleTimeout = TimeSpan.FromMinutes(1),
                ConnectTimeout = TimeSpan.FromSeconds(15),
            };
            ApplyProxy(proxy, handler);
            return handler;
#else
            var handler = new FrameworkHandler
            {
                AllowAutoRedirect = false,
                UseCookies = false,
            };
            if (handler.SupportsAutomaticDecompression)
            {
                handler.AutomaticDecompression = DecompressionMethods.GZip | DecompressionMethods.Deflate;
            }
            // .NET Framework's ServicePointManager allows 2 connections per host by default; the module keeps up to
            // MaxConnectionsPerHost requests in flight, which would otherwise queue behind two sockets. The API host's
            // ServicePoint is raised too (FrameworkHandler), should a runtime not carry this setting over to it.
            try
            {
                handler.MaxConnectionsPerServer = MaxConnectionsPerHost;
            }
            catch (PlatformNotSupportedException)
            {
            }
            SslProtocols protocols = TlsProtocolsFor(ServicePointManager.SecurityProtocol);
            if (protocols != SslProtocols.None)
            {
                try
                {
                    handler.SslProtocols = protocols;
                }
                catch (PlatformNotSupportedException)
                {
                    // Left to the process's settings: changing them would change every other module's connections.
                }
            }
            ApplyProxy(proxy, handler);
            return handler;
#endif
        }

        /// <summary>
        /// The same settings on both editions' handlers. The system proxy needs nothing: both handlers use it unless
        /// told otherwise (SocketsHttpHandler the environment's or Windows', the Framework's handler Windows').
        /// </summary>
#if NET
        private static void ApplyProxy(ProxySettings proxy, SocketsHttpHandler handler)
#else
        private static void ApplyProxy(ProxySettings proxy, HttpClientHandler handler)
#endif
        {
            switch (proxy.Mode)
            {
                case ProxySettings.ProxyMode.None:
                    handler.UseProxy = false;
                    break;
                case ProxySettings.ProxyMode.Explicit:
                    handler.UseProxy = true;
                    handler.Proxy = new WebProxy(proxy.Address)
                    {
                        // The API is never on the local network, and a proxy given explicitly is meant to be used:
                        // only the emulator (loopback) would be bypassed, which would hide a broken proxy in tests.
                        BypassProxyOnLocal = false,
                        UseDefaultCredentials = proxy.UseDefaultCredentials,
                        Credentials = proxy.Credential,
                    };
                    break;
            }
        }

#if !NET
        /// <summary>
        /// The protocols this client's handler asks for, given the process's ServicePointManager.SecurityProtocol; None
        /// leaves the handler to the process's choice. The API needs TLS 1.2 or newer. SystemDefault (0) lets Windows
        /// choose, which includes TLS 1.2 and, where Windows has it, TLS 1.3: pinning 1.2 would exclude 1.3, so that
        /// and any set already holding 1.2 are left alone. An older explicit set (Windows PowerShell 5.1 on an
        /// unpatched machine: SSL 3 and TLS 1.0) gets TLS 1.2 added for this handler only; SSL 3 is dropped.
        /// </summary>
        internal static SslProtocols TlsProtocolsFor(SecurityProtocolType process)
        {
            const SecurityProtocolType Tls12 = (SecurityProtocolType)3072;
            if (process == 0 || (process & Tls12) == Tls12)
            {
                return SslProtocols.None;
            }

            // Same bit values in both enums: TLS 1.0 = 192, 1.1 = 768, 1.2 = 3072, 1.3 = 12288.
            const int KeptFromProcess = 192 | 768 | 12288;
            return (SslProtocols)(((int)process & KeptFromProcess) | 3072);
        }

        /// <summary>
        /// The desktop build's handler. Besides the settings above, it gives the API host's ServicePoint a connection
        /// lease, the Framework's counterpart of PooledConnectionLifetime: without it a cached client (one per process)
        /// would keep its connections, and the address they were opened to, for as long as they stay busy. It also
        /// lifts that ServicePoint's connection limit to MaxConnectionsPerHost (the one host's, not the process
        /// default; never lowered).
        /// </summary>
        private sealed class FrameworkHandler : HttpClientHandler
        {
            // Held, not just configured: ServicePointManager forgets an idle ServicePoint, and the one it would make
            // next would have the defaults again.
            private ServicePoint? servicePoint;

            protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
            {
                Uri? target = request.RequestUri;
                ServicePoint? known = Volatile.Read(ref servicePoint);
                if (target != null && (known == null || !SameEndpoint(known.Address, target)))
                {
                    Volatile.Write(ref servicePoint, Lease(target));
                }
                return base.SendAsync(request, cancellationToken);
            }

            private static ServicePoint Lease(Uri target)
            {
                ServicePoint found = ServicePointManager.FindServicePoint(target);
                // A lease someone else set for this host (the user, another module) is theirs to keep.
                if (found.ConnectionLeaseTimeout == Timeout.Infinite)
                {
                    found.ConnectionLeaseTimeout = (int)ConnectionLifetime.TotalMilliseconds;
                }
                if (found.ConnectionLimit < MaxConnectionsPerHost)
                {
                    found.ConnectionLimit = MaxConnectionsPerHost;
                }
                return found;
            }

            private static bool SameEndpoint(Uri? known, Uri target) =>
                known != null
                && known.Port == target.Port
                && string.Equals(known.Scheme, target.Scheme, StringComparison.OrdinalIgnoreCase)
                && string.Equals(known.Host, target.Host, StringComparison.OrdinalIgnoreCase);
        }
#endif
    }
}
