using System;
using System.Net.Sockets;

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
    }
}
