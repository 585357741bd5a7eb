using System.Collections.Generic;

namespace Glider.Client.Waiting
{
    /// <summary>
    /// A snapshot of a wait for a progress bar: how many operations were added, how many have ended (finished, failed
    /// to poll or timed out), and how many are in each state now ("waiting" before the first answer).
    /// </summary>
    internal sealed class WaitProgress
    {
        public WaitProgress(int version, int added, int ended, IReadOnlyList<KeyValuePair<string, int>> byState)
        {
            Version = version;
            Added = added;
            Ended = ended;
            ByState = byState;
        }

        /// <summary>Grows with every change, so a reader can skip a snapshot that says nothing new.</summary>
        public int Version { get; }
        public int Added { get; }
        public int Ended { get; }
        /// <summary>Ordinal order of the state names.</summary>
        public IReadOnlyList<KeyValuePair<string, int>> ByState { get; }
    }
}
