using System;

namespace Glider.Client.Tests
{
    /// <summary>string.Split(string) of .NET Core, which the shared tests use; .NET Framework has only the array form.</summary>
    internal static class StringSplitCompat
    {
        public static string[] Split(this string text, string separator) => text.Split(new[] { separator }, StringSplitOptions.None);
    }
}
