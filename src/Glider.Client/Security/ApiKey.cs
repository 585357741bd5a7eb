using System;
using System.Runtime.InteropServices;
using System.Security;

namespace Glider.Client.Security
{
    /// <summary>
    /// The API key, kept as a private read-only SecureString copy and decoded only for the moment a request is built
    /// (or a text is scrubbed). Nothing here ever returns the key inside a message.
    /// </summary>
    internal sealed class ApiKey : IDisposable
    {
        private const string Redaction = "[redacted]";
        private readonly SecureString secret;
        private readonly object gate = new object();

        public ApiKey(SecureString source, string parameterName)
        {
            if (source == null)
            {
                throw new ArgumentNullException(parameterName);
            }

            secret = source.Copy();
            secret.MakeReadOnly();

            // A key with spaces or control characters would make the HTTP stack throw while writing the header, and
            // such exceptions may quote the header value. Refuse it here, without quoting it.
            string value = Reveal();
            foreach (char c in value)
            {
                if (c < 0x21 || c > 0x7E)
                {
                    secret.Dispose();
                    throw new ArgumentException("The API key contains a space, a control character or a non-ASCII character; keys are printable ASCII (gldr_sk_...).", parameterName);
                }
            }
        }

        /// <summary>An empty key sends no x-api-key header at all (the API then answers 401 API_101).</summary>
        public bool IsEmpty => secret.Length == 0;

        public string Reveal()
        {
            lock (gate)
            {
                if (secret.Length == 0)
                {
                    return string.Empty;
                }

                IntPtr buffer = IntPtr.Zero;
                try
                {
                    buffer = Marshal.SecureStringToGlobalAllocUnicode(secret);
                    return Marshal.PtrToStringUni(buffer, secret.Length);
                }
                finally
                {
                    if (buffer != IntPtr.Zero)
                    {
                        Marshal.ZeroFreeGlobalAllocUnicode(buffer);
                    }
                }
            }
        }

        /// <summary>Replaces the key in text that came from elsewhere (a server message, an inner exception).</summary>
        public string Redact(string text)
        {
            if (string.IsNullOrEmpty(text) || IsEmpty)
            {
                return text;
            }

            string key = Reveal();
            return text.IndexOf(key, StringComparison.Ordinal) < 0 ? text : text.Replace(key, Redaction);
        }

        public bool AppearsIn(string? text)
        {
            if (string.IsNullOrEmpty(text) || IsEmpty)
            {
                return false;
            }

            return text!.IndexOf(Reveal(), StringComparison.Ordinal) >= 0;
        }

        public void Dispose()
        {
            lock (gate)
            {
                secret.Dispose();
            }
        }
    }
}
