#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.7.1' }

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'GliderTestHelper.psm1') -Force
    $emu = Initialize-GliderTest
    $rwKey = Get-GliderTestKey ReadWrite
}

AfterAll {
    Complete-GliderTest
}

Describe 'Connect-Glider' {
    BeforeEach {
        Reset-GliderTestEmulator -Key None
    }

    It 'validates the key with GET /v2/whoami and emits the connection with -PassThru' {
        $connection = Connect-Glider -ApiKey (Get-GliderTestSecureKey) -BaseUri $emu.BaseUri -PassThru

        $connection | Should -BeOfType ([Glider.PowerShell.GliderConnection])
        $connection.TenantName | Should -Be 'Acme Capital'
        $connection.ApiKeyId | Should -Be 'key_demo_rw'
        $connection.Scopes | Should -Contain 'portfolios:write'
        $connection.BaseUri.AbsoluteUri | Should -Be "$($emu.BaseUri)/v2/"
        $connection.ConnectedAt | Should -BeGreaterThan ([DateTimeOffset]::UtcNow.AddMinutes(-1))
        $requests = Get-GliderTestRequest
        $requests.Count | Should -Be 1
        $requests[0].rawTarget | Should -Be '/v2/whoami'
        $requests[0].apiKeyId | Should -Be 'key_demo_rw'
    }

    It 'refuses a plain-string -ApiKey with a hint, never quoting the key, before anything is sent' -ForEach @(
        @{ Command = 'Connect-Glider'; Type = 'ConnectGliderCommand' }
        @{ Command = 'New-GliderConnection'; Type = 'NewGliderConnectionCommand' }
    ) {
        $caught = $null
        try { & $Command -ApiKey $rwKey -BaseUri $emu.BaseUri }
        catch { $caught = $_ }

        $caught.FullyQualifiedErrorId | Should -Be "ParameterArgumentTransformationError,Glider.PowerShell.Commands.$Type"
        $caught.Exception.Message | Should -BeLike '*-ApiKey takes a SecureString*ConvertTo-SecureString*-Credential*GLIDER_API_KEY*'
        ($caught | Out-String) + $caught.Exception.ToString() | Should -Not -Match $rwKey
        Get-GliderTestRequest | Should -BeNullOrEmpty
    }

    It 'applies -RequestTimeoutSec and -MaxRetryCount to every call of the connection' {
        Connect-Glider -ApiKey (Get-GliderTestSecureKey) -BaseUri $emu.BaseUri -SkipValidation -RequestTimeoutSec 1 -MaxRetryCount 1
        $null = Add-GliderTestFault @{ method = 'GET'; pathContains = '/portfolios/pf_acme_0001'; count = 5; kind = 'delay'; delayMs = 4000 }
        $elapsed = Measure-Command {
            Get-GliderPortfolio -PortfolioId pf_acme_0001 -ErrorAction SilentlyContinue -ErrorVariable failures
        }
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'GliderRequestTimeout,*'
        $failures[0].CategoryInfo.Category | Should -Be 'OperationTimeout'
        # Two attempts of one second each, with a short backoff between: far less than one default 30 s attempt.
        $elapsed.TotalSeconds | Should -BeLessThan 8
        (Wait-GliderTestCondition { @(Get-GliderTestRequest -PathLike '/v2/portfolios/pf_acme_0001').Count -ge 2 } -TimeoutSec 10) | Should -BeTrue
        @(Get-GliderTestRequest -PathLike '/v2/portfolios/pf_acme_0001').Count | Should -Be 2 -Because '-MaxRetryCount 1 is one retry after the first attempt'
    }

    It 'shares one client (one connection pool) per key: the same key again reuses it, another key gets its own' {
        # Settings no other test uses, so the clients of this test are new to the process.
        $settings = @{ BaseUri = $emu.BaseUri; SkipValidation = $true; RequestTimeoutSec = 29; MaxRetryCount = 3 }
        Connect-Glider -ApiKey (Get-GliderTestSecureKey ReadWrite) @settings
        $null = Get-GliderPortfolio -PortfolioId pf_acme_0001
        Connect-Glider -ApiKey (Get-GliderTestSecureKey ReadOnly) @settings
        $null = Get-GliderPortfolio -PortfolioId pf_acme_0001
        Connect-Glider -ApiKey (Get-GliderTestSecureKey ReadWrite) @settings
        $null = Get-GliderPortfolio -PortfolioId pf_acme_0001
        # The same key as plain text (the GLIDER_API_KEY path of Connect-Glider) finds the same client too.
        $env:GLIDER_API_KEY = $rwKey
        try {
            Connect-Glider -BaseUri $emu.BaseUri -SkipValidation -RequestTimeoutSec 29 -MaxRetryCount 3
        }
        finally {
            Remove-Item Env:GLIDER_API_KEY
        }
        $null = Get-GliderPortfolio -PortfolioId pf_acme_0001

        $requests = Get-GliderTestRequest -Method GET
        $requests.apiKeyId | Should -Be 'key_demo_rw', 'key_demo_ro', 'key_demo_rw', 'key_demo_rw'
        $requests[2].connectionId | Should -Be $requests[0].connectionId -Because 'the first client and its pooled connection were reused'
        $requests[3].connectionId | Should -Be $requests[0].connectionId
        $requests[1].connectionId | Should -Not -Be $requests[0].connectionId -Because 'another key is another client'
    }

    It 'refuses a -RequestTimeoutSec outside 1..3600 and a -MaxRetryCount outside 0..10' {
        { Connect-Glider -ApiKey (Get-GliderTestSecureKey) -BaseUri $emu.BaseUri -SkipValidation -RequestTimeoutSec 0 } |
            Should -Throw -ErrorId 'ParameterArgumentValidationError,Glider.PowerShell.Commands.ConnectGliderCommand'
        { Connect-Glider -ApiKey (Get-GliderTestSecureKey) -BaseUri $emu.BaseUri -SkipValidation -MaxRetryCount 11 } |
            Should -Throw -ErrorId 'ParameterArgumentValidationError,Glider.PowerShell.Commands.ConnectGliderCommand'
    }

    It 'sends "PowerShell/<PSVersion>" in the User-Agent' {
        Connect-Glider -ApiKey (Get-GliderTestSecureKey) -BaseUri $emu.BaseUri
        $userAgent = (Get-GliderTestRequest)[0].userAgent
        $userAgent | Should -BeLike "GliderPS/*"
        $userAgent | Should -BeLike "*PowerShell/$($PSVersionTable.PSVersion)*"
    }

    It 'becomes the default connection of the runspace and emits nothing without -PassThru' {
        $output = Connect-Glider -ApiKey (Get-GliderTestSecureKey) -BaseUri $emu.BaseUri
        $output | Should -BeNullOrEmpty
        (Get-GliderContext).ApiKeyId | Should -Be 'key_demo_rw'
        Get-GliderPortfolio -PortfolioId pf_acme_0001 | Should -Not -BeNullOrEmpty
    }

    It 'accepts the base URI <Suffix>' -ForEach @(
        @{ Suffix = 'with /v2'; Text = '{0}/v2' }
        @{ Suffix = 'with /v2/'; Text = '{0}/v2/' }
        @{ Suffix = 'with a trailing slash'; Text = '{0}/' }
    ) {
        $connection = Connect-Glider -ApiKey (Get-GliderTestSecureKey) -BaseUri ($Text -f $emu.BaseUri) -PassThru
        $connection.BaseUri.AbsoluteUri | Should -Be "$($emu.BaseUri)/v2/"
        (Get-GliderTestRequest)[0].rawTarget | Should -Be '/v2/whoami'
    }

    It 'takes the key from -Credential (an Azure Automation credential asset)' {
        $credential = [pscredential]::new('glider', (Get-GliderTestSecureKey ReadOnly))
        $connection = Connect-Glider -Credential $credential -BaseUri $emu.BaseUri -PassThru -WarningAction SilentlyContinue
        $connection.ApiKeyId | Should -Be 'key_demo_ro'
    }

    It 'takes the key and base URI from GLIDER_API_KEY and GLIDER_BASE_URI' {
        $env:GLIDER_API_KEY = Get-GliderTestKey Tenant2
        $env:GLIDER_BASE_URI = $emu.BaseUri
        $connection = Connect-Glider -PassThru
        $connection.TenantName | Should -Be 'Borealis Treasury'
        $connection.ApiKeyId | Should -Be 'key_demo_t2'
    }

    It 'warns when the key lacks portfolios:write' {
        $connection = Connect-Glider -ApiKey (Get-GliderTestSecureKey ReadOnly) -BaseUri $emu.BaseUri -PassThru -WarningVariable warnings -WarningAction SilentlyContinue
        $connection.ApiKeyId | Should -Be 'key_demo_ro'
        $warnings.Count | Should -Be 1
        "$($warnings[0])" | Should -BeLike '*portfolios:write*'
    }

    It 'does not warn for a read-write key' {
        Connect-Glider -ApiKey (Get-GliderTestSecureKey) -BaseUri $emu.BaseUri -WarningVariable warnings
        $warnings.Count | Should -Be 0
    }

    It 'sends no request with -SkipValidation' {
        $connection = Connect-Glider -ApiKey (Get-GliderTestSecureKey) -BaseUri $emu.BaseUri -SkipValidation -PassThru
        $connection.IsValidated | Should -BeFalse
        $connection.TenantName | Should -BeNullOrEmpty
        Get-GliderTestRequest | Should -BeNullOrEmpty
    }

    It 'fails with GliderAuthenticationFailed for <Name> and keeps the previous connection' -ForEach @(
        @{ Name = 'an unknown key'; Key = 'Unknown' }
        @{ Name = 'an expired key'; Key = 'Expired' }
    ) {
        Connect-Glider -ApiKey (Get-GliderTestSecureKey Tenant2) -BaseUri $emu.BaseUri
        { Connect-Glider -ApiKey (Get-GliderTestSecureKey $Key) -BaseUri $emu.BaseUri } |
            Should -Throw -ErrorId 'GliderAuthenticationFailed,Glider.PowerShell.Commands.ConnectGliderCommand'
        (Get-GliderContext).ApiKeyId | Should -Be 'key_demo_t2'
    }

    It 'fails with GliderApiKeyMissing when no key is given anywhere' {
        { Connect-Glider -BaseUri $emu.BaseUri } |
            Should -Throw -ErrorId 'GliderApiKeyMissing,Glider.PowerShell.Commands.ConnectGliderCommand'
    }

    It 'refuses a base URI that is not absolute http(s)' {
        { Connect-Glider -ApiKey (Get-GliderTestSecureKey) -BaseUri 'ftp://example.test/' } |
            Should -Throw -ErrorId 'GliderInvalidBaseUri,Glider.PowerShell.Commands.ConnectGliderCommand'
        Get-GliderTestRequest | Should -BeNullOrEmpty
    }

    It 'refuses plain http to a host that is not loopback, sending nothing' {
        { Connect-Glider -ApiKey (Get-GliderTestSecureKey) -BaseUri 'http://api.glider.example' } |
            Should -Throw -ErrorId 'GliderInvalidBaseUri,Glider.PowerShell.Commands.ConnectGliderCommand'
    }

    It 'refuses a key with a space as GliderInvalidApiKey without quoting it' {
        $odd = 'gldr_sk_with a_space_0000'
        $failure = { Connect-Glider -ApiKey (ConvertTo-SecureString $odd -AsPlainText -Force) -BaseUri $emu.BaseUri } |
            Should -Throw -ErrorId 'GliderInvalidApiKey,Glider.PowerShell.Commands.ConnectGliderCommand' -PassThru
        ($failure | Format-List * -Force | Out-String) + ($failure.Exception | Format-List * -Force | Out-String) | Should -Not -BeLike "*$odd*"
        Get-GliderTestRequest | Should -BeNullOrEmpty
    }

    It 'fails with GliderConnectionFailed when nothing listens at the base URI' {
        # Port 9 (discard) on loopback: refused at once, no network needed.
        { Connect-Glider -ApiKey (Get-GliderTestSecureKey) -BaseUri 'http://127.0.0.1:9' } |
            Should -Throw -ErrorId 'GliderConnectionFailed,Glider.PowerShell.Commands.ConnectGliderCommand'
    }
}

