using System;

namespace Glider.Client.Pacing
{
    /// <summary>The gate holds the request past the caller's deadline; nothing was sent.</summary>
    internal sealed class HeldPastDeadlineException : Exception
    {
        public HeldPastDeadlineException(DateTimeOffset until)
            : base("The request is held past the caller's deadline.")
        {
            Until = until;
        }

        public DateTimeOffset Until { get; }
    }
}
