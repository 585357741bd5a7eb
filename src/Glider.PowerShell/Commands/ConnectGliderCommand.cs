using System;
using System.Management.Automation;
using System.Security;
using Glider.Client;
using Glider.Client.Errors;
using Glider.Client.Models;

namespace Glider.PowerShell.Commands
{
    /// <summary>
    /// Makes the runspace's default connection. The key comes from -ApiKey, -Credential's password (an Azure
    /// Automation credential asset) or GLIDER_API_KEY; it stays a SecureString inside the client and is never
    /// written anywhere.
    /// </summary>
    [Cmdlet(VerbsCommunications.Connect, "Glider", DefaultParameterSetName = ApiKeySet)]
    [OutputType(typeof(GliderConnection))]
    public sealed class ConnectGliderCommand : GliderAsyncCmdlet
    {
        private const string ApiKeySet = "ApiKey";
        private const string CredentialSet = "Credential";
        private const string WriteScope = "portfolios:write";

        /// <summary>Optional: GLIDER_API_KEY is used when neither -ApiKey nor -Credential is given.</summary>
        [Parameter(ParameterSetName = ApiKeySet, Position = 0)]
        [ValidateNotNull]
        public SecureString? ApiKey { get; set; }

        /// <summary>The key is the password; the user name is ignored.</summary>
        [Parameter(ParameterSetName = CredentialSet, Mandatory = true)]
        [Credential]
        [ValidateNotNull]
        public PSCredential? Credential { get; set; }

        /// <summary>With or without /v2. Default: GLIDER_BASE_URI, else https://api.glider.fi.</summary>
        [Parameter]
        [ValidateNotNull]
        public Uri? BaseUri { get; set; }

        /// <summary>Do not call GET /v2/whoami: the connection's tenant, key id and scopes stay unknown.</summary>
        [Parameter]
        public SwitchParameter SkipValidation { get; set; }

        [Parameter]
        public SwitchParameter PassThru { get; set; }

        /// <summary>Limit of one HTTP attempt; a stalled attempt is abandoned and, for reads, retried.</summary>
        [Parameter]
        [ValidateRange(1, 3600)]
        public int RequestTimeoutSec { get; set; } = ClientSettings.DefaultRequestTimeoutSeconds;

        /// <summary>Retries after a transient failure (reads; the trigger only when no answer came back).</summary>
        [Parameter]
        [ValidateRange(0, 10)]
        public int MaxRetryCount { get; set; } = ClientSettings.DefaultMaxRetryCount;

        protected override void EndProcessing()
        {
            GliderClient client = CreateClient();
            GliderConnection connection;
            if (SkipValidation)
            {
                WriteVerbose($"Not validating the key (-SkipValidation); the first call to {client.BaseUri} will.");
                connection = new GliderConnection(client, null, null, null, null, isValidated: false);
            }
            else
            {
                WhoAmI who;
                try
                {
                    who = Run(client.GetWhoAmIAsync);
                }
                catch (GliderException ex)
                {
                    // A connection that cannot even say who it is must not become the default.
                    throw Terminate(GliderErrorMapper.FromException(ex, client.BaseUri));
                }

                connection = new GliderConnection(client, who.TenantName, who.TenantEmail, who.ApiKeyId, who.Scopes, isValidated: true);
                if (!connection.HasScope(WriteScope))
                {
                    WriteWarning($"Key {who.ApiKeyId ?? "(unknown id)"} lacks the {WriteScope} scope: Invoke-GliderRebalance, Suspend-GliderPortfolio and Resume-GliderPortfolio will be refused (PermissionDenied).");
                }
            }

            GliderSession.Default = connection;
            WriteVerbose($"Connected: {connection}.");
            if (PassThru)
            {
                WriteObject(connection);
            }
        }

        private ClientSettings Settings() => new ClientSettings(RequestTimeoutSec, MaxRetryCount);

        private GliderClient CreateClient()
        {
            object? baseValue = BaseUri;
            try
            {
                Uri baseUri;
                if (BaseUri != null)
                {
                    baseUri = GliderBaseUri.Normalize(BaseUri);
                }
                else
                {
                    string? fromEnvironment = Environment.GetEnvironmentVariable(GliderCmdletBase.BaseUriVariable);
                    baseValue = string.IsNullOrWhiteSpace(fromEnvironment) ? GliderBaseUri.Production : fromEnvironment;
                    baseUri = GliderBaseUri.Parse((string)baseValue!);
                }

                SecureString? key = ApiKey ?? Credential?.Password;
                if (key != null)
                {
                    if (key.Length == 0)
                    {
                        throw Terminate(GliderErrorMapper.ApiKeyMissing());
                    }

                    WriteDebug(ApiKey != null ? "API key from -ApiKey." : "API key from -Credential's password.");
                    return GliderClientCache.GetOrCreate(baseUri, key, UserAgentSuffix(), Settings());
                }

                string? keyText = Environment.GetEnvironmentVariable(GliderCmdletBase.ApiKeyVariable);
                if (string.IsNullOrWhiteSpace(keyText))
                {
                    throw Terminate(GliderErrorMapper.ApiKeyMissing());
                }

                WriteDebug($"API key from the {GliderCmdletBase.ApiKeyVariable} environment variable.");
                return GliderClientCache.GetOrCreate(baseUri, keyText!.Trim(), UserAgentSuffix(), Settings());
            }
            catch (Exception ex) when (ex is ArgumentException || ex is UriFormatException)
            {
                throw Terminate(GliderErrorMapper.ClientRefused(baseValue, ex));
            }
        }
    }
}
