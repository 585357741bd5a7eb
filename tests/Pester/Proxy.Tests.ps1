#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.7.1' }

# Connect-Glider and New-GliderConnection through a real forward proxy (tinyproxy, Basic authentication, started and
# stopped here): -Proxy, -ProxyCredential, -NoProxy, the system/environment default, the 407 as its own error, over
# http and over https to the emulator (where the proxy sees only CONNECT). Assertions read the proxy's log and the
# emulator's request log. .ci/run installs tinyproxy; elsewhere, without it, these tests are skipped and say so.

BeforeDiscovery {
    Import-Module (Join-Path $PSScriptRoot 'Support/ForwardProxy.psm1') -Force
    $noProxy = -not (Test-ForwardProxyAvailable)
    # In CI the proxy must be there: a missing install step must fail, not skip.
    if ($noProxy -and $env:CI -eq 'true') { throw 'tinyproxy is not installed; .ci/run installs it with apt-get.' }
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'GliderTestHelper.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot 'Support/ForwardProxy.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot 'Support/ChildPwsh.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot '../../tools/GliderPS.Emulator/GliderPS.Emulator.psd1') -Force
    $script:Emulator = Initialize-GliderTest
    $script:ProxyUser = 'gliderproxy'
    $script:ProxyPassword = "pw-$([guid]::NewGuid().ToString('N'))"
    $script:ProxyCredential = [pscredential]::new($script:ProxyUser, (ConvertTo-SecureString $script:ProxyPassword -AsPlainText -Force))
    $script:Proxy = $null
    if (Test-ForwardProxyAvailable) {
        $script:Proxy = Start-ForwardProxy -User $script:ProxyUser -Password $script:ProxyPassword
    }
    $script:EmulatorAuthority = ([uri] $script:Emulator.BaseUri).Authority
    $script:Key = Get-GliderTestKey ReadWrite

    function Get-NewProxyLine([int] $Mark) { @(Get-ForwardProxyLog $script:Proxy -Skip $Mark) }
    function Get-ProxyMark { @(Get-ForwardProxyLog $script:Proxy).Count }
    # A proxy that asks for credentials sees a request twice: without them (answered 407), then with them.
    # Request lines only: "Request (file descriptor N): GET http://... HTTP/1.1" or "CONNECT 127.0.0.1:N HTTP/1.1".
    function Select-ProxyRequest([string[]] $Lines) { @($Lines | Where-Object { $_ -match 'Request \(file descriptor \d+\): ' } | ForEach-Object { ($_ -split 'Request \(file descriptor \d+\): ', 2)[1] }) }
}

AfterAll {
    if ($script:Proxy) { Stop-ForwardProxy $script:Proxy }
    Complete-GliderTest
}

