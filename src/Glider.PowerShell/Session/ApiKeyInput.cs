using System;
using System.Runtime.InteropServices;
using System.Security;

namespace Glider.PowerShell
{
    /// <summary>
    /// A key as users supply it: read from a file (with its trailing newline), pasted with a space, or stored in a
    /// credential asset that way. Keys never contain whitespace, so what surrounds one is dropped rather than sent or
    /// refused; the key itself is never turned into a managed string here.
    /// </summary>
    internal static class ApiKeyInput
    {
        /// <summary>A new read-only SecureString without the leading and trailing whitespace of <paramref name="key"/>.</summary>
        public static SecureString Trim(SecureString key)
        {
            int length = key.Length;
            IntPtr buffer = IntPtr.Zero;
            var trimmed = new SecureString();
            try
            {
                buffer = Marshal.SecureStringToGlobalAllocUnicode(key);
                int start = 0;
                while (start < length && char.IsWhiteSpace(CharAt(buffer, start)))
                {
                    start++;
                }

                int end = length - 1;
                while (end >= start && char.IsWhiteSpace(CharAt(buffer, end)))
                {
                    end--;
                }

                for (int i = start; i <= end; i++)
                {
                    trimmed.AppendChar(CharAt(buffer, i));
                }
            }
            finally
            {
                if (buffer != IntPtr.Zero)
                {
                    Marshal.ZeroFreeGlobalAllocUnicode(buffer);
                }
            }

            trimmed.MakeReadOnly();
            return trimmed;
        }

        private static char CharAt(IntPtr buffer, int index) => (char)Marshal.ReadInt16(buffer, index * 2);
    }
}
