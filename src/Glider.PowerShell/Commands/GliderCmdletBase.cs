using System;
using System.Management.Automation;
using Glider.Client;

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
        private SessionOperations? startedRuns;

        /// <summary>A connection from Connect-Glider -PassThru; needed in runspaces that did not connect (ForEach-Object -Parallel).</summary>
        [Parameter]
        [GliderConnectionTransformation]
        public GliderConnection? Connection { get; set; }

        private protected GliderConnection ResolvedConnection => resolved ??= ResolveConnection();

        private protected GliderClient Client => ResolvedConnection.Client;

        /// <summary>
        /// Requests of the route to keep in flight: -ThrottleLimit when the user set it; otherwise the default, raised
        /// (up to RequestThrottle.Max) only while the route's rate-limit window shows budget to spare for the round trip.
        /// </summary>
        private protected int InFlightLimit(Glider.Client.Pacing.ApiRoute route, int throttleLimit) =>
            MyInvocation.BoundParameters.ContainsKey("ThrottleLimit")
                ? throttleLimit
                : Client.SuggestedInFlight(route, RequestThrottle.Default, RequestThrottle.Max);

        protected sealed override void BeginProcessing()
        {
            startedRuns = GliderSession.Operations;
            if (NeedsConnection)
            {
                resolved = ResolveConnection();
                WriteDebug($"Glider connection: {resolved}.");
            }

            OnBeginProcessing();
        }

        private protected virtual void OnBeginProcessing()
        {
        }

        /// <summary>False for a command that only reads this session's record (Get-GliderOperation with no ids).</summary>
        private protected virtual bool NeedsConnection => true;

        /// <summary>The runs this runspace's commands started; taken on the pipeline thread, written from any thread.</summary>
        private protected SessionOperations StartedRuns => startedRuns ?? throw new InvalidOperationException("The record is taken in BeginProcessing.");

        /// <summary>Starts the one poll loop of this command (Wait-GliderOperation, Invoke-GliderRebalance -Wait).</summary>
        private protected PipelineWait BeginWait(int? timeoutSeconds, int pollIntervalSeconds, bool any) =>
            PipelineWait.Start(this, Client, timeoutSeconds, pollIntervalSeconds, any, StartedRuns);

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
