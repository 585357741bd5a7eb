#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.7.1' }
# Resilience, cancellation and hosts: Ctrl+C (PowerShell.Stop() from another thread) returns within a second whatever
# the cmdlet is doing, closes the request in flight and stops polling; a host without a console gets verbose and
# progress output from the poll loop without a cross-thread error.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'GliderTestHelper.psm1') -Force
    $emu = Initialize-GliderTest
    Import-Module (Join-Path $PSScriptRoot 'Resilience.Support.psm1') -Force

    # Starts Script in a fresh runspace connected to the emulator; returns the PowerShell and its async result.
    function Start-InRunspace {
        param([Parameter(Mandatory)] [string] $Script, [hashtable] $Arguments = @{})
        $ps = New-GliderTestRunspace
        $null = $ps.AddCommand('Connect-Glider').AddParameter('ApiKey', (Get-GliderTestSecureKey ReadWrite)).AddParameter('BaseUri', $emu.BaseUri).AddParameter('SkipValidation').Invoke()
        $ps.Commands.Clear()
        $null = $ps.AddScript($Script)
        foreach ($name in $Arguments.Keys) { $null = $ps.AddParameter($name, $Arguments[$name]) }
        [pscustomobject]@{ PowerShell = $ps; Async = $ps.BeginInvoke() }
    }

    # Presses Ctrl+C: Stop() from this thread; returns how long it took and what the caller got.
    function Stop-InRunspace {
        param([Parameter(Mandatory)] $Run)
        $clock = [System.Diagnostics.Stopwatch]::StartNew()
        $Run.PowerShell.Stop()
        $caught = $null
        try { $null = $Run.PowerShell.EndInvoke($Run.Async) } catch { $caught = $_.Exception }
        $clock.Stop()
        $chain = @(for ($e = $caught; $e; $e = $e.InnerException) { $e })
        $errors = @($Run.PowerShell.Streams.Error)
        $state = $Run.PowerShell.InvocationStateInfo.State
        $Run.PowerShell.Dispose()
        [pscustomobject]@{ Elapsed = $clock.Elapsed; State = $state; Chain = $chain; Errors = $errors }
    }

    function Assert-StoppedCleanly {
        param([Parameter(Mandatory)] $Result)
        $Result.Elapsed.TotalSeconds | Should -BeLessThan 1.0
        $Result.State | Should -Be 'Stopped'
        $Result.Chain | Where-Object { $_ -is [System.AggregateException] } | Should -BeNullOrEmpty
        $Result.Chain | Where-Object { $_ -is [System.Management.Automation.PipelineStoppedException] } | Should -Not -BeNullOrEmpty
        foreach ($record in $Result.Errors) {
            $record.Exception | Should -Not -BeOfType ([System.AggregateException])
            $record.Exception | Should -Not -BeOfType ([System.OperationCanceledException])
            $record.FullyQualifiedErrorId | Should -Not -BeLike 'GliderUnexpectedError*'
        }
    }
}

AfterAll {
    Complete-GliderTest
}

