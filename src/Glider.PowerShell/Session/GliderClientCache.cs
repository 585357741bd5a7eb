using System;
using System.Collections.Generic;
using System.Net;
using System.Security;
using Glider.Client;

namespace Glider.PowerShell
{
    /// <summary>
    /// One GliderClient (one HttpClient, one connection pool, one pacing gate) per base URI, key and settings for the
    /// whole process, shared by every runspace and every call: a runbook that reconnects or runs on GLIDER_API_KEY alone
    /// never opens a socket pool per call, and every command of one key paces itself against the same limits. Clients
    /// are never disposed while the process lives because a connection handed to another runspace (ForEach-Object
    /// -Parallel with $using:) may still use one; the number of distinct keys bounds them.
    /// </summary>
    /// <remarks>
    /// Keyed plainly on the key's text (and a proxy password, when one was given): the transport reveals the key into every request's header anyway, so hiding it
    /// from this dictionary would protect nothing. The key stays a SecureString at the parameter boundary and in the
    /// connection, and never reaches an output stream, an error or a trace.
    /// </remarks>
    internal static class GliderClientCache
    {
        private static readonly Dictionary<string, GliderClient> Clients = new Dictionary<string, GliderClient>(StringComparer.Ordinal);

        public static GliderClient GetOrCreate(Uri normalizedBaseUri, SecureString apiKey, string userAgentSuffix, ClientSettings? settings = null) =>
            GetOrCreate(normalizedBaseUri, new NetworkCredential(string.Empty, apiKey).Password, userAgentSuffix, settings);

        public static GliderClient GetOrCreate(Uri normalizedBaseUri, string apiKey, string userAgentSuffix, ClientSettings? settings = null)
        {
            ClientSettings chosen = settings ?? ClientSettings.Default;
            string cacheKey = normalizedBaseUri.AbsoluteUri + "\n" + chosen.CacheKey() + "\n" + apiKey;
            lock (Clients)
            {
                if (!Clients.TryGetValue(cacheKey, out GliderClient? client))
                {
                    client = new GliderClient(CreateOptions(normalizedBaseUri, userAgentSuffix, chosen), new NetworkCredential(string.Empty, apiKey).SecurePassword);
                    Clients.Add(cacheKey, client);
                }

                return client;
            }
        }

        private static GliderClientOptions CreateOptions(Uri baseUri, string userAgentSuffix, ClientSettings settings) => new GliderClientOptions
        {
            BaseUri = baseUri,
            UserAgentSuffix = userAgentSuffix,
            RequestTimeout = settings.RequestTimeout,
            MaxRetryAttempts = settings.MaxRetryAttempts,
            Proxy = settings.Proxy,
            // Static and stateless: traces reach whichever cmdlet started the call through an AsyncLocal route.
            OnRequest = RequestTraceRouter.Dispatch,
        };
    }
}
