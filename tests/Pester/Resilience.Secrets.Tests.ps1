#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.7.1' }
# Resilience, secrets: the key never follows a redirect, never shows in any stream, error, transcript or object graph,
# travels with its own connection only (also across parallel runspaces), and nothing is written to disk.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'GliderTestHelper.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot 'Support' 'ChildPwsh.psm1') -Force
    $emu = Initialize-GliderTest
    Import-Module (Join-Path $PSScriptRoot 'Resilience.Support.psm1') -Force
    $probeKey = Get-ResilienceProbeKey
    $probeSecure = ConvertTo-SecureString -String $probeKey -AsPlainText -Force
    # A key the emulator does not know (401): its fragments must not leak either.
    $bogusKey = 'gldr_sk_Bogus9Jw4Rt7Lq2Xs5Vn8'

    function Connect-Probe {
        $null = Invoke-GliderEmulator $emu POST reset
        $null = Invoke-GliderEmulator $emu PUT timings @{ operationMs = 1200; cooldownSeconds = 30 }
        Disconnect-Glider
        Connect-Glider -ApiKey $probeSecure -BaseUri $emu.BaseUri -SkipValidation
        $null = Invoke-GliderEmulator $emu DELETE requests
    }
}

AfterAll {
    Complete-GliderTest
}

Describe 'Resilience: redirects never carry the key' {
    BeforeAll {
        $trap = New-TcpTrap
    }
    AfterAll {
        Stop-TcpTrap $trap
    }
    BeforeEach {
        Connect-Probe
    }

    It '<Method> answered <Status> to <Target> is not followed: nothing reaches the other origin, nothing is re-sent' -ForEach @(
        foreach ($status in 301, 302, 307, 308) {
            foreach ($method in 'GET', 'POST') {
                @{ Status = $status; Method = $method; Target = 'another port'; Location = 'http://127.0.0.1:{port}/v2/portfolios/pf_acme_0001' }
                @{ Status = $status; Method = $method; Target = 'another host'; Location = 'http://localhost:{port}/v2/portfolios/pf_acme_0001' }
                @{ Status = $status; Method = $method; Target = 'another scheme'; Location = 'https://127.0.0.1:{port}/v2/portfolios/pf_acme_0001' }
                @{ Status = $status; Method = $method; Target = 'the same origin'; Location = '{self}/v2/portfolios/pf_acme_0001' }
            }
        }
    ) {
        $location = $Location.Replace('{port}', [string] $trap.Port).Replace('{self}', $emu.BaseUri)
        $null = Add-GliderTestFault @{ kind = 'redirect'; status = $Status; location = $location; method = $Method; count = 1 }

        if ($Method -eq 'GET') {
            $null = Get-GliderPortfolio -PortfolioId pf_acme_0001 -ErrorAction SilentlyContinue -ErrorVariable failures
        }
        else {
            $null = Invoke-GliderRebalance -PortfolioId pf_acme_0001 -ErrorAction SilentlyContinue -ErrorVariable failures
        }

        $failures | Should -HaveCount 1
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'GliderConnectionFailed,*'
        $failures[0].Exception.Message | Should -BeLike '*redirect*not followed*'
        Test-TcpTrap $trap | Should -BeFalse -Because 'no connection may be opened to the redirect target'
        $log = Get-ResilienceLog $emu -AtLeast 1
        $log | Should -HaveCount 1 -Because 'a redirect is neither followed nor retried'
        $log[0].method | Should -Be $Method -Because 'a POST is never re-sent as a GET'
        (Get-GliderTestStat).rebalancesStarted.PSObject.Properties.Name | Should -BeNullOrEmpty
    }
}

