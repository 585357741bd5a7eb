using System;
using System.Collections.Generic;
using System.Management.Automation;
using Glider.Client;
using Glider.Client.Errors;
using Glider.Client.Models;

namespace Glider.PowerShell
{
    /// <summary>
    /// Base of every cmdlet that calls the API. Resolves the connection once, in BeginProcessing: -Connection, else
    /// this runspace's Connect-Glider connection, else GLIDER_API_KEY (+ GLIDER_BASE_URI), else a terminating
    /// GliderNotConnected. Cmdlets then hold parameters and a few lines of mapping.
    /// </summary>
    public abstract class GliderCmdletBase : GliderAsyncCmdlet
    {
        private GliderConnection? resolved;
        private OperationWaitRun? waitRun;

        /// <summary>A connection from Connect-Glider -PassThru; needed in runspaces that did not connect (ForEach-Object -Parallel).</summary>
        [Parameter]
        [GliderConnectionTransformation]
        public GliderConnection? Connection { get; set; }

        private protected GliderConnection ResolvedConnection =>
            resolved ?? throw new InvalidOperationException("The connection is resolved in BeginProcessing.");

        private protected GliderClient Client => ResolvedConnection.Client;

        protected sealed override void BeginProcessing()
        {
            resolved = ResolveConnection();
            WriteDebug($"Glider connection: {resolved}.");
            OnBeginProcessing();
        }

        private protected virtual void OnBeginProcessing()
        {
        }

        /// <summary>
        /// Starts the one poll loop of this command (Wait-GliderOperation, Invoke-GliderRebalance -Wait): operations are
        /// added as they arrive and each is written as soon as it ends; failures and timeouts are non-terminating errors.
        /// </summary>
        private protected OperationWaitRun BeginWait(int? timeoutSeconds, int pollIntervalSeconds, bool any)
        {
            var options = new OperationWaitOptions
            {
                PollInterval = TimeSpan.FromSeconds(pollIntervalSeconds),
                Timeout = timeoutSeconds.HasValue ? TimeSpan.FromSeconds(timeoutSeconds.Value) : (TimeSpan?)null,
                Any = any,
            };
            WriteVerbose($"Waiting for operations as they arrive, polling each every {pollIntervalSeconds} s{(timeoutSeconds.HasValue ? $" for at most {timeoutSeconds} s after it arrived" : string.Empty)}.");
            waitRun = StartTraced(() => OperationWaitRun.Start(this, Client, options, StopToken));
            return waitRun;
        }

        /// <summary>Adds one operation to the running wait; an id the API cannot be asked about is that item's error.</summary>
        private protected void AddToWait(OperationWaitRun run, OperationReference reference)
        {
            try
            {
                if (!run.Add(reference) && run.HasEnded)
                {
                    WriteVerbose($"Operation {reference.OperationId} of portfolio {reference.PortfolioId} is not waited for: the wait has ended (-Any).");
                }
            }
            catch (ArgumentException ex)
            {
                WriteGliderError(ex, reference);
            }
        }

        /// <summary>No more input: waits until every operation added has been reported, writing each as it ends.</summary>
        private protected void EndWait(OperationWaitRun run)
        {
            run.CompleteAdding();
            try
            {
                Pump(run.Completion, run.FlushProgress);
                run.Completion.GetAwaiter().GetResult();
            }
            catch (OperationCanceledException) when (StopToken.IsCancellationRequested)
            {
                throw new PipelineStoppedException();
            }
            catch (Exception ex) when (ex is GliderException || ex is ArgumentException)
            {
                // Per-operation failures arrive through the observer; this is the wait itself failing.
                WriteGliderError(ex, null);
            }
            finally
            {
                run.CompleteProgress();
            }
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                waitRun?.Dispose();
            }

            base.Dispose(disposing);
        }

        private GliderConnection ResolveConnection()
        {
            if (Connection != null)
            {
                return Connection;
            }

            GliderConnection? current = GliderSession.Default;
            if (current != null)
            {
                return current;
            }

            string? key = GliderEnvironment.ApiKey();
            if (key == null)
            {
                throw Terminate(GliderErrorMapper.NotConnected());
            }

            string baseValue = GliderEnvironment.BaseUriText();
            try
            {
                Uri baseUri = GliderBaseUri.Parse(baseValue);
                GliderClient client = GliderClientCache.GetOrCreate(baseUri, key, UserAgentSuffix());
                WriteVerbose($"Not connected in this runspace: using {GliderEnvironment.ApiKeyVariable} against {client.BaseUri}.");
                return new GliderConnection(client, null, null, null, null, isValidated: false);
            }
            catch (Exception ex) when (ex is ArgumentException || ex is UriFormatException)
            {
                throw Terminate(GliderErrorMapper.ClientRefused(baseValue, ex));
            }
        }
    }
}
