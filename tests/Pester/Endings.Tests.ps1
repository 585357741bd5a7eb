#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.7.1' }
# Every run the server started is reported exactly once, whatever ends the pipeline. The server's own count of runs
# started (stats.rebalancesStarted) is the truth each ending is checked against: -Any writes one operation; under a
# stopping error every started run is in the output or in the error's Exception.Data; after an upstream failure, a
# downstream failure or Ctrl+C every started run is in the session record (Get-GliderOperation with no ids). Each
# ending is repeated, with many operations ending in the same poll tick, so that a race shows.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'GliderTestHelper.psm1') -Force
    $emu = Initialize-GliderTest

    # A 100 ms round trip and runs that end about 1.2 s after they start: the user's setting of the issue.
    function Reset-Endings {
        param([int] $LatencyMs = 100)
        Reset-GliderTestEmulator -OperationMs 1200
        Set-GliderTestTiming @{ latencyMs = $LatencyMs }
    }

    function Get-Ids {
        param([int] $First, [int] $Count)
        @($First..($First + $Count - 1) | ForEach-Object { 'pf_acme_{0:d4}' -f $_ })
    }

    # The portfolios the emulator started a run for, once that set has stopped growing (requests still on the wire
    # when the pipeline ended may start a run a moment later).
    function Get-StartedPortfolio {
        # Read until two reads agree, as Get-GliderTestRequest does for the request log.
        $started = @((Get-GliderTestStat).rebalancesStarted.PSObject.Properties | ForEach-Object Name)
        for ($attempt = 0; $attempt -lt 20; $attempt++) {
            Start-Sleep -Milliseconds 100
            $again = @((Get-GliderTestStat).rebalancesStarted.PSObject.Properties | ForEach-Object Name)
            if ($again.Count -eq $started.Count) { break }
            $started = $again
        }
        $started | Sort-Object
    }

    # What the session record says about runs sent since Since, once no entry is still waiting for the POST's answer.
    function Get-Recorded {
        param([Parameter(Mandatory)] [datetimeoffset] $Since, $Runspace)
        $read = {
            if ($Runspace) {
                $Runspace.Commands.Clear()
                $null = $Runspace.AddCommand('Get-GliderOperation')
                @($Runspace.Invoke())
            }
            else {
                @(Get-GliderOperation)
            }
        }.GetNewClosure()
        $box = @{ Entries = @() }
        $settled = Wait-GliderTestCondition {
            $box.Entries = @(& $read | Where-Object { $_.SentAt -ge $Since })
            -not ($box.Entries | Where-Object State -EQ 'sending')
        }.GetNewClosure() -TimeoutSec 30
        $settled | Should -BeTrue -Because 'every POST sent is answered or given up within its request timeout'
        $box.Entries
    }

    # Runs Pipeline (which ends with -ErrorAction Stop), collecting what it wrote as it wrote it; then checks that every
    # run the server started is in the output or in the stopping error's Data, and none in both.
    function Assert-StoppedReportingEveryRun {
        param([Parameter(Mandatory)] [scriptblock] $Pipeline, [Parameter(Mandatory)] [int] $Started)
        $written = [System.Collections.Generic.List[object]]::new()
        $caught = $null
        try { & $Pipeline | ForEach-Object { $written.Add($_) } }
        catch { $caught = $_ }
        $caught | Should -Not -BeNullOrEmpty
        $startedRuns = @(Get-StartedPortfolio)
        $startedRuns | Should -HaveCount $Started
        $inError = @($caught.Exception.Data['GliderStartedOperations'] | ForEach-Object PortfolioId)
        $inOutput = @($written | ForEach-Object PortfolioId)
        foreach ($portfolio in $startedRuns) {
            ($portfolio -in $inError) -or ($portfolio -in $inOutput) | Should -BeTrue -Because "the run of $portfolio was started"
        }
        @($inError | Where-Object { $_ -in $inOutput }) | Should -BeNullOrEmpty -Because 'a run is reported once'
    }

    # Every run the server started (at least one) is in the session record.
    function Assert-RecordedEveryRun {
        param([object[]] $Recorded)
        $started = @(Get-StartedPortfolio)
        $started.Count | Should -BeGreaterThan 0
        foreach ($portfolio in $started) {
            @($Recorded | ForEach-Object PortfolioId) | Should -Contain $portfolio -Because "the run of $portfolio was started"
        }
    }
}

AfterAll {
    Complete-GliderTest
}

Describe 'Exactly once: -Any' {
    It 'writes one operation when many end in the same tick (run <_>)' -ForEach 1, 2, 3 {
        Reset-Endings
        $operations = @(Invoke-GliderRebalance -PortfolioId (Get-Ids 1 12) | Wait-GliderOperation -Any -PollIntervalSec 1 -Timeout 60)
        $operations | Should -HaveCount 1
        $operations[0].State | Should -Be 'completed'
    }
}