Describe 'Resilience: the key appears in no output, error, transcript or object graph' {
    BeforeAll {
        Connect-Probe
        # Faults on the first calls: every error path runs once.
        $faults = @(
            @{ kind = 'status'; status = 500; count = 1; pathContains = '/pf_acme_0002' }
            @{ kind = 'status'; status = 429; platformBody = $true; retryAfter = '1'; count = 1; pathContains = '/pf_acme_0003' }
            @{ kind = 'drop'; count = 5; pathContains = '/pf_acme_0004' } # every attempt: a transport error reaches the user
            @{ kind = 'reset-mid-body'; count = 5; pathContains = '/pf_acme_0005' }
            @{ kind = 'truncate'; count = 5; pathContains = '/pf_acme_0006' }
            @{ kind = 'nonjson'; status = 502; count = 5; pathContains = '/pf_acme_0007' }
            @{ kind = 'redirect'; status = 302; location = 'http://127.0.0.1:1/x'; count = 1; pathContains = '/pf_acme_0008' }
            @{ kind = 'status'; status = 401; code = 'API_102'; count = 1; pathContains = '/pf_acme_0009' }
            @{ kind = 'status'; status = 403; count = 1; pathContains = '/pf_acme_0010' }
            @{ kind = 'delay'; delayMs = 2500; count = 1; pathContains = '/pf_acme_0011' }
        )
        foreach ($fault in $faults) { $null = Add-GliderTestFault $fault }
        $null = Invoke-GliderEmulator $emu PUT outcomes/pf_acme_0012 @{ outcome = 'failed'; error = 'venue rejected the order' }

        $script:transcriptPath = Join-Path ([System.IO.Path]::GetTempPath()) "glider-secrets-$([guid]::NewGuid().ToString('N')).txt"
        $shortTimeout = New-ResilienceConnection -BaseUri $emu.BaseUri -RequestTimeout ([timespan]::FromSeconds(1.5)) -MaxRetryAttempts 0

        $script:records = [System.Collections.Generic.List[object]]::new()
        $global:Error.Clear()
        $null = Start-Transcript -Path $script:transcriptPath -IncludeInvocationHeader
        try {
            $run = {
                Connect-Glider -ApiKey $probeSecure -BaseUri $emu.BaseUri -Verbose -Debug -PassThru
                Get-GliderContext -Verbose -Debug
                Get-GliderPortfolio -PortfolioId pf_acme_0001, pf_acme_0002, pf_acme_0003, pf_acme_0004, pf_acme_0005, pf_acme_0006, pf_acme_0007, pf_acme_0008 -Verbose -Debug
                try { Get-GliderPortfolio -PortfolioId pf_acme_0009 -Verbose -Debug } catch { $_ }
                Suspend-GliderPortfolio -PortfolioId pf_acme_0010 -Verbose -Debug -Confirm:$false
                Get-GliderPortfolio -PortfolioId pf_acme_0011 -Connection $shortTimeout -Verbose -Debug
                Get-GliderPortfolio -PortfolioId pf_missing_0001 -Verbose -Debug
                Invoke-GliderRebalance -PortfolioId pf_acme_0012 -Wait -PollIntervalSec 1 -Timeout 20 -Verbose -Debug
                Invoke-GliderRebalance -PortfolioId pf_acme_0012 -Verbose -Debug
                try { Connect-Glider -ApiKey (ConvertTo-SecureString $bogusKey -AsPlainText -Force) -BaseUri $emu.BaseUri -Verbose -Debug } catch { $_ }
                try { $env:GLIDER_API_KEY = $bogusKey; $env:GLIDER_BASE_URI = $emu.BaseUri; Disconnect-Glider; Get-GliderPortfolio -PortfolioId pf_acme_0001 -Verbose -Debug } catch { $_ }
                finally { Remove-Item Env:GLIDER_API_KEY, Env:GLIDER_BASE_URI -ErrorAction Ignore }
            }
            & $run *>&1 | ForEach-Object { $script:records.Add($_); $_ } | Out-Host
        }
        finally {
            $null = Stop-Transcript
        }
        $script:errors = @($script:records | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] }) + @($global:Error | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] })
    }
    AfterAll {
        Remove-Item -LiteralPath $script:transcriptPath -ErrorAction Ignore
    }

    It 'ran every error path (the checks below have something to check)' {
        $ids = $script:errors.FullyQualifiedErrorId | ForEach-Object { ($_ -split ',')[0] } | Sort-Object -Unique
        foreach ($expected in 'GliderAuthenticationFailed', 'GliderConnectionFailed', 'GliderInvalidResponse', 'GliderPermissionDenied',
            'GliderNotFound', 'GliderRequestTimeout', 'GliderOperationFailed', 'GliderRebalanceCooldown') {
            $ids | Should -Contain $expected
        }
        @($script:records | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }).Count | Should -BeGreaterThan 10
        @($script:records | Where-Object { $_ -is [System.Management.Automation.DebugRecord] }).Count | Should -BeGreaterThan 0
    }

    It 'no stream record, rendered or listed with every property, contains a 6-character fragment of a key' {
        foreach ($record in $script:records) {
            $text = ($record | Out-String) + ($record | Format-List * -Force | Out-String)
            if ($record -is [System.Management.Automation.ErrorRecord]) {
                $text += ($record.Exception | Format-List * -Force | Out-String)
            }
            Find-KeyFragment -Text $text -Key $probeKey | Should -BeNullOrEmpty -Because "of record: $($record | Out-String)"
            Find-KeyFragment -Text $text -Key $bogusKey | Should -BeNullOrEmpty -Because "of record: $($record | Out-String)"
        }
    }

    It 'no error shows a key fragment through Format-List * -Force, Get-Error, its exception chain or TargetObject' {
        $script:errors.Count | Should -BeGreaterThan 5
        foreach ($record in $script:errors) {
            $text = [System.Text.StringBuilder]::new()
            $null = $text.AppendLine(($record | Format-List * -Force | Out-String))
            $null = $text.AppendLine((Get-Error -InputObject $record | Out-String -Width 400))
            for ($exception = $record.Exception; $exception; $exception = $exception.InnerException) {
                $null = $text.AppendLine($exception.ToString())
                $null = $text.AppendLine(($exception | Format-List * -Force | Out-String))
            }
            if ($record.TargetObject) { $null = $text.AppendLine(($record.TargetObject | Format-List * -Force | Out-String)) }
            if ($record.ErrorDetails) { $null = $text.AppendLine($record.ErrorDetails.Message + $record.ErrorDetails.RecommendedAction) }
            Find-KeyFragment -Text $text.ToString() -Key $probeKey | Should -BeNullOrEmpty -Because "of error $($record.FullyQualifiedErrorId)"
            Find-KeyFragment -Text $text.ToString() -Key $bogusKey | Should -BeNullOrEmpty -Because "of error $($record.FullyQualifiedErrorId)"
        }
        $lastError = $global:Error[0] | Format-List * -Force | Out-String
        Find-KeyFragment -Text $lastError -Key $probeKey | Should -BeNullOrEmpty
    }

    It 'no HttpRequestMessage, HttpResponseMessage or decoded key is reachable from any error object' {
        foreach ($record in $script:errors) {
            Find-ErrorGraphLeak -Root $record -Key $probeKey | Should -BeNullOrEmpty -Because "of error $($record.FullyQualifiedErrorId)"
            Find-ErrorGraphLeak -Root $record -Key $bogusKey | Should -BeNullOrEmpty -Because "of error $($record.FullyQualifiedErrorId)"
        }
    }

    It 'the transcript (with invocation headers) contains no key fragment' {
        $transcript = Get-Content -Raw -LiteralPath $script:transcriptPath
        $transcript | Should -BeLike '*pf_missing_0001*' -Because 'the transcript recorded the run'
        Find-KeyFragment -Text $transcript -Key $probeKey | Should -BeNullOrEmpty
        Find-KeyFragment -Text $transcript -Key $bogusKey | Should -BeNullOrEmpty
    }
}