Describe 'The API key never leaves the client' {
    BeforeEach {
        Reset-GliderTestEmulator -Key None
    }

    It 'is absent from the connection object, its ToString, Format-List * -Force and ConvertTo-Json' {
        $connection = Connect-Glider -ApiKey (Get-GliderTestSecureKey) -BaseUri $emu.BaseUri -PassThru
        $text = @(
            $connection.ToString()
            $connection | Format-List * -Force | Out-String
            $connection | Format-Table | Out-String
            $connection | ConvertTo-Json -Depth 5
            $connection.PSObject.Properties.Name -join ','
        ) -join "`n"
        $text | Should -Not -BeLike "*$rwKey*"
        $text | Should -Not -BeLike '*gldr_sk_*'
        $connection.PSObject.Properties.Name | Should -Not -Contain 'Client'
    }

    It 'is absent from every stream with -Verbose -Debug, including errors' {
        $DebugPreference = 'Continue'
        # The errors below are part of what is inspected, whatever preference the runner set.
        $ErrorActionPreference = 'Continue'
        $all = & {
            Connect-Glider -ApiKey (Get-GliderTestSecureKey) -BaseUri $emu.BaseUri -PassThru -Verbose -Debug
            Get-GliderPortfolio -PortfolioId pf_acme_0001, pf_missing -Verbose -Debug
            Invoke-GliderRebalance -PortfolioId pf_acme_0002 -Wait -PollIntervalSec 1 -Verbose -Debug
            Invoke-GliderRebalance -PortfolioId pf_acme_0002 -Verbose -Debug
            try { Connect-Glider -ApiKey (Get-GliderTestSecureKey Unknown) -BaseUri $emu.BaseUri -Verbose -Debug } catch { $_ }
        } *>&1 | Out-String -Width 400
        $all | Should -BeLike '*GET*whoami*'
        $all | Should -BeLike '*API_004*'
        $all | Should -Not -BeLike "*$rwKey*"
        $all | Should -Not -BeLike "*$(Get-GliderTestKey Unknown)*"
    }

    It 'is absent from a transcript and from $Error[0] | Format-List * -Force' {
        $transcript = Join-Path ([System.IO.Path]::GetTempPath()) "gliderps-transcript-$PID-$([guid]::NewGuid()).txt"
        $Error.Clear()
        Start-Transcript -Path $transcript -Force
        try {
            Connect-Glider -ApiKey (Get-GliderTestSecureKey) -BaseUri $emu.BaseUri -PassThru -Verbose | Out-Host
            Get-GliderPortfolio -PortfolioId pf_missing -Verbose -ErrorAction Continue 2>&1 | Out-Host
            try { Connect-Glider -ApiKey (Get-GliderTestSecureKey Unknown) -BaseUri $emu.BaseUri } catch { $_ | Out-Host }
        }
        finally {
            Stop-Transcript
        }
        $record = $Error[0]
        $errorText = ($record | Format-List * -Force | Out-String -Width 400) + ($record.Exception | Format-List * -Force | Out-String -Width 400)
        $transcriptText = Get-Content -Raw -Path $transcript
        Remove-Item -Path $transcript -Force

        $transcriptText | Should -BeLike '*whoami*'
        $errorText | Should -BeLike '*GliderAuthenticationFailed*'
        foreach ($key in $rwKey, (Get-GliderTestKey Unknown)) {
            $transcriptText | Should -Not -BeLike "*$key*"
            $errorText | Should -Not -BeLike "*$key*"
        }
    }
}
