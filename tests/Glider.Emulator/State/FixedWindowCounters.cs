using System;
using System.Collections.Concurrent;

namespace Glider.Emulator.State
{
    /// <summary>
    /// Fixed-window request counters by name. A refused request does not count, so a client that keeps
    /// knocking during a window is not pushed into the next one.
    /// </summary>
    internal sealed class FixedWindowCounters
    {
        private readonly ConcurrentDictionary<string, Window> _windows = new(StringComparer.Ordinal);

        public RateLimitDecision Check(string counter, DateTimeOffset now, int limit, double windowSeconds)
        {
            var window = _windows.GetOrAdd(counter, static _ => new Window());
            lock (window)
            {
                var length = TimeSpan.FromSeconds(windowSeconds);
                if (now >= window.Start + length || now < window.Start)
                {
                    window.Start = now;
                    window.Count = 0;
                }
                var resetAt = window.Start + length;
                var resetUnix = (long)Math.Ceiling((resetAt - DateTimeOffset.UnixEpoch).TotalSeconds);
                if (window.Count >= limit)
                {
                    var retryAfter = (int)Math.Max(1, Math.Ceiling((resetAt - now).TotalSeconds));
                    return new RateLimitDecision(false, limit, 0, resetUnix, retryAfter);
                }
                window.Count++;
                return new RateLimitDecision(true, limit, limit - window.Count, resetUnix, 0);
            }
        }

        public void Clear() => _windows.Clear();

        private sealed class Window
        {
            public DateTimeOffset Start = DateTimeOffset.MinValue;
            public int Count;
        }
    }
}