Describe 'Resilience: each request carries its own connection''s key' {
    BeforeEach {
        Connect-Probe
    }

    It 'twenty parallel runspaces with different keys never send a missing or another runspace''s key' {
        $modulePath = Join-Path (Get-GliderTestModulePath) 'GliderPS.psd1'
        $base = $emu.BaseUri
        # Runspaces 10..19 use a connection made here and handed over (-Connection); 0..9 connect on their own.
        $handed = @{}
        foreach ($n in 10..19) {
            $handed[$n] = Connect-Glider -ApiKey (ConvertTo-SecureString ('gldr_sk_extra_{0:d2}_0000000000000000' -f $n) -AsPlainText -Force) -BaseUri $base -SkipValidation -PassThru
        }
        Disconnect-Glider
        $seen = 0..19 | ForEach-Object -ThrottleLimit 20 -Parallel {
            $n = $_
            $portfolioId = 'pf_acme_{0:d4}' -f ($n + 1)
            $connection = ($using:handed)[$n]
            Import-Module $using:modulePath -ErrorAction Stop
            $parameters = @{}
            if ($connection) {
                $parameters.Connection = $connection
            }
            else {
                $key = ConvertTo-SecureString ('gldr_sk_extra_{0:d2}_0000000000000000' -f $n) -AsPlainText -Force
                $context = Connect-Glider -ApiKey $key -BaseUri $using:base -PassThru
            }
            foreach ($i in 1..6) {
                $null = Get-GliderPortfolio -PortfolioId $portfolioId @parameters -ErrorAction Stop
                $null = Get-GliderOperation -PortfolioId $portfolioId -OperationId "marker-$n-$i" @parameters -ErrorAction SilentlyContinue
            }
            [pscustomobject]@{ N = $n; ApiKeyId = if ($context) { $context.ApiKeyId } else { $null } }
        }
        $seen | Should -HaveCount 20
        foreach ($result in $seen | Where-Object N -LT 10) {
            $result.ApiKeyId | Should -Be ('key_extra_{0:d2}' -f $result.N) -Because 'whoami answered with the runspace''s own key'
        }

        $log = Get-ResilienceLog $emu -AtLeast (20 * 12) | Where-Object rawTarget -Like '/v2/portfolios/*'
        $log | Should -HaveCount (20 * 12)
        foreach ($entry in $log) {
            $entry.apiKeyPresent | Should -BeTrue
            $portfolioNumber = [int] ($entry.rawTarget -replace '^/v2/portfolios/pf_acme_(\d{4}).*$', '$1')
            $entry.apiKeyId | Should -Be ('key_extra_{0:d2}' -f ($portfolioNumber - 1)) -Because "request $($entry.rawTarget) came from runspace $($portfolioNumber - 1)"
            if ($entry.rawTarget -match '/operations/marker-(\d+)-') {
                [int] $Matches[1] | Should -Be ($portfolioNumber - 1)
            }
        }
    }
}

