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
        public const string ApiKeyVariable = "GLIDER_API_KEY";
        public const string BaseUriVariable = "GLIDER_BASE_URI";

        private GliderConnection? resolved;

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
        /// Waits for all operations in one poll loop; each is written as it ends, failures and timeouts as
        /// non-terminating errors. Used by Wait-GliderOperation and Invoke-GliderRebalance -Wait alike.
        /// </summary>
        private protected void WaitForOperations(IEnumerable<OperationReference> operations, int? timeoutSeconds, int pollIntervalSeconds, bool any)
        {
            IReadOnlyList<OperationReference> distinct = OperationWaitRun.Distinct(operations);
            if (distinct.Count == 0)
            {
                return;
            }

            var options = new OperationWaitOptions
            {
                PollInterval = TimeSpan.FromSeconds(pollIntervalSeconds),
                Timeout = timeoutSeconds.HasValue ? TimeSpan.FromSeconds(timeoutSeconds.Value) : (TimeSpan?)null,
                Any = any,
            };
            OperationWaitRun run = OperationWaitRun.Create(this, distinct, options);
            var waiter = new OperationWaiter(Client);
            WriteVerbose($"Waiting for {distinct.Count} operation(s), polling every {pollIntervalSeconds} s{(timeoutSeconds.HasValue ? $" for at most {timeoutSeconds} s" : string.Empty)}.");
            try
            {
                Run(token => waiter.WaitAsync(distinct, options, run, token), run.FlushProgress);
            }
            catch (Exception ex) when (ex is GliderException || ex is ArgumentException)
            {
                // Per-operation failures arrive through the observer; this is the wait itself failing (or the client
                // refusing a reference before polling anything).
                WriteGliderError(ex, distinct.Count == 1 ? distinct[0] : (object)distinct);
            }
            finally
            {
                run.CompleteProgress();
            }
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

            string? key = Environment.GetEnvironmentVariable(ApiKeyVariable);
            if (string.IsNullOrWhiteSpace(key))
            {
                throw Terminate(GliderErrorMapper.NotConnected());
            }

            string? baseText = Environment.GetEnvironmentVariable(BaseUriVariable);
            string baseValue = string.IsNullOrWhiteSpace(baseText) ? GliderBaseUri.Production : baseText!;
            try
            {
                Uri baseUri = GliderBaseUri.Parse(baseValue);
                GliderClient client = GliderClientCache.GetOrCreate(baseUri, key!.Trim(), UserAgentSuffix());
                WriteVerbose($"Not connected in this runspace: using {ApiKeyVariable} against {client.BaseUri}.");
                return new GliderConnection(client, null, null, null, null, isValidated: false);
            }
            catch (Exception ex) when (ex is ArgumentException || ex is UriFormatException)
            {
                throw Terminate(GliderErrorMapper.ClientRefused(baseValue, ex));
            }
        }
    }
}
