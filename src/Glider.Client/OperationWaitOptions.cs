using System;

namespace Glider.Client
{
    public sealed class OperationWaitOptions
    {
        /// <summary>Time between two polls of the same operation; the documented cadence is 2-5 s.</summary>
        public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(2);
        /// <summary>Null waits forever.</summary>
        public TimeSpan? Timeout { get; set; }
        /// <summary>Return as soon as one operation is terminal.</summary>
        public bool Any { get; set; }
        /// <summary>Polls in flight at once across all operations.</summary>
        public int MaxConcurrentPolls { get; set; } = 32;
    }
}
