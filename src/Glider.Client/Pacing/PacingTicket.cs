using System;

namespace Glider.Client.Pacing
{
    /// <summary>One attempt let through the gate: which window it was counted in, and when it went.</summary>
    internal sealed class PacingTicket
    {
        public PacingTicket(ApiRoute route, RateWindow window, long windowSequence, long learnedGeneration, DateTimeOffset sentAt, long sentTimestamp)
        {
            SentAt = sentAt;
            LearnedGeneration = learnedGeneration;
            Route = route;
            Window = window;
            WindowSequence = windowSequence;
            SentTimestamp = sentTimestamp;
        }

        public ApiRoute Route { get; }

        public RateWindow Window { get; }

        /// <summary>The window's send count when this attempt went: later sends are not in this attempt's answer yet.</summary>
        public long WindowSequence { get; }

        public long SentTimestamp { get; }

        public DateTimeOffset SentAt { get; }

        /// <summary>Which window of the connection's learned limit this attempt was counted in.</summary>
        public long LearnedGeneration { get; }
    }
}
