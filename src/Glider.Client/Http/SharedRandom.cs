using System;

namespace Glider.Client.Http
{
    /// <summary>Thread-safe jitter source (netstandard2.0 has no Random.Shared).</summary>
    internal static class SharedRandom
    {
        private static readonly Random Source = new Random();
        private static readonly object Gate = new object();

        public static double NextDouble()
        {
            lock (Gate)
            {
                return Source.NextDouble();
            }
        }
    }
}