Describe 'Resilience: Ctrl+C' {
    BeforeEach {
        Reset-GliderTestEmulator -OperationMs 60000
    }

    It 'during a stalled request: returns within 1 s as a stopped pipeline, and the request''s connection is closed' {
        $null = Add-GliderTestFault @{ kind = 'delay'; delayMs = 20000; method = 'GET'; count = 1 }
        $run = Start-InRunspace 'Get-GliderPortfolio -PortfolioId pf_acme_0001'
        Wait-GliderTestCondition { [int] (Get-GliderTestStat).requests -ge 1 } -TimeoutSec 15 | Should -BeTrue
        Assert-StoppedCleanly (Stop-InRunspace $run)

        # The emulator logs the request when it ends: it ends because the client hung up, long before the 20 s.
        Wait-GliderTestCondition { @(Get-ResilienceLog $emu).Count -ge 1 } -TimeoutSec 10 | Should -BeTrue
        $entry = (Get-ResilienceLog $emu)[0]
        $entry.fault | Should -Be 'delay'
        $entry.clientAborted | Should -BeTrue
        ([datetimeoffset] $entry.completedAt - [datetimeoffset] $entry.time).TotalSeconds | Should -BeLessThan 10
    }

    It 'during a Retry-After wait: returns within 1 s, and the retry is never sent' {
        # Retry-After 2: a retry that survived the stop would arrive within the 4 s watched below.
        $null = Add-GliderTestFault @{ kind = 'status'; status = 429; code = 'API_005'; retryAfter = '2'; method = 'GET'; count = 1 }
        $run = Start-InRunspace 'Get-GliderPortfolio -PortfolioId pf_acme_0002'
        Wait-GliderTestCondition { @(Get-ResilienceLog $emu).Count -ge 1 } -TimeoutSec 15 | Should -BeTrue
        Assert-StoppedCleanly (Stop-InRunspace $run)
        Wait-GliderTestCondition { [int] (Get-GliderTestStat).requests -gt 1 } -TimeoutSec 4 | Should -BeFalse -Because 'the retry is never sent'
    }

    It 'during polling: returns within 1 s, and polling stops' {
        $submission = Invoke-GliderRebalance -PortfolioId pf_acme_0003
        $run = Start-InRunspace -Script 'param($p, $o) Wait-GliderOperation -PortfolioId $p -OperationId $o -PollIntervalSec 1' -Arguments @{ p = $submission.PortfolioId; o = $submission.OperationId }
        Wait-GliderTestCondition { @(Get-ResilienceLog $emu | Where-Object method -EQ 'GET').Count -ge 2 } -TimeoutSec 15 | Should -BeTrue
        Assert-StoppedCleanly (Stop-InRunspace $run)
        # Counted on arrival: a loop still running would poll again within its 1 s interval.
        $polls = [int] (Get-GliderTestStat).requests
        Wait-GliderTestCondition { [int] (Get-GliderTestStat).requests -gt $polls } -TimeoutSec 3 | Should -BeFalse -Because 'nothing polls after the stop'
    }

    It 'during Invoke-GliderRebalance -Wait: returns within 1 s, and polling stops' {
        $run = Start-InRunspace 'Invoke-GliderRebalance -PortfolioId pf_acme_0004 -Wait -PollIntervalSec 1'
        Wait-GliderTestCondition { @(Get-ResilienceLog $emu | Where-Object method -EQ 'GET').Count -ge 2 } -TimeoutSec 15 | Should -BeTrue
        Assert-StoppedCleanly (Stop-InRunspace $run)
        $polls = [int] (Get-GliderTestStat).requests
        Wait-GliderTestCondition { [int] (Get-GliderTestStat).requests -gt $polls } -TimeoutSec 3 | Should -BeFalse -Because 'nothing polls after the stop'
    }
}

Describe 'Resilience: a host without a console' {
    BeforeEach {
        Reset-GliderTestEmulator -OperationMs 1500
    }

    It 'gets verbose and progress output from the poll loop on the pipeline thread, with no cross-thread error' {
        # Retries make the client report attempts from pool threads while the loop waits.
        $null = Add-GliderTestFault @{ kind = 'status'; status = 503; method = 'GET'; pathContains = '/operations/'; fraction = 0.3; seed = 11 }
        $ps = New-GliderTestRunspace
        try {
            $null = $ps.AddScript({
                    param($key, $base)
                    $VerbosePreference = 'Continue'
                    $ProgressPreference = 'Continue'
                    $WarningPreference = 'Continue'
                    Connect-Glider -ApiKey $key -BaseUri $base -SkipValidation
                    $submissions = Invoke-GliderRebalance -PortfolioId pf_acme_0040, pf_acme_0041, pf_acme_0042
                    $submissions | Wait-GliderOperation -PollIntervalSec 1 -Timeout 60 -Verbose
                    Invoke-GliderRebalance -PortfolioId pf_acme_0043 -Wait -PollIntervalSec 1 -Timeout 60 -Verbose
                }.ToString()).AddArgument((Get-GliderTestSecureKey ReadWrite)).AddArgument($emu.BaseUri)
            $output = $ps.Invoke()
            $ps.Streams.Error | ForEach-Object { $_.ToString() } | Should -BeNullOrEmpty
            $ps.HadErrors | Should -BeFalse
            $output | Should -HaveCount 4
            @($output | ForEach-Object State | Sort-Object -Unique) | Should -Be 'completed'
            $verbose = @($ps.Streams.Verbose | ForEach-Object Message)
            $verbose | Where-Object { $_ -like 'GET *operations* -> *' } | Should -Not -BeNullOrEmpty
            $verbose | Where-Object { $_ -like '*-> 503*' } | Should -Not -BeNullOrEmpty -Because 'faulted polls were traced too'
            @($ps.Streams.Progress).Count | Should -BeGreaterThan 0
        }
        finally {
            $ps.Dispose()
        }
    }
}
