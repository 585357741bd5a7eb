using System;
using System.Collections.Generic;
using System.Runtime.InteropServices;
using System.Security;
using System.Security.Cryptography;
using System.Text;
using Glider.Client;

namespace Glider.PowerShell
{
    /// <summary>
    /// One GliderClient (one HttpClient, one connection pool) per base URI and key for the whole process, shared by
    /// every runspace and every call: a runbook that reconnects or runs on GLIDER_API_KEY alone never opens a socket
    /// pool per call. Clients are never disposed while the process lives because a connection handed to another
    /// runspace (ForEach-Object -Parallel with $using:) may still use one; the number of distinct keys bounds them.
    /// The cache key is an HMAC of the key under a per-process random secret, so nothing stored here can be reversed
    /// or compared across processes.
    /// </summary>
    internal static class GliderClientCache
    {
        private static readonly Dictionary<string, GliderClient> Clients = new Dictionary<string, GliderClient>(StringComparer.Ordinal);
        private static readonly byte[] HashSecret = NewSecret();

        public static GliderClient GetOrCreate(Uri normalizedBaseUri, SecureString apiKey, string userAgentSuffix, ClientSettings? settings = null)
        {
            ClientSettings chosen = settings ?? ClientSettings.Default;
            string cacheKey = normalizedBaseUri.AbsoluteUri + "|" + chosen + "|" + Hash(apiKey);
            lock (Clients)
            {
                if (!Clients.TryGetValue(cacheKey, out GliderClient? client))
                {
                    // The client keeps its own read-only copy, so a caller disposing its SecureString breaks nothing.
                    SecureString copy = apiKey.Copy();
                    copy.MakeReadOnly();
                    client = new GliderClient(CreateOptions(normalizedBaseUri, userAgentSuffix, chosen), copy);
                    Clients.Add(cacheKey, client);
                }

                return client;
            }
        }

        public static GliderClient GetOrCreate(Uri normalizedBaseUri, string apiKey, string userAgentSuffix, ClientSettings? settings = null)
        {
            ClientSettings chosen = settings ?? ClientSettings.Default;
            string cacheKey = normalizedBaseUri.AbsoluteUri + "|" + chosen + "|" + Hash(Encoding.Unicode.GetBytes(apiKey), clear: true);
            lock (Clients)
            {
                if (!Clients.TryGetValue(cacheKey, out GliderClient? client))
                {
                    client = new GliderClient(CreateOptions(normalizedBaseUri, userAgentSuffix, chosen), ToSecureString(apiKey));
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
            // Static and stateless: traces reach whichever cmdlet started the call through an AsyncLocal route.
            OnRequest = RequestTraceRouter.Dispatch,
        };

        private static SecureString ToSecureString(string value)
        {
            var secure = new SecureString();
            foreach (char c in value)
            {
                secure.AppendChar(c);
            }

            secure.MakeReadOnly();
            return secure;
        }

        private static string Hash(SecureString value)
        {
            IntPtr unmanaged = Marshal.SecureStringToGlobalAllocUnicode(value);
            try
            {
                var bytes = new byte[value.Length * 2];
                Marshal.Copy(unmanaged, bytes, 0, bytes.Length);
                return Hash(bytes, clear: true);
            }
            finally
            {
                Marshal.ZeroFreeGlobalAllocUnicode(unmanaged);
            }
        }

        private static string Hash(byte[] plain, bool clear)
        {
            try
            {
                using (var hmac = new HMACSHA256(HashSecret))
                {
                    return Convert.ToBase64String(hmac.ComputeHash(plain));
                }
            }
            finally
            {
                if (clear)
                {
                    Array.Clear(plain, 0, plain.Length);
                }
            }
        }

        private static byte[] NewSecret()
        {
            var secret = new byte[32];
            using (RandomNumberGenerator rng = RandomNumberGenerator.Create())
            {
                rng.GetBytes(secret);
            }

            return secret;
        }
    }
}
