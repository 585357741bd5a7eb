using System;
using System.Collections;
using System.Globalization;
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
        /// Non-terminating, so one failing item never stops the others; except 401, which no other item can survive
        /// (the key itself is bad), so it ends the command rather than failing every remaining item the same way.
        /// </summary>
        internal void WriteGliderError(Exception exception, object? target)
        {
            ErrorRecord record = GliderErrorMapper.FromException(exception, target);
            if (exception is GliderAuthenticationException)
            {
                ThrowTerminatingError(record);
            }

            WriteError(record);
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

        /// <summary>"PowerShell/&lt;PSVersion&gt;" from $PSVersionTable (the host's version is not PowerShell's).</summary>
        private protected string UserAgentSuffix()
        {
            object? table = SessionState.PSVariable.GetValue("PSVersionTable");
            if (table is PSObject wrapped)
            {
                table = wrapped.BaseObject;
            }

            object? version = (table as IDictionary)?["PSVersion"];
            return "PowerShell/" + (version?.ToString() ?? "unknown");
        }

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
                dispatcher.Dispose();
                stopping.Dispose();
            }
        }

        /// <summary>
        /// Whether this command's records of a stream would go anywhere: the common parameter (-Verbose) if given, else
        /// the preference variable as seen from the caller's scope. Checked so that a quiet command does not format and
        /// hand over a line per request that PowerShell would then drop: every hand-over wakes the pipeline thread once
        /// more per call (measured in docs/benchmarks.md).
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

        private bool TracesShown => tracesShown ??= NonPromptingStreams.VerboseWanted(this, Shows("Verbose", "VerbosePreference"));

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
