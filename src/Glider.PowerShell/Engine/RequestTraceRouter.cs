using System;
using System.Threading;
using Glider.Client;

namespace Glider.PowerShell
{
    /// <summary>
    /// A cached client is shared by every cmdlet in the process, but its OnRequest callback is fixed at construction.
    /// The cmdlet that starts a call sets the route on its pipeline thread; the ExecutionContext carries it through
    /// the client's awaits to the pool thread that reports the trace, so concurrent runspaces never see each
    /// other's verbose lines.
    /// </summary>
    internal static class RequestTraceRouter
    {
        private static readonly AsyncLocal<Action<RequestTrace>?> Route = new AsyncLocal<Action<RequestTrace>?>();

        public static void Dispatch(RequestTrace trace) => Route.Value?.Invoke(trace);

        /// <summary>Routes traces to sink until the returned scope is disposed (on the same thread).</summary>
        public static IDisposable Enter(Action<RequestTrace> sink)
        {
            Action<RequestTrace>? previous = Route.Value;
            Route.Value = sink;
            return new Scope(previous);
        }

        private sealed class Scope : IDisposable
        {
            private readonly Action<RequestTrace>? previous;

            public Scope(Action<RequestTrace>? previous) => this.previous = previous;

            public void Dispose() => Route.Value = previous;
        }
    }
}
