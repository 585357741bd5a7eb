using System;
using System.Globalization;
using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace Glider.Client.Http
{
    /// <summary>Which transport failures say something about the configuration rather than the moment.</summary>
    internal static class TransportFailures
    {
        /// <summary>
        /// The host name does not exist (DNS answered "name not known"). Retrying cannot fix a typo in the base URI, so
        /// it is not transient. A DNS server that could not be reached (TryAgain) is a moment's trouble and stays retried.
        /// </summary>
        public static bool IsHostNotFound(Exception failure)
        {
            for (Exception? current = failure; current != null; current = current.InnerException)
            {
                if (current is SocketException socket && (socket.SocketErrorCode == SocketError.HostNotFound || socket.SocketErrorCode == SocketError.NoData))
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>
        /// The status with which the proxy refused to open a tunnel (https through an http proxy) because it wants
        /// credentials or refused them: 407, or 401 from proxies that answer a wrong password so (tinyproxy). A CONNECT
        /// never reaches the API, so either status is the proxy's. SocketsHttpHandler (and Mono's copy of it) reports
        /// the status only in its message; the Framework's HttpWebRequest in a WebException's response. Null otherwise.
        /// </summary>
        public static int? ProxyAuthenticationStatus(Exception failure)
        {
            for (Exception? current = failure; current != null; current = current.InnerException)
            {
                if (current is WebException web && web.Response is HttpWebResponse response && response.StatusCode == HttpStatusCode.ProxyAuthenticationRequired)
                {
                    return 407;
                }

                if (current is HttpRequestException && current.Message.IndexOf("proxy", StringComparison.OrdinalIgnoreCase) >= 0)
                {
                    Match status = TunnelStatus.Match(current.Message);
                    if (status.Success)
                    {
                        return int.Parse(status.Groups[1].Value, CultureInfo.InvariantCulture);
                    }
                }
            }

            return null;
        }

        private static readonly Regex TunnelStatus = new Regex("status code '?(401|407)'?", RegexOptions.CultureInvariant);
    }
}
