using System;
using System.Collections.Generic;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using Glider.Client;
using Glider.Client.Errors;

namespace Glider.PowerShell
{
    /// <summary>
    /// One per command: owns every API call the command has in flight and decides how the command ends. Calls run on
    /// pool threads; whatever they have to write is posted to the dispatcher and written by the pipeline thread while
    /// it waits here. Every call is tracked from its start (under the throttle when fanned out) until its end, with
    /// its own token: reads and polls end with the command, a rebalance POST only with Ctrl+C.
    /// </summary>
    /// <remarks>
    /// How a command ends, decided here only:
    /// <list type="bullet">
    /// <item>A stopping error of its own (-ErrorAction Stop on an item's error, a 401, an unexpected failure): the
    /// calls in flight are drained first, their results written, and the one record that ended the command is amended
    /// by the command (onStopping) with what it knows.</item>
    /// <item>A 401 from any call: no other item can succeed with that key, so nothing more is sent and the command
    /// ends with that record once the calls in flight are in.</item>
    /// <item>Ctrl+C (Stop) cancels every call at once; teardown by a failure elsewhere in the pipeline (Dispose
    /// before the end) cancels reads and polls. A rebalance POST already sent is not cancelled by teardown: its answer
    /// lands in the session record, as does a POST that Ctrl+C cut off ("may have started").</item>
    /// </list>
    /// </remarks>
    internal sealed class CommandEngine : IDisposable
    {
        private readonly GliderAsyncCmdlet cmdlet;
        private readonly PipelineDispatcher dispatcher = new PipelineDispatcher();
        private readonly CancellationTokenSource stopping = new CancellationTokenSource();
        private readonly CancellationTokenSource ending;
        private readonly HashSet<Task> inFlight = new HashSet<Task>();
        private ErrorRecord? endAfterDrain;
        private ErrorRecord? endedBy;
        private bool disposed;

        public CommandEngine(GliderAsyncCmdlet cmdlet)
        {
            this.cmdlet = cmdlet;
            ending = CancellationTokenSource.CreateLinkedTokenSource(stopping.Token);
        }

        /// <summary>Cancelled by Ctrl+C and when the command goes: for reads, polls and the wait.</summary>
        public CancellationToken Token => ending.Token;

        public bool IsStopping => stopping.IsCancellationRequested;

        /// <summary>Ctrl+C.</summary>
        public void Stop() => Cancel(stopping);

        /// <summary>Queues work for the pipeline thread; callable from any thread, also after the command has gone (dropped then).</summary>
        public void Post(Action action) => dispatcher.Post(action);

        /// <summary>Starts a call and tracks it until it ends; its result is collected with Await or TryAwait.</summary>
        public Task<T> Start<T>(Func<CancellationToken, Task<T>> call) => Track(call, startsRun: false, onEnd: null);

        /// <summary>Runs a call to completion on the pipeline thread; client exceptions are thrown as they are.</summary>
        public T Run<T>(Func<CancellationToken, Task<T>> call) => Await(Start(call), null);

        /// <summary>Waits for a call while writing what arrives; idle runs about every 100 ms meanwhile.</summary>
        public T Await<T>(Task<T> task, Action? idle)
        {
            Pump(task, idle);
            try
            {
                return task.GetAwaiter().GetResult();
            }
            catch (OperationCanceledException) when (IsStopping)
            {
                throw new PipelineStoppedException();
            }
        }

        /// <summary>Waits for a task that is not a call of this command (the wait's completion) while writing what arrives.</summary>
        public void Await(Task task, Action? idle)
        {
            Pump(task, idle);
            try
            {
                task.GetAwaiter().GetResult();
            }
            catch (OperationCanceledException) when (IsStopping)
            {
                throw new PipelineStoppedException();
            }
        }

        /// <summary>
        /// Await for one item: a Glider failure (or a value the client refused) becomes that item's error, with target
        /// as its TargetObject, and false; the command goes on with the next item.
        /// </summary>
        public bool TryAwait<T>(Task<T> task, object? target, out T result)
        {
            try
            {
                result = Await(task, null);
                return true;
            }
            catch (Exception ex) when (ex is GliderException || ex is ArgumentException)
            {
                WriteGliderError(ex, target);
                ThrowIfEnding();
                result = default!;
                return false;
            }
        }

        /// <summary>
        /// Starts a call for one item and returns as soon as it is sent, so upstream keeps feeding; with throttleLimit
        /// calls in flight, first waits (writing what finishes meanwhile) for one to end. onSuccess runs on the pipeline
        /// thread when the answer arrives; a Glider failure becomes a non-terminating error with target as its
        /// TargetObject. startsRun: the call starts work on the server, so teardown does not cancel it.
        /// </summary>
        public void Fan<T>(Func<CancellationToken, Task<T>> call, object target, int throttleLimit, bool startsRun, Action<T> onSuccess)
        {
            PumpUntil(() => inFlight.Count < throttleLimit, null);
            Track(call, startsRun, finished => Complete(finished, target, onSuccess));
            dispatcher.RunPending();
        }

        /// <summary>Writes what has arrived so far, without waiting (for ProcessRecord, between inputs).</summary>
        public void WriteArrived()
        {
            dispatcher.RunPending();
            ThrowIfEnding();
        }

        /// <summary>Waits for every call in flight and writes its result.</summary>
        public void Drain(Action? idle) => PumpUntil(() => inFlight.Count == 0, idle);

        private void Pump(Task task, Action? idle)
        {
            task.ContinueWith(
                (_, state) => ((PipelineDispatcher)state!).Post(static () => { }),
                dispatcher,
                CancellationToken.None,
                TaskContinuationOptions.ExecuteSynchronously,
                TaskScheduler.Default);
            PumpUntil(() => task.IsCompleted, idle);
        }

