using System.Collections.Generic;

namespace Glider.Emulator.State
{
    /// <summary>The last N requests in arrival order; a ring buffer so a long benchmark cannot exhaust memory.</summary>
    internal sealed class RequestLog
    {
        private readonly object _gate = new();
        private readonly RequestLogEntry?[] _ring;
        private int _next;
        private int _count;

        public RequestLog(int capacity) => _ring = new RequestLogEntry?[capacity];

        public void Add(RequestLogEntry entry)
        {
            lock (_gate)
            {
                _ring[_next] = entry;
                _next = (_next + 1) % _ring.Length;
                if (_count < _ring.Length)
                {
                    _count++;
                }
            }
        }

        public List<RequestLogEntry> OldestFirst()
        {
            lock (_gate)
            {
                var result = new List<RequestLogEntry>(_count);
                var start = (_next - _count + _ring.Length) % _ring.Length;
                for (var i = 0; i < _count; i++)
                {
                    result.Add(_ring[(start + i) % _ring.Length]!);
                }
                return result;
            }
        }

        public void Clear()
        {
            lock (_gate)
            {
                System.Array.Clear(_ring);
                _next = 0;
                _count = 0;
            }
        }
    }
}
