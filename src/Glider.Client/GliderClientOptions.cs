using System;
using System.Net.Http;

namespace Glider.Client
{
    /// <summary>How a GliderClient talks to the API. Defaults follow the documented contract.</summary>
    internal sealed class GliderClientOptions
    {
        public const string ProductionBaseUri = GliderBaseUri.Production + "/v2/";

        /// <summary>API root, with or without the /v2 suffix; http:// only for loopback hosts.</summary>
        public Uri BaseUri { get; set; } = new Uri(ProductionBaseUri);
        /// <summary>Limit of one attempt (not of the whole retry sequence).</summary>
        public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);
        /// <summary>Retries after the first attempt, for the requests that may be retried.</summary>
        public int MaxRetryAttempts { get; set; } = 4;
        /// <summary>First backoff step; grows exponentially with jitter.</summary>
        public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(1);
        /// <summary>A server-asked wait longer than this is not slept through; the 429 is raised to the caller instead.</summary>
        public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(60);
        /// <summary>Appended to "GliderPS/&lt;version&gt;", e.g. "PowerShell/7.6.9 (Linux)".</summary>
        public string? UserAgentSuffix { get; set; }
        public TimeProvider TimeProvider { get; set; } = TimeProvider.System;
        /// <summary>For tests: the innermost handler. Null uses a pooled SocketsHttpHandler/HttpClientHandler with redirects off.</summary>
        public HttpMessageHandler? InnerHandler { get; set; }
        /// <summary>How requests reach the API: the system's proxy unless set. Ignored with InnerHandler.</summary>
        public ProxySettings Proxy { get; set; } = ProxySettings.SystemDefault;
        /// <summary>Called after every attempt, from any thread; never given the key or headers.</summary>
        public Action<RequestTrace>? OnRequest { get; set; }
    }
}
