using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using Glider.Client;
using Glider.Client.Errors;

namespace Glider.PowerShell
{
    /// <summary>
    /// What every Glider cmdlet that calls the API shares: one CancellationTokenSource cancelled by Ctrl+C
    /// (StopProcessing) and disposed with the cmdlet; client calls run on the pipeline thread by waiting while
    /// pumping what pool threads queue (verbose traces, progress, finished operations); client exceptions become
    /// ErrorRecords through GliderErrorMapper only.
    /// </summary>
    public abstract class GliderAsyncCmdlet : PSCmdlet, IDisposable
    {
        private readonly CancellationTokenSource stopping = new CancellationTokenSource();
        private readonly PipelineDispatcher dispatcher = new PipelineDispatcher();
        private readonly HashSet<Task> inFlight = new HashSet<Task>();
        private readonly List<Task> abandoned = new List<Task>();
        private ErrorRecord? endAfterDrain;
        private ErrorRecord? stoppedBy;
        private bool disposed;
        private bool? tracesShown;

        private protected CancellationToken StopToken => stopping.Token;

        protected override void StopProcessing()
        {
            try
            {
                stopping.Cancel();
            }
            catch (ObjectDisposedException)
            {
                // Ctrl+C after the pipeline ended: nothing left to stop.
            }
        }

        /// <summary>Runs a client call to completion on the pipeline thread; client exceptions are thrown as they are.</summary>
        private protected T Run<T>(Func<CancellationToken, Task<T>> call) => Run(call, null);

        private protected T Run<T>(Func<CancellationToken, Task<T>> call, Action? idle)
        {
            Task<T> task = Start(call);
            Wait(task, idle);
            try
            {
                return task.GetAwaiter().GetResult();
            }
            catch (OperationCanceledException) when (StopToken.IsCancellationRequested)
            {
                throw new PipelineStoppedException();
            }
        }

        private protected void Run(Func<CancellationToken, Task> call, Action? idle)
        {
            Task task = Start(call);
            Wait(task, idle);
            try
            {
                task.GetAwaiter().GetResult();
            }
            catch (OperationCanceledException) when (StopToken.IsCancellationRequested)
            {
                throw new PipelineStoppedException();
            }
        }

        /// <summary>
        /// Runs a client call for one item: on a Glider failure writes the mapped error (target is the portfolio id or
        /// the operation) and returns false so the cmdlet goes on with the next item.
        /// </summary>
        private protected bool TryRun<T>(Func<CancellationToken, Task<T>> call, object? target, out T result)
        {
            try
            {
                result = Run(call);
                return true;
            }
            catch (Exception ex) when (ex is GliderException || ex is ArgumentException)
            {
                // ArgumentException: the client refused this item's value before sending it (a "." or ".." id, an
                // unpaired surrogate); like any other per-item failure it must not stop the remaining items.
                WriteGliderError(ex, target);
                result = default!;
                return false;
            }
        }

        /// <summary>
        /// Starts a client call for one item and returns as soon as it is sent, so upstream keeps feeding; when
        /// throttleLimit calls are already in flight, first waits (writing what has finished meanwhile) for one to end.
        /// onSuccess runs on the pipeline thread when the answer arrives, at a later ProcessRecord or EndProcessing; a
        /// Glider failure becomes a non-terminating error with target as its TargetObject, except 401, which stops new
        /// sends and ends the command once the calls in flight are accounted for.
        /// </summary>
        private protected void StartCall<T>(Func<CancellationToken, Task<T>> call, object target, int throttleLimit, Action<T> onSuccess)
        {
            dispatcher.PumpUntil(() => inFlight.Count < throttleLimit || endAfterDrain != null, StopToken, null);
            ThrowIfEnding();
            Task<T> task;
            try
            {
                task = Start(call);
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
                    dispatcher.Post(() => Complete(finished, target, onSuccess));
                },
                CancellationToken.None,
                TaskContinuationOptions.ExecuteSynchronously,
                TaskScheduler.Default);
            dispatcher.RunPending();
        }

        /// <summary>Starts a call whose answer is collected later (a page read ahead) with Run or TryRun.</summary>
        private protected Task<T> StartRead<T>(Func<CancellationToken, Task<T>> call) => Start(call);