        /// <summary>
        /// Runs one stage of the command (ProcessRecord, EndProcessing). When it ends with a stopping error of its own,
        /// the calls in flight are drained and written first, then onStopping gets the one record that ended the
        /// command, and the error goes on. Another command's error goes on at once (onStopping gets null), as does Ctrl+C.
        /// </summary>
        public void Stage(Action stage, Action<ErrorRecord?>? onStopping)
        {
            try
            {
                stage();
            }
            catch (Exception) when (!IsStopping)
            {
                // Only our own ending leaves a pipeline to write to. Another command's failure (downstream, or
                // Select-Object -First having what it needs) has taken it: what is in flight is left to teardown, and a
                // rebalance it started lands in the session record.
                if (endedBy != null)
                {
                    DrainQuietly();
                }

                onStopping?.Invoke(endedBy);
                throw;
            }
        }

        /// <summary>
        /// Non-terminating, so one failing item never stops the others; except 401, which no other item can survive
        /// (the key itself is bad): it ends the command once the calls in flight are in.
        /// </summary>
        public void WriteGliderError(Exception exception, object? target)
        {
            ErrorRecord record = GliderErrorMapper.FromException(exception, target);
            if (exception is GliderAuthenticationException)
            {
                endAfterDrain ??= record;
                return;
            }

            WriteError(record);
        }

        /// <summary>WriteError that remembers the record when -ErrorAction Stop turns it into the end of the command.</summary>
        public void WriteError(ErrorRecord record)
        {
            try
            {
                cmdlet.WriteError(record);
            }
            catch (Exception) when (!IsStopping)
            {
                endedBy ??= record;
                throw;
            }
        }

        /// <summary>Runs start (which begins background work, such as the wait's poll loop) with this command's request traces.</summary>
        public T Traced<T>(Func<T> start)
        {
            if (!cmdlet.TracesShown)
            {
                return start();
            }

            // The route is captured by the work's first await and flows with it; the pipeline thread restores its own.
            using (RequestTraceRouter.Enter(trace => dispatcher.Post(() => cmdlet.WriteVerbose(RequestTraceText.Format(trace)))))
            {
                return start();
            }
        }

        /// <summary>Teardown: the command has gone, normally or not.</summary>
        public void Dispose()
        {
            if (disposed)
            {
                return;
            }

            disposed = true;
            Cancel(ending);
            dispatcher.Dispose();
            // The token sources are not disposed: a rebalance POST still on its way holds stopping's token, and its
            // continuation still records the answer in the session record.
        }

        private static void Cancel(CancellationTokenSource source)
        {
            try
            {
                source.Cancel();
            }
            catch (ObjectDisposedException)
            {
            }
        }

        private Task<T> Track<T>(Func<CancellationToken, Task<T>> call, bool startsRun, Action<Task<T>>? onEnd)
        {
            CancellationToken token = startsRun ? stopping.Token : ending.Token;
            Task<T> task;
            try
            {
                task = Traced(() => call(token));
            }
            catch (Exception ex) when (ex is GliderException || ex is ArgumentException)
            {
                // Refused before anything was sent (an id the client will not put in a path): that item's error.
                task = Task.FromException<T>(ex);
            }

            inFlight.Add(task);
            task.ContinueWith(
                finished =>
                {
                    _ = finished.Exception; // observed here, whether or not the pipeline is still there to report it
                    dispatcher.Post(() =>
                    {
                        inFlight.Remove(finished);
                        onEnd?.Invoke(finished);
                    });
                },
                CancellationToken.None,
                TaskContinuationOptions.ExecuteSynchronously,
                TaskScheduler.Default);
            return task;
        }

        private void Complete<T>(Task<T> task, object target, Action<T> onSuccess)
        {
            if (task.Status == TaskStatus.RanToCompletion)
            {
                onSuccess(task.Result);
                return;
            }

            Exception failure = task.Exception?.GetBaseException() ?? new OperationCanceledException();
            if (failure is OperationCanceledException && IsStopping)
            {
                return;
            }

            if (failure is GliderException || failure is ArgumentException)
            {
                WriteGliderError(failure, target);
                return;
            }

            endAfterDrain ??= GliderErrorMapper.FromException(failure, target);
        }

        /// <summary>Pumps until done or until the command must end; a cancelled stop token ends it at once (Ctrl+C).</summary>
        private void PumpUntil(Func<bool> done, Action? idle)
        {
            dispatcher.PumpUntil(() => done() || endAfterDrain != null, stopping.Token, idle);
            ThrowIfEnding();
        }

        private void ThrowIfEnding()
        {
            if (endAfterDrain == null)
            {
                return;
            }

            dispatcher.PumpUntil(() => inFlight.Count == 0, stopping.Token, null);
            endedBy ??= endAfterDrain;
            cmdlet.ThrowTerminatingError(endAfterDrain);
        }

        /// <summary>After a stopping error: waits for the calls in flight and writes what they return, never throwing.</summary>
        private void DrainQuietly()
        {
            while (inFlight.Count > 0)
            {
                try
                {
                    dispatcher.PumpUntil(() => inFlight.Count == 0, stopping.Token, null);
                }
                catch (PipelineStoppedException) when (IsStopping)
                {
                    return; // Ctrl+C while draining: stop at once
                }
                catch (Exception)
                {
                    // A second stopping error (another item's error under -ErrorAction Stop): the first one ends the
                    // command; keep draining so that every answer is still written or counted.
                }
            }
        }
    }
}
