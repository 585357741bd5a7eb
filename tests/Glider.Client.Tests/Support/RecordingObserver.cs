using System.Collections.Concurrent;
using System.Linq;
using Glider.Client.Errors;
using Glider.Client.Models;

namespace Glider.Client.Tests.Support
{
    internal sealed class RecordingObserver : IOperationWaitObserver
    {
        private int concurrentCalls;

        public ConcurrentQueue<Operation> Polled { get; } = new ConcurrentQueue<Operation>();
        public ConcurrentQueue<Operation> Finished { get; } = new ConcurrentQueue<Operation>();
        public ConcurrentQueue<(OperationReference Reference, GliderException Error)> PollFailed { get; } = new ConcurrentQueue<(OperationReference, GliderException)>();
        public ConcurrentQueue<(OperationReference Reference, Operation? LastKnown, GliderException? LastFailure)> TimedOut { get; } = new ConcurrentQueue<(OperationReference, Operation?, GliderException?)>();
        public bool SawOverlappingCalls { get; private set; }

        /// <summary>How many final callbacks each operation id got (must be exactly one).</summary>
        public ILookup<string, string> FinalCallbacks =>
            Finished.Select(o => (o.OperationId, "finished"))
                .Concat(PollFailed.Select(f => (f.Reference.OperationId, "failed")))
                .Concat(TimedOut.Select(t => (t.Reference.OperationId, "timedout")))
                .ToLookup(x => x.Item1, x => x.Item2);

        public void OnPolled(Operation operation) => Track(() => Polled.Enqueue(operation));
        public void OnFinished(Operation operation) => Track(() => Finished.Enqueue(operation));
        public void OnPollFailed(OperationReference operation, GliderException error) => Track(() => PollFailed.Enqueue((operation, error)));
        public void OnTimedOut(OperationReference operation, Operation? lastKnown, GliderException? lastFailure) => Track(() => TimedOut.Enqueue((operation, lastKnown, lastFailure)));

        private void Track(System.Action record)
        {
            if (System.Threading.Interlocked.Increment(ref concurrentCalls) > 1)
            {
                SawOverlappingCalls = true;
            }

            record();
            System.Threading.Interlocked.Decrement(ref concurrentCalls);
        }
    }
}