        /// <summary>A call started with StartRead that is no longer wanted: cancelled with the command, and observed.</summary>
        private protected void AbandonRead(Task task)
        {
            abandoned.Add(task);
            task.ContinueWith(t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
        }

        /// <summary>Writes what has arrived so far, without waiting (for ProcessRecord, between inputs).</summary>
        private protected void WriteArrived()
        {
            dispatcher.RunPending();
            ThrowIfEnding();
        }

        /// <summary>Waits for every call in flight and writes its result; idle runs about every 100 ms meanwhile.</summary>
        private protected void DrainCalls(Action? idle = null)
        {
            dispatcher.PumpUntil(() => inFlight.Count == 0, StopToken, idle);
            ThrowIfEnding();
        }

        /// <summary>Waits for a task while writing what arrives (results of calls in flight, wait progress).</summary>
        private protected void Pump(Task task, Action? idle) => dispatcher.Wait(task, StopToken, idle);

        /// <summary>
        /// Runs one stage of a command that may have calls in flight. A terminating error raised in it (-ErrorAction
        /// Stop on one item's error, a 401, a failure downstream) must not lose what the server already did: the other
        /// calls in flight are waited for and written first, and onStopping can add what it knows to the error. Ctrl+C
        /// instead cancels everything at once.
        /// </summary>
        private protected void RunStage(Action stage, Action<ErrorRecord?>? onStopping)
        {
            try
            {
                stage();
            }
            catch (Exception) when (!StopToken.IsCancellationRequested)
            {
                // The record the user will catch, when it is ours: the one we end the command with, or the one
                // -ErrorAction Stop turned into a stop (PowerShell rethrows that as PipelineStoppedException, so it is
                // remembered when written). Another command's error (a failure downstream) is left as it is.
                ErrorRecord? record = endAfterDrain ?? stoppedBy;
                DrainQuietly();
                onStopping?.Invoke(record);
                throw;
            }
        }

        /// <summary>Adds a sentence (and data) to an error that ends a command, keeping its recommended action.</summary>
        internal static void AppendToError(ErrorRecord record, string sentence, string dataKey, object data)
        {
            record.Exception.Data[dataKey] = data;
            string message = record.ErrorDetails?.Message ?? record.Exception.Message;
            string? action = record.ErrorDetails?.RecommendedAction;
            record.ErrorDetails = new ErrorDetails(message + " " + sentence) { RecommendedAction = action };
        }

        /// <summary>
        /// Non-terminating, so one failing item never stops the others; except 401, which no other item can survive
        /// (the key itself is bad), so it ends the command rather than failing every remaining item the same way.
        /// </summary>
        internal void WriteGliderError(Exception exception, object? target)
        {
            ErrorRecord record = GliderErrorMapper.FromException(exception, target);
            if (exception is GliderAuthenticationException)
            {
                stoppedBy ??= record;
                ThrowTerminatingError(record);
            }

            WriteErrorRecord(record);
        }

        /// <summary>
        /// WriteError that remembers a record which -ErrorAction Stop turned into the end of the command, so that the
        /// command can still add what it knows (the runs it started) to the error the user catches.
        /// </summary>
        internal void WriteErrorRecord(ErrorRecord record)
        {
            try
            {
                WriteError(record);
            }
            catch (Exception) when (!StopToken.IsCancellationRequested)
            {
                stoppedBy ??= record;
                throw;
            }
        }

        // Hide Cmdlet's writers so no Glider cmdlet's line can prompt under -Debug (see NonPromptingStreams).
        internal new void WriteVerbose(string text) => NonPromptingStreams.Verbose(this, text);

        internal new void WriteWarning(string text) => NonPromptingStreams.Warning(this, text);

        internal new void WriteDebug(string text) => NonPromptingStreams.Debug(this, text);

        /// <summary>Queues work for the pipeline thread; callable from any thread.</summary>
        internal void Post(Action action) => dispatcher.Post(action);

        /// <summary>For `throw Terminate(record);`, so the compiler sees that the path ends.</summary>
        private protected Exception Terminate(ErrorRecord record)
        {
            ThrowTerminatingError(record);
            return new InvalidOperationException(record.Exception.Message);
        }

        /// <summary>"PowerShell/&lt;PSVersion&gt;" for the User-Agent of clients this command creates.</summary>
        private protected string UserAgentSuffix() => PowerShellUserAgent.Suffix(SessionState.PSVariable);

        public void Dispose()
        {
            Dispose(true);
            GC.SuppressFinalize(this);
        }

        protected virtual void Dispose(bool disposing)
        {
            if (disposed)
            {
                return;
            }

            disposed = true;
            if (disposing)
            {
                // A request still in flight here outlived its command (a failure elsewhere in the pipeline): cancel it,
                // and give it a moment to end so that nothing of this command reaches the API after it has returned.
                StopProcessing();
                Task[] left = inFlight.Concat(abandoned).Where(t => !t.IsCompleted).ToArray();
                if (left.Length > 0)
                {
                    Task.WaitAny(Task.WhenAll(left), Task.Delay(DisposeGrace));
                }

                dispatcher.Dispose();
                stopping.Dispose();
            }
        }

        /// <summary>
        /// Whether this command's records of a stream would go anywhere: the common parameter (-Verbose) if given, else
        /// the preference variable as seen from the caller's scope. Checked so that a quiet command does not format and
        /// hand over a line per request that PowerShell would then drop: every hand-over wakes the pipeline thread once
        /// more per call.
        /// </summary>
        private bool Shows(string commonParameter, string preferenceVariable)
        {
            if (MyInvocation.BoundParameters.TryGetValue(commonParameter, out object? bound))
            {
                return bound is SwitchParameter flag ? flag.ToBool() : LanguagePrimitives.IsTrue(bound);
            }

            object? value = SessionState.PSVariable.GetValue(preferenceVariable);
            if (value is PSObject wrapped)
            {
                value = wrapped.BaseObject;
            }

            if (value is null)
            {
                return false;
            }

            // A preference PowerShell itself could not read is treated as "show": losing a trace is worse than a line.
            if (!LanguagePrimitives.TryConvertTo(value, CultureInfo.InvariantCulture, out ActionPreference preference))
            {
                return true;
            }

            return preference != ActionPreference.SilentlyContinue && preference != ActionPreference.Ignore;
        }

        private static readonly TimeSpan DisposeGrace = TimeSpan.FromSeconds(1);

        private void Complete<T>(Task<T> task, object target, Action<T> onSuccess)
        {
            inFlight.Remove(task);
            if (task.Status == TaskStatus.RanToCompletion)
            {
                onSuccess(task.Result);
                return;
            }

            Exception failure = task.Exception?.GetBaseException() ?? new OperationCanceledException();
            if (failure is OperationCanceledException && StopToken.IsCancellationRequested)
            {
                return;
            }

            if (failure is GliderAuthenticationException)
            {
                // Every other item would fail the same way: send nothing more, end once the calls in flight are in.
                endAfterDrain ??= GliderErrorMapper.FromException(failure, target);
                return;
            }

            if (failure is GliderException || failure is ArgumentException)
            {
                WriteErrorRecord(GliderErrorMapper.FromException(failure, target));
                return;
            }

            endAfterDrain ??= GliderErrorMapper.FromException(failure, target);
        }

        private void ThrowIfEnding()
        {
            if (endAfterDrain == null)
            {
                return;
            }

            dispatcher.PumpUntil(() => inFlight.Count == 0, StopToken, null);
            ThrowTerminatingError(endAfterDrain);
        }

        /// <summary>After a stopping error: waits for the calls in flight and writes what they return, never throwing.</summary>
        private void DrainQuietly()
        {
            while (inFlight.Count > 0)
            {
                try
                {
                    dispatcher.PumpUntil(() => inFlight.Count == 0, StopToken, null);
                }
                catch (PipelineStoppedException) when (StopToken.IsCancellationRequested)
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

        private bool TracesShown => tracesShown ??= NonPromptingStreams.VerboseWanted(this, Shows("Verbose", "VerbosePreference"));

        /// <summary>
        /// Runs start (which begins background work, such as a poll loop) so that the requests of that work are traced
        /// to this command's verbose stream like its own calls.
        /// </summary>
        private protected T StartTraced<T>(Func<T> start)
        {
            if (!TracesShown)
            {
                return start();
            }

            using (RequestTraceRouter.Enter(OnRequestTrace))
            {
                return start();
            }
        }

        private TTask Start<TTask>(Func<CancellationToken, TTask> call)
            where TTask : Task
        {
            if (!TracesShown)
            {
                return call(StopToken);
            }

            // The route is captured by the call's first await and flows with it; the pipeline thread restores its own.
            using (RequestTraceRouter.Enter(OnRequestTrace))
            {
                return call(StopToken);
            }
        }

        private void Wait(Task task, Action? idle)
        {
            bool finished = false;
            try
            {
                dispatcher.Wait(task, StopToken, idle);
                finished = true;
            }
            finally
            {
                // Leaving early (Ctrl+C, or -ErrorAction Stop on an error written from the queue) must not leave the
                // call polling in the background.
                if (!finished && !task.IsCompleted)
                {
                    StopProcessing();

                    // Nobody awaits the abandoned call any more; observe its end so it never surfaces as an
                    // unobserved task exception later.
                    task.ContinueWith(t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
                }
            }
        }

        private void OnRequestTrace(RequestTrace trace)
        {
            string outcome = trace.StatusCode.HasValue
                ? trace.StatusCode.Value.ToString(CultureInfo.InvariantCulture)
                : "no response (" + (trace.Failure ?? "unknown failure") + ")";
            string line = string.Format(
                CultureInfo.InvariantCulture,
                "{0} {1} -> {2} in {3} ms (attempt {4}, correlation id {5})",
                trace.Method,
                trace.Uri,
                outcome,
                (long)trace.Elapsed.TotalMilliseconds,
                trace.Attempt,
                trace.CorrelationId ?? "none");
            dispatcher.Post(() => WriteVerbose(line));
        }
    }
}
