using System;
using System.Net;
#if NET
using System.Net.Http;
#endif

namespace Glider.Client
{
    /// <summary>
    /// How a client reaches the API: through the system's proxy (the default: HTTPS_PROXY/HTTP_PROXY/NO_PROXY, or the
    /// Windows settings), through a proxy given by the user, or directly. Invoke-RestMethod's meanings, so a script
    /// that works with one works with the other. The proxy's password lives only here and in the handler.
    /// </summary>
    internal sealed class ProxySettings
    {
        public enum ProxyMode
        {
            System,
            Explicit,
            None,
        }

        public static readonly ProxySettings SystemDefault = new ProxySettings(ProxyMode.System, null, null, false);
        public static readonly ProxySettings Direct = new ProxySettings(ProxyMode.None, null, null, false);

        private ProxySettings(ProxyMode mode, Uri? address, NetworkCredential? credential, bool useDefaultCredentials)
        {
            Mode = mode;
            Address = address;
            Credential = credential;
            UseDefaultCredentials = useDefaultCredentials;
        }

        public ProxyMode Mode { get; }
        /// <summary>The given proxy (Explicit only); never carries user info.</summary>
        public Uri? Address { get; }
        public NetworkCredential? Credential { get; }
        /// <summary>The process's own identity (Negotiate/NTLM on Windows) is offered to the proxy.</summary>
        public bool UseDefaultCredentials { get; }

        /// <summary>A proxy of the user's choosing. Refuses what a handler would misread or what would leak a password.</summary>
        public static ProxySettings Explicit(Uri address, NetworkCredential? credential, bool useDefaultCredentials)
        {
            if (address == null)
            {
                throw new ArgumentNullException(nameof(address));
            }

            if (!address.IsAbsoluteUri || (address.Scheme != Uri.UriSchemeHttp && address.Scheme != Uri.UriSchemeHttps))
            {
                throw new ArgumentException($"The proxy must be an absolute http:// or https:// URI, such as http://proxy.example:3128, not '{SafeText(address)}'.", "proxy");
            }

            if (!string.IsNullOrEmpty(address.UserInfo))
            {
                // Never echo the URI here: the user info is the secret.
                throw new ArgumentException("The proxy URI carries a user name or password; give them as -ProxyCredential instead, so they are never shown or logged.", "proxy");
            }

            if (address.PathAndQuery != "/" || !string.IsNullOrEmpty(address.Fragment))
            {
                throw new ArgumentException($"The proxy URI must be a scheme, host and port only, not '{address.AbsoluteUri}'.", "proxy");
            }

            if (credential != null && useDefaultCredentials)
            {
                throw new ArgumentException("Give either a proxy credential or the default credentials, not both.", "proxy");
            }

            return new ProxySettings(ProxyMode.Explicit, address, credential, useDefaultCredentials);
        }

        /// <summary>What distinguishes two settings for the client cache (credentials included: a different password is a different client).</summary>
        public string CacheKey() =>
            Mode switch
            {
                ProxyMode.Explicit => "proxy=" + Address!.AbsoluteUri + ";default=" + UseDefaultCredentials
                    + (Credential == null ? string.Empty : ";user=" + Credential.Domain + "\\" + Credential.UserName + ";password=" + Credential.Password),
                ProxyMode.None => "proxy=none",
                _ => "proxy=system",
            };

        /// <summary>The proxy that requests to <paramref name="target"/> go through, without user info; null when they go directly.</summary>
        public Uri? ProxyFor(Uri target)
        {
            switch (Mode)
            {
                case ProxyMode.None:
                    return null;
                case ProxyMode.Explicit:
                    // Asked of a proxy like the handler's: the Framework's WebProxy bypasses loopback whatever it is told.
                    return new WebProxy(Address) { BypassProxyOnLocal = false }.IsBypassed(target) ? null : Address;
                default:
                    try
                    {
#if NET
                        IWebProxy? system = HttpClient.DefaultProxy;
#else
                        IWebProxy? system = WebRequest.DefaultWebProxy;
#endif
                        if (system == null || system.IsBypassed(target))
                        {
                            return null;
                        }

                        Uri? proxy = system.GetProxy(target);
                        return proxy == null || proxy == target ? null : WithoutUserInfo(proxy);
                    }
                    catch (Exception ex) when (ex is PlatformNotSupportedException || ex is InvalidOperationException || ex is UriFormatException)
                    {
                        return null;
                    }
            }
        }

        /// <summary>One line for -Verbose and error messages: where requests go, and why. Never a credential.</summary>
        public string Describe(Uri target)
        {
            Uri? proxy = ProxyFor(target);
            return Mode switch
            {
                ProxyMode.None => "directly (-NoProxy)",
                ProxyMode.Explicit when proxy == null => $"directly: this runtime bypasses the proxy {Address} (-Proxy) for {target.Host}",
                ProxyMode.Explicit => $"through the proxy {proxy} (-Proxy{(Credential != null ? ", with -ProxyCredential" : UseDefaultCredentials ? ", with -ProxyUseDefaultCredentials" : string.Empty)})",
                _ => proxy == null
                    ? "directly (no system or environment proxy applies to it)"
                    : $"through the proxy {proxy} (the system or environment proxy)",
            };
        }

        internal static Uri WithoutUserInfo(Uri uri)
        {
            if (string.IsNullOrEmpty(uri.UserInfo))
            {
                return uri;
            }

            var builder = new UriBuilder(uri) { UserName = string.Empty, Password = string.Empty };
            return builder.Uri;
        }

        private static string SafeText(Uri address) =>
            address.IsAbsoluteUri ? WithoutUserInfo(address).AbsoluteUri : "(a relative URI)";
    }
}
