using System;
using System.Management.Automation;
using System.Security;
using Glider.Client;
using Glider.Client.Errors;
using Glider.Client.Models;

namespace Glider.PowerShell
{
    /// <summary>
    /// What Connect-Glider and New-GliderConnection share: the key parameters (-ApiKey, -Credential's password, or
    /// GLIDER_API_KEY; surrounding whitespace trimmed), the base URI, the HTTP settings, their validation, and the
    /// optional GET /v2/whoami. They differ only in what they do with the connection made.
    /// </summary>
    public abstract class GliderConnectCmdlet : GliderAsyncCmdlet
    {
        private protected const string ApiKeySet = "ApiKey";
        private protected const string CredentialSet = "Credential";
        private const string WriteScope = "portfolios:write";

        /// <summary>Optional: GLIDER_API_KEY is used when neither -ApiKey nor -Credential is given.</summary>
        [Parameter(ParameterSetName = ApiKeySet, Position = 0)]
        [SecureStringKey]
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

        /// <summary>Limit of one HTTP attempt; a stalled attempt is abandoned and, for reads, retried.</summary>
        [Parameter]
        [ValidateRange(1, 3600)]
        public int RequestTimeoutSec { get; set; } = ClientSettings.DefaultRequestTimeoutSeconds;

        /// <summary>Retries after a transient failure (reads; the trigger only when no answer came back).</summary>
        [Parameter]
        [ValidateRange(0, 10)]
        public int MaxRetryCount { get; set; } = ClientSettings.DefaultMaxRetryCount;

        /// <summary>Sends every request through this proxy instead of the system's (Invoke-RestMethod's -Proxy).</summary>
        [Parameter]
        [ValidateNotNull]
        public Uri? Proxy { get; set; }

        /// <summary>The user name and password for -Proxy.</summary>
        [Parameter]
        [Credential]
        [ValidateNotNull]
        public PSCredential? ProxyCredential { get; set; }

        /// <summary>Offers the current user's own credentials (Windows: Negotiate/NTLM) to -Proxy.</summary>
        [Parameter]
        public SwitchParameter ProxyUseDefaultCredentials { get; set; }

        /// <summary>Connects directly, ignoring the system's and the environment's proxy.</summary>
        [Parameter]
        public SwitchParameter NoProxy { get; set; }

        /// <summary>Makes the connection (validated unless -SkipValidation); a terminating error when it cannot.</summary>
        private protected GliderConnection CreateConnection()
        {
            GliderClient client = CreateClient();
            WriteVerbose($"Requests to {client.BaseUri} go {client.Proxy.Describe(client.BaseUri)}.");
            if (SkipValidation)
            {
                WriteVerbose($"Not validating the key (-SkipValidation); the first call to {client.BaseUri} will.");
                return new GliderConnection(client, null, null, null, null, isValidated: false);
            }

            WhoAmI who;
            try
            {
                who = Run(client.GetWhoAmIAsync);
            }
            catch (GliderException ex)
            {
                // A connection that cannot even say who it is must not be handed out.
                throw Terminate(GliderErrorMapper.FromException(ex, client.BaseUri));
            }

            var connection = new GliderConnection(client, who.TenantName, who.TenantEmail, who.ApiKeyId, who.Scopes, isValidated: true);
            if (!connection.HasScope(WriteScope))
            {
                WriteWarning($"Key {who.ApiKeyId ?? "(unknown id)"} lacks the {WriteScope} scope: Invoke-GliderRebalance, Suspend-GliderPortfolio and Resume-GliderPortfolio will be refused (PermissionDenied).");
            }

            return connection;
        }

        private ClientSettings Settings() => new ClientSettings(RequestTimeoutSec, MaxRetryCount, ProxyChoice());

        /// <summary>The proxy parameters, checked as Invoke-RestMethod checks them: before anything is sent.</summary>
        private ProxySettings ProxyChoice()
        {
            if (NoProxy && (Proxy != null || ProxyCredential != null || ProxyUseDefaultCredentials))
            {
                throw Terminate(GliderErrorMapper.ProxyParameterConflict("-NoProxy cannot be combined with -Proxy, -ProxyCredential or -ProxyUseDefaultCredentials."));
            }

            if (ProxyCredential != null && ProxyUseDefaultCredentials)
            {
                throw Terminate(GliderErrorMapper.ProxyParameterConflict("Give -ProxyCredential or -ProxyUseDefaultCredentials, not both."));
            }

            if (Proxy == null && (ProxyCredential != null || ProxyUseDefaultCredentials))
            {
                throw Terminate(GliderErrorMapper.ProxyParameterConflict("-ProxyCredential and -ProxyUseDefaultCredentials apply to the proxy given with -Proxy: add -Proxy."));
            }

            if (NoProxy)
            {
                return ProxySettings.Direct;
            }

            if (Proxy == null)
            {
                return ProxySettings.SystemDefault;
            }

            try
            {
                return ProxySettings.Explicit(Proxy, ProxyCredential?.GetNetworkCredential(), ProxyUseDefaultCredentials);
            }
            catch (ArgumentException ex)
            {
                throw Terminate(GliderErrorMapper.InvalidProxy(ex));
            }
        }

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
                    string fromEnvironment = GliderEnvironment.BaseUriText();
                    baseValue = fromEnvironment;
                    baseUri = GliderBaseUri.Parse(fromEnvironment);
                }

                SecureString? given = ApiKey ?? Credential?.Password;
                if (given != null)
                {
                    using SecureString key = ApiKeyInput.Trim(given);
                    if (key.Length == 0)
                    {
                        throw Terminate(GliderErrorMapper.ApiKeyMissing());
                    }

                    if (key.Length != given.Length)
                    {
                        WriteVerbose("Whitespace around the API key was removed.");
                    }

                    WriteDebug(ApiKey != null ? "API key from -ApiKey." : "API key from -Credential's password.");
                    return GliderClientCache.GetOrCreate(baseUri, key, UserAgentSuffix(), Settings());
                }

                string? keyText = GliderEnvironment.ApiKey();
                if (keyText == null)
                {
                    throw Terminate(GliderErrorMapper.ApiKeyMissing());
                }

                WriteDebug($"API key from the {GliderEnvironment.ApiKeyVariable} environment variable.");
                return GliderClientCache.GetOrCreate(baseUri, keyText, UserAgentSuffix(), Settings());
            }
            catch (Exception ex) when (ex is ArgumentException || ex is UriFormatException)
            {
                throw Terminate(GliderErrorMapper.ClientRefused(baseValue, ex));
            }
        }
    }
}