Describe 'Resilience: a connection is never persisted' {
    It 'Connect-Glider and a call write no file, and a new process is not connected' {
        $root = Join-Path ([System.IO.Path]::GetTempPath()) "glider-home-$([guid]::NewGuid().ToString('N'))"
        $environment = @{
            HOME            = Join-Path $root 'home'
            XDG_CONFIG_HOME = Join-Path $root 'config'
            XDG_DATA_HOME   = Join-Path $root 'data'
            XDG_CACHE_HOME  = Join-Path $root 'cache'
            TMPDIR          = Join-Path $root 'tmp'
            GLIDER_API_KEY  = ''
        }
        foreach ($folder in $environment.Values | Where-Object { $_ }) { $null = New-Item -ItemType Directory -Force -Path $folder }
        $manifest = Join-Path (Get-GliderTestModulePath) 'GliderPS.psd1'
        try {
            $connect = Invoke-ChildPwsh -Environment $environment -Script @"
`$ErrorActionPreference = 'Stop'
`$ProgressPreference = 'SilentlyContinue'
`$PSStyle.OutputRendering = 'PlainText'
Import-Module '$manifest'
`$null = Get-GliderContext
function Get-Snapshot { @(Get-ChildItem -Recurse -Force -File -LiteralPath '$root' -ErrorAction SilentlyContinue | ForEach-Object { "`$(`$_.FullName)|`$(`$_.Length)|`$(`$_.LastWriteTimeUtc.Ticks)" }) }
`$before = Get-Snapshot
Connect-Glider -ApiKey (ConvertTo-SecureString '$probeKey' -AsPlainText -Force) -BaseUri '$($emu.BaseUri)'
`$null = Get-GliderPortfolio -PortfolioId pf_acme_0001
`$null = Invoke-GliderRebalance -PortfolioId pf_acme_0013 -Wait -PollIntervalSec 1 -Timeout 20
`$after = Get-Snapshot
foreach (`$change in Compare-Object -ReferenceObject `$before -DifferenceObject `$after) { 'CHANGED ' + `$change.SideIndicator + ' ' + `$change.InputObject }
'CONNECTED ' + (Get-GliderContext).ApiKeyId
"@
            $connect.ExitCode | Should -Be 0 -Because $connect.Error
            $connect.Output -match 'CONNECTED key_probe' | Should -Not -BeNullOrEmpty
            $connect.Output -match 'CHANGED ' | Should -BeNullOrEmpty

            $later = Invoke-ChildPwsh -Environment $environment -Script @"
Import-Module '$manifest'
'CONTEXT ' + [bool] (Get-GliderContext)
try { Get-GliderPortfolio -PortfolioId pf_acme_0001 -ErrorAction Stop } catch { 'ERROR ' + `$_.FullyQualifiedErrorId }
"@
            $later.Output -match 'CONTEXT False' | Should -Not -BeNullOrEmpty
            $later.Output -match 'ERROR GliderNotConnected' | Should -Not -BeNullOrEmpty

            foreach ($file in Get-ChildItem -Recurse -Force -File -LiteralPath $root) {
                $content = [System.IO.File]::ReadAllText($file.FullName)
                Find-KeyFragment -Text $content -Key $probeKey | Should -BeNullOrEmpty -Because "of $($file.FullName)"
            }
        }
        finally {
            Remove-Item -Recurse -Force -LiteralPath $root -ErrorAction Ignore
        }
    }
}