Describe 'Proxy over http' -Skip:$noProxy {
    BeforeEach {
        Reset-GliderTestEmulator -Key None
        $script:Mark = Get-ProxyMark
    }

    It 'connects and calls through -Proxy with -ProxyCredential, and shows the proxy but never its password' {
        $verbose = Connect-Glider -ApiKey (Get-GliderTestSecureKey) -BaseUri $script:Emulator.BaseUri -Proxy $script:Proxy.Uri -ProxyCredential $script:ProxyCredential -Verbose 4>&1
        $portfolio = Get-GliderPortfolio -PortfolioId pf_acme_0001

        $portfolio.PortfolioId | Should -Be 'pf_acme_0001'
        $requests = Select-ProxyRequest (Get-NewProxyLine $script:Mark)
        $requests | Should -Contain "GET http://$($script:EmulatorAuthority)/v2/whoami HTTP/1.1"
        $requests | Should -Contain "GET http://$($script:EmulatorAuthority)/v2/portfolios/pf_acme_0001 HTTP/1.1"
        @(Get-GliderTestRequest).rawTarget | Should -Be '/v2/whoami', '/v2/portfolios/pf_acme_0001'

        $context = Get-GliderContext
        $context.Proxy | Should -Be $script:Proxy.Uri
        "$verbose" | Should -BeLike "*through the proxy $($script:Proxy.Uri) (-Proxy, with -ProxyCredential)*"
        ("$verbose" + ($context | Format-List * | Out-String) + ($context | ConvertTo-Json -Depth 3)) | Should -Not -Match $script:ProxyPassword
    }

    It 'New-GliderConnection takes the same proxy parameters' {
        $connection = New-GliderConnection -ApiKey (Get-GliderTestSecureKey) -BaseUri $script:Emulator.BaseUri -Proxy $script:Proxy.Uri -ProxyCredential $script:ProxyCredential -SkipValidation
        $null = Get-GliderPortfolio -PortfolioId pf_acme_0002 -Connection $connection
        $connection.Proxy | Should -Be $script:Proxy.Uri
        Select-ProxyRequest (Get-NewProxyLine $script:Mark) | Sort-Object -Unique | Should -Be "GET http://$($script:EmulatorAuthority)/v2/portfolios/pf_acme_0002 HTTP/1.1"
        @(Get-GliderTestRequest).rawTarget | Should -Be '/v2/portfolios/pf_acme_0002'
    }

    It 'a 407 is GliderProxyAuthenticationRequired, names the proxy, and is sent once' {
        $caught = $null
        try { Connect-Glider -ApiKey (Get-GliderTestSecureKey) -BaseUri $script:Emulator.BaseUri -Proxy $script:Proxy.Uri }
        catch { $caught = $_ }

        $caught | Should -Not -BeNullOrEmpty
        $caught.FullyQualifiedErrorId | Should -Be 'GliderProxyAuthenticationRequired,Glider.PowerShell.Commands.ConnectGliderCommand'
        $caught.CategoryInfo.Category | Should -Be 'AuthenticationError'
        $caught.Exception | Should -BeOfType ([Glider.Client.Errors.GliderProxyAuthenticationException])
        $caught.Exception.Message | Should -BeLike "*proxy http://127.0.0.1:$($script:Proxy.Port)*407*"
        $caught.ErrorDetails.RecommendedAction | Should -BeLike '*-ProxyCredential*'
        # Not retried (a GET is retried on transient failures), and nothing reached the API.
        Select-ProxyRequest (Get-NewProxyLine $script:Mark) | Should -HaveCount 1
        Get-GliderTestRequest | Should -BeNullOrEmpty
    }

    It 'a connection without the proxy credential gets its own client, and its 407 (the client cache keys on the credential)' {
        Connect-Glider -ApiKey (Get-GliderTestSecureKey) -BaseUri $script:Emulator.BaseUri -Proxy $script:Proxy.Uri -ProxyCredential $script:ProxyCredential
        { Connect-Glider -ApiKey (Get-GliderTestSecureKey) -BaseUri $script:Emulator.BaseUri -Proxy $script:Proxy.Uri } |
            Should -Throw -ErrorId 'GliderProxyAuthenticationRequired,Glider.PowerShell.Commands.ConnectGliderCommand'
    }

    It '-NoProxy goes directly, and the proxy parameters are checked before anything is sent' {
        $connection = New-GliderConnection -ApiKey (Get-GliderTestSecureKey) -BaseUri $script:Emulator.BaseUri -NoProxy -SkipValidation
        $null = Get-GliderPortfolio -PortfolioId pf_acme_0003 -Connection $connection
        $connection.Proxy | Should -BeNullOrEmpty
        Select-ProxyRequest (Get-NewProxyLine $script:Mark) | Should -BeNullOrEmpty
        @(Get-GliderTestRequest).rawTarget | Should -Be '/v2/portfolios/pf_acme_0003'
        $null = Invoke-GliderEmulator $script:Emulator DELETE requests

        $base = @{ ApiKey = (Get-GliderTestSecureKey); BaseUri = $script:Emulator.BaseUri }
        { Connect-Glider @base -NoProxy -Proxy $script:Proxy.Uri } | Should -Throw -ErrorId 'GliderProxyParameterConflict,Glider.PowerShell.Commands.ConnectGliderCommand'
        { Connect-Glider @base -ProxyCredential $script:ProxyCredential } | Should -Throw -ErrorId 'GliderProxyParameterConflict,Glider.PowerShell.Commands.ConnectGliderCommand'
        { Connect-Glider @base -Proxy $script:Proxy.Uri -ProxyCredential $script:ProxyCredential -ProxyUseDefaultCredentials } |
            Should -Throw -ErrorId 'GliderProxyParameterConflict,Glider.PowerShell.Commands.ConnectGliderCommand'
        $caught = $null
        try { New-GliderConnection @base -Proxy "http://someone:in-the-uri-secret@127.0.0.1:$($script:Proxy.Port)" } catch { $caught = $_ }
        $caught.FullyQualifiedErrorId | Should -Be 'GliderInvalidProxy,Glider.PowerShell.Commands.NewGliderConnectionCommand'
        "$caught" | Should -Not -Match 'in-the-uri-secret'
        Get-GliderTestRequest | Should -BeNullOrEmpty
    }

    It 'the default stays the environment proxy, shown without its credentials' {
        # HttpClient reads HTTP_PROXY once per process, so this runs in a process of its own.
        $result = Invoke-ChildPwsh -Environment @{
            HTTP_PROXY         = "http://$($script:ProxyUser):$($script:ProxyPassword)@127.0.0.1:$($script:Proxy.Port)"
            GLIDER_API_KEY     = $script:Key
            GLIDER_BASE_URI    = $script:Emulator.BaseUri
            GLIDERPS_MODULE    = Join-Path (Get-GliderTestModulePath) 'GliderPS.psd1'
        } -Script @'
# Both spellings, and no NO_PROXY, before the first request reads them: whatever the machine's environment says,
# this process's proxy is the test's.
[Environment]::SetEnvironmentVariable('http_proxy', $env:HTTP_PROXY)
foreach ($name in 'NO_PROXY', 'no_proxy', 'ALL_PROXY', 'all_proxy') { [Environment]::SetEnvironmentVariable($name, $null) }
Import-Module $env:GLIDERPS_MODULE
$verbose = Connect-Glider -Verbose 4>&1
"PROXY=$((Get-GliderContext).Proxy)"
"$verbose"
'@
        $result.ExitCode | Should -Be 0 -Because $result.Error
        $result.Output | Should -Contain "PROXY=$($script:Proxy.Uri)"
        ($result.Output -join "`n") + $result.Error | Should -Not -Match $script:ProxyPassword
        ($result.Output -join "`n") | Should -BeLike '*the system or environment proxy*'
        Select-ProxyRequest (Get-NewProxyLine $script:Mark) | Sort-Object -Unique | Should -Be "GET http://$($script:EmulatorAuthority)/v2/whoami HTTP/1.1"
    }
}

