namespace Glider.Client.Errors
{
    /// <summary>The kind of API call an exception came from.</summary>
    public enum GliderCallKind
    {
        /// <summary>Not known (an exception made outside a call).</summary>
        Unknown,
        /// <summary>A GET: whoami, list or read a portfolio, read an operation.</summary>
        Read,
        /// <summary>POST /rebalance: may have started a run when no answer came back.</summary>
        Rebalance,
        /// <summary>POST /stop or /start of a portfolio's schedule.</summary>
        ScheduleChange,
    }
}
