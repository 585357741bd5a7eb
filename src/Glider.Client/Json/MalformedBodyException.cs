using System;

namespace Glider.Client.Json
{
    /// <summary>A success body that is not the documented JSON; turned into GliderResponseFormatException by the caller.</summary>
    internal sealed class MalformedBodyException : Exception
    {
        public MalformedBodyException(string message, Exception? innerException = null)
            : base(message, innerException)
        {
        }
    }
}