Describe 'Proxy over https' -Skip:$noProxy {
    BeforeAll {
        $script:TlsFolder = Join-Path ([System.IO.Path]::GetTempPath()) "glider-tls-$([guid]::NewGuid().ToString('N'))"
        $null = New-Item -ItemType Directory -Path $script:TlsFolder
        $script:Certificate = New-LoopbackCertificate -Folder $script:TlsFolder
        $script:TlsEmulator = Start-GliderEmulator -ArgumentList '--urls', 'https://127.0.0.1:0', '--tls-certificate', $script:Certificate.PfxPath

        # A new process trusts the emulator's certificate through SSL_CERT_FILE: nothing in the module or the
        # client can be told to trust a certificate.
        function Invoke-HttpsChild([string] $Script, [hashtable] $Extra = @{}) {
            $environment = @{
                SSL_CERT_FILE   = $script:Certificate.PemPath
                GLIDER_API_KEY  = $script:Key
                GLIDER_BASE_URI = $script:TlsEmulator.BaseUri
                GLIDERPS_MODULE = Join-Path (Get-GliderTestModulePath) 'GliderPS.psd1'
                GLIDERPS_PROXY  = $script:Proxy.Uri.AbsoluteUri
                GLIDERPS_PROXY_USER = $script:ProxyUser
                GLIDERPS_PROXY_PASSWORD = $script:ProxyPassword
            }
            foreach ($name in $Extra.Keys) { $environment[$name] = $Extra[$name] }
            Invoke-ChildPwsh -Environment $environment -Script ("`$ErrorView = 'NormalView'`nImport-Module `$env:GLIDERPS_MODULE`n" + $Script)
        }
    }

    AfterAll {
        if ($script:TlsEmulator) { Stop-GliderEmulator -Emulator $script:TlsEmulator }
        Remove-Item -LiteralPath $script:TlsFolder -Recurse -Force -ErrorAction Ignore
    }

    BeforeEach {
        $null = Invoke-GliderEmulator $script:TlsEmulator DELETE requests
        $script:Mark = Get-ProxyMark
    }

    It 'tunnels through the proxy with -ProxyCredential: the proxy sees only CONNECT, never the key' {
        $result = Invoke-HttpsChild @'
$credential = [pscredential]::new($env:GLIDERPS_PROXY_USER, (ConvertTo-SecureString $env:GLIDERPS_PROXY_PASSWORD -AsPlainText -Force))
$verbose = Connect-Glider -Proxy $env:GLIDERPS_PROXY -ProxyCredential $credential -Verbose 4>&1
"ID=$((Get-GliderPortfolio -PortfolioId pf_acme_0001).PortfolioId)"
"PROXY=$((Get-GliderContext).Proxy)"
"$verbose"
'@
        $result.ExitCode | Should -Be 0 -Because $result.Error
        $result.Output | Should -Contain 'ID=pf_acme_0001'
        $result.Output | Should -Contain "PROXY=$($script:Proxy.Uri)"
        ($result.Output -join "`n") + $result.Error | Should -Not -Match $script:ProxyPassword

        $lines = Get-NewProxyLine $script:Mark
        $authority = ([uri] $script:TlsEmulator.BaseUri).Authority
        $requests = Select-ProxyRequest $lines
        $requests | Should -Not -BeNullOrEmpty
        $requests | ForEach-Object { $_ | Should -Be "CONNECT $authority HTTP/1.1" }
        ($lines -join "`n") | Should -Not -Match ([regex]::Escape($script:Key))
        ($lines -join "`n") | Should -Not -Match '/v2/'
        @(Invoke-GliderEmulator $script:TlsEmulator GET requests).rawTarget | Should -Be '/v2/whoami', '/v2/portfolios/pf_acme_0001'
    }

    It 'a wrong proxy password is refused, after the right one worked in the same process, and never shown' {
        $result = Invoke-HttpsChild @'
$right = [pscredential]::new($env:GLIDERPS_PROXY_USER, (ConvertTo-SecureString $env:GLIDERPS_PROXY_PASSWORD -AsPlainText -Force))
$wrong = [pscredential]::new($env:GLIDERPS_PROXY_USER, (ConvertTo-SecureString 'wrong-proxy-password' -AsPlainText -Force))
Connect-Glider -Proxy $env:GLIDERPS_PROXY -ProxyCredential $right
"FIRST=$((Get-GliderContext).IsValidated)"
try { Connect-Glider -Proxy $env:GLIDERPS_PROXY -ProxyCredential $wrong }
catch { "ID=$($_.FullyQualifiedErrorId)"; $_ | Format-List * -Force | Out-String; $_.Exception | Format-List * -Force | Out-String }
'@
        $result.Output | Should -Contain 'FIRST=True'
        $result.Output | Should -Contain 'ID=GliderProxyAuthenticationRequired,Glider.PowerShell.Commands.ConnectGliderCommand'
        ($result.Output -join "`n") + $result.Error | Should -Not -Match "wrong-proxy-password|$($script:ProxyPassword)"
    }

    It 'a 407 to CONNECT is GliderProxyAuthenticationRequired, named, and sent once' {
        $result = Invoke-HttpsChild @'
try { Connect-Glider -Proxy $env:GLIDERPS_PROXY }
catch { "ID=$($_.FullyQualifiedErrorId)"; "MESSAGE=$($_.Exception.Message)" }
'@
        $result.Output | Should -Contain 'ID=GliderProxyAuthenticationRequired,Glider.PowerShell.Commands.ConnectGliderCommand'
        ($result.Output -join "`n") | Should -BeLike "*MESSAGE=*proxy http://127.0.0.1:$($script:Proxy.Port)*407*"
        Select-ProxyRequest (Get-NewProxyLine $script:Mark) | Should -HaveCount 1
        Invoke-GliderEmulator $script:TlsEmulator GET requests | Should -BeNullOrEmpty
    }
}
