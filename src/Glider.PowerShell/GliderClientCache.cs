using System;
using System.Collections.Generic;
using System.Runtime.InteropServices;
using System.Security;
using Glider.Client;

namespace Glider.PowerShell
{
    /// <summary>
    /// One GliderClient (one HttpClient, one connection pool) per base URI and key for the whole process, shared by
    /// every runspace and every call: a runbook that reconnects or runs on GLIDER_API_KEY alone never opens a socket
    /// pool per call. Clients are never disposed while the process lives because a connection handed to another
    /// runspace (ForEach-Object -Parallel with $using:) may still use one; the number of distinct keys bounds them.
    /// </summary>
    /// <remarks>
    /// Nothing derived from a key is stored or used as a lookup key: each entry keeps its own read-only SecureString
    /// copy, and a lookup compares the presented key with the entries of the same base URI and settings (usually one)
    /// in constant time, clearing every decoded copy. An earlier version keyed a dictionary on an HMAC of the key; the
    /// first HMAC in a process loads the platform's crypto library, which was a quarter of Connect-Glider's cold cost
    /// (measured in docs/benchmarks.md).
    /// </remarks>
    internal static class GliderClientCache
    {
        private static readonly List<Entry> Entries = new List<Entry>();

        public static GliderClient GetOrCreate(Uri normalizedBaseUri, SecureString apiKey, string userAgentSuffix, ClientSettings? settings = null)
        {
            ClientSettings chosen = settings ?? ClientSettings.Default;
            string scope = Scope(normalizedBaseUri, chosen);
            IntPtr presented = Marshal.SecureStringToGlobalAllocUnicode(apiKey);
            try
            {
                lock (Entries)
                {
                    GliderClient? found = Find(scope, presented, apiKey.Length);
                    if (found != null)
                    {
                        return found;
                    }

                    // The entry and the client keep their own read-only copies, so a caller disposing its SecureString
                    // breaks nothing.
                    SecureString copy = apiKey.Copy();
                    copy.MakeReadOnly();
                    return Add(scope, copy, new GliderClient(CreateOptions(normalizedBaseUri, userAgentSuffix, chosen), copy));
                }
            }
            finally
            {
                Marshal.ZeroFreeGlobalAllocUnicode(presented);
            }
        }

        /// <summary>The GLIDER_API_KEY path, run on every call of a cmdlet that did not connect: no SecureString per call.</summary>
        public static GliderClient GetOrCreate(Uri normalizedBaseUri, string apiKey, string userAgentSuffix, ClientSettings? settings = null)
        {
            ClientSettings chosen = settings ?? ClientSettings.Default;
            string scope = Scope(normalizedBaseUri, chosen);
            lock (Entries)
            {
                foreach (Entry entry in Entries)
                {
                    if (entry.Matches(scope, apiKey))
                    {
                        return entry.Client;
                    }
                }

                SecureString copy = ToSecureString(apiKey);
                return Add(scope, copy, new GliderClient(CreateOptions(normalizedBaseUri, userAgentSuffix, chosen), copy));
            }
        }

        private static string Scope(Uri normalizedBaseUri, ClientSettings settings) => normalizedBaseUri.AbsoluteUri + "|" + settings;

        private static GliderClient? Find(string scope, IntPtr presented, int length)
        {
            foreach (Entry entry in Entries)
            {
                if (entry.Matches(scope, presented, length))
                {
                    return entry.Client;
                }
            }

            return null;
        }

        private static GliderClient Add(string scope, SecureString key, GliderClient client)
        {
            Entries.Add(new Entry(scope, key, client));
            return client;
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

        private sealed class Entry
        {
            private readonly string scope;
            private readonly SecureString key;

            public Entry(string scope, SecureString key, GliderClient client)
            {
                this.scope = scope;
                this.key = key;
                Client = client;
            }

            public GliderClient Client { get; }

            public bool Matches(string otherScope, IntPtr presented, int length)
            {
                if (!string.Equals(scope, otherScope, StringComparison.Ordinal) || key.Length != length)
                {
                    return false;
                }

                return Compare((index, stored) => stored ^ (char)Marshal.ReadInt16(presented, index * 2));
            }

            public bool Matches(string otherScope, string presented)
            {
                if (!string.Equals(scope, otherScope, StringComparison.Ordinal) || key.Length != presented.Length)
                {
                    return false;
                }

                return Compare((index, stored) => stored ^ presented[index]);
            }

            /// <summary>Decodes this entry's key for the moment of the comparison; every character is compared.</summary>
            private bool Compare(Func<int, int, int> difference)
            {
                IntPtr stored = Marshal.SecureStringToGlobalAllocUnicode(key);
                try
                {
                    int differences = 0;
                    for (int i = 0; i < key.Length; i++)
                    {
                        differences |= difference(i, (char)Marshal.ReadInt16(stored, i * 2));
                    }

                    return differences == 0;
                }
                finally
                {
                    Marshal.ZeroFreeGlobalAllocUnicode(stored);
                }
            }
        }
    }
}
