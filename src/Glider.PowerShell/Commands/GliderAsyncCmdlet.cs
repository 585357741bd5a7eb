using System;
using System.Globalization;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;

namespace Glider.PowerShell
{
    /// <summary>
    /// What every Glider cmdlet that calls the API shares: its CommandEngine (the calls in flight and how the command
    /// ends), stopped by Ctrl+C (StopProcessing) and disposed with the cmdlet; and stream writers that never prompt.
    /// </summary>
    public abstract class GliderAsyncCmdlet : PSCmdlet, IDisposable
    {
        private bool disposed;
        private bool? tracesShown;

        protected GliderAsyncCmdlet()
        {
            Engine = new CommandEngine(this);
        }

        internal CommandEngine Engine { get; }

        protected override void StopProcessing() => Engine.Stop();

        /// <summary>Runs a client call to completion on the pipeline thread; client exceptions are thrown as they are.</summary>
        private protected T Run<T>(Func<CancellationToken, Task<T>> call) => Engine.Run(call);

        // Hide Cmdlet's writers so no Glider cmdlet's line can prompt under -Debug (see NonPromptingStreams).
        internal new void WriteVerbose(string text) => NonPromptingStreams.Verbose(this, text);

        internal new void WriteWarning(string text) => NonPromptingStreams.Warning(this, text);

        internal new void WriteDebug(string text) => NonPromptingStreams.Debug(this, text);

        /// <summary>For `throw Terminate(record);`, so the compiler sees that the path ends.</summary>
        private protected Exception Terminate(ErrorRecord record)
        {
            ThrowTerminatingError(record);
            return new InvalidOperationException(record.Exception.Message);
        }

        /// <summary>"PowerShell/&lt;PSVersion&gt;" for the User-Agent of clients this command creates.</summary>
        private protected string UserAgentSuffix() => PowerShellUserAgent.Suffix(SessionState.PSVariable);

        /// <summary>Whether request traces go anywhere: formatting and handing over a line per request that PowerShell would drop costs a wake-up each.</summary>
        internal bool TracesShown => tracesShown ??= NonPromptingStreams.VerboseWanted(this, Shows("Verbose", "VerbosePreference"));

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
                Engine.Dispose();
            }
        }

        /// <summary>
        /// Whether this command's records of a stream would go anywhere: the common parameter (-Verbose) if given, else
        /// the preference variable as seen from the caller's scope.
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
    }
}