Describe 'Exactly once: a stopping error' {
    It 'names every started run in the output or in the error, never neither, when a POST fails (run <_>)' -ForEach 1, 2, 3 {
        Reset-Endings
        Assert-StoppedReportingEveryRun -Started 10 -Pipeline {
            @(Get-Ids 1 10) + 'pf_nope_0001' | Invoke-GliderRebalance -Wait -PollIntervalSec 1 -Timeout 60 -ErrorAction Stop
        }
    }

    It 'names every started run in the output or in the error when one run fails in the same tick as the others (run <_>)' -ForEach 1, 2, 3 {
        Reset-Endings
        $ids = Get-Ids 21 12
        Set-GliderTestOutcome -PortfolioId $ids[5] -Outcome failed -ErrorMessage 'Slippage above 2%'
        Assert-StoppedReportingEveryRun -Started 12 -Pipeline {
            Invoke-GliderRebalance -PortfolioId $ids -Wait -PollIntervalSec 1 -Timeout 60 -ErrorAction Stop
        }.GetNewClosure()
    }
}

Describe 'Exactly once: the session record' {
    It 'holds every started run after an upstream failure (run <_>)' -ForEach 1, 2, 3 {
        Reset-Endings -LatencyMs 300
        $since = [datetimeoffset]::Now
        $ids = Get-Ids 41 12
        { & { $ids; throw 'upstream failed' } | Invoke-GliderRebalance } | Should -Throw 'upstream failed'
        $recorded = Get-Recorded -Since $since
        Assert-RecordedEveryRun $recorded
    }

    It 'holds every started run after Get-GliderPortfolio -ErrorAction Stop fails on a later page (run <_>)' -ForEach 1, 2, 3 {
        Reset-Endings -LatencyMs 100
        # The first page is answered (the older rule, used up after one request); every later page is refused (403 is
        # not retried): the listing stops with the first page written.
        $null = Add-GliderTestFault @{ method = 'GET'; pathContains = '/v2/portfolios'; kind = 'delay'; delayMs = 1; count = 1 }
        $null = Add-GliderTestFault @{ method = 'GET'; pathContains = '/v2/portfolios'; kind = 'status'; status = 403 }
        $since = [datetimeoffset]::Now
        { Get-GliderPortfolio -ErrorAction Stop | Invoke-GliderRebalance } | Should -Throw -ErrorId 'GliderPermissionDenied*'
        $recorded = Get-Recorded -Since $since
        Assert-RecordedEveryRun $recorded
    }

    It 'holds every started run after a downstream failure (run <_>)' -ForEach 1, 2, 3 {
        Reset-Endings -LatencyMs 300
        $since = [datetimeoffset]::Now
        { Invoke-GliderRebalance -PortfolioId (Get-Ids 61 12) | ForEach-Object { throw 'downstream failed' } } | Should -Throw 'downstream failed'
        $recorded = Get-Recorded -Since $since
        Assert-RecordedEveryRun $recorded
        # Each run once, newest first, and every entry pipes back into the cmdlets that take operations.
        @($recorded | Where-Object OperationId | Group-Object OperationId | Where-Object Count -GT 1) | Should -BeNullOrEmpty
        $current = @($recorded | Where-Object OperationId | Get-GliderOperation)
        $current | Should -HaveCount @($recorded | Where-Object OperationId).Count
    }

    It 'holds every started run after Ctrl+C with runs started and POSTs in flight (run <_>)' -ForEach 1, 2, 3 {
        Reset-Endings -LatencyMs 300
        $since = [datetimeoffset]::Now
        $ps = New-GliderTestRunspace
        try {
            $null = $ps.AddCommand('Connect-Glider').AddParameter('ApiKey', (Get-GliderTestSecureKey ReadWrite)).AddParameter('BaseUri', $emu.BaseUri).AddParameter('SkipValidation').Invoke()
            $ps.Commands.Clear()
            $null = $ps.AddScript('param($ids) Invoke-GliderRebalance -PortfolioId $ids -ThrottleLimit 16 -Wait -PollIntervalSec 1').AddParameter('ids', (Get-Ids 81 32))
            $async = $ps.BeginInvoke()
            # Stopped once the first runs have started, while the next POSTs are on the wire.
            Wait-GliderTestCondition { @((Get-GliderTestStat).rebalancesStarted.PSObject.Properties).Count -ge 8 } -TimeoutSec 15 | Should -BeTrue
            $ps.Stop()
            try { $null = $ps.EndInvoke($async) } catch { $null = $_ }
            $recorded = Get-Recorded -Since $since -Runspace $ps
            Assert-RecordedEveryRun $recorded
        }
        finally {
            $ps.Dispose()
        }
    }
}
