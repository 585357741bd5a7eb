#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.7.1' }
# Pacing against a limiter built as the API documents it: a global per-IP limit beside tiers of routes, each tier with
# a window of its own; rate-limit headers only on tiered routes. One route's window must never hold another route.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'GliderTestHelper.psm1') -Force
    $emu = Initialize-GliderTest

    # Each test paces on a connection of its own (a hold belongs to the connection, and would reach the next test).
    function Connect-FreshConnection([int] $Number) {
        $key = ConvertTo-SecureString -String ('gldr_sk_extra_{0:D2}_0000000000000000' -f $Number) -AsPlainText -Force
        Connect-Glider -ApiKey $key -BaseUri $emu.BaseUri -SkipValidation
    }

    function Set-Limit([hashtable] $Limits) {
        $null = Invoke-GliderEmulator $emu PUT limits $Limits
    }

    # Seconds between successive arrivals: a connection held by the wrong window shows a gap as long as that window.
    function Get-LongestGap([object[]] $Log) {
        $times = @($Log | ForEach-Object { [datetimeoffset] $_.time } | Sort-Object)
        $longest = 0.0
        for ($i = 1; $i -lt $times.Count; $i++) {
            $longest = [math]::Max($longest, ($times[$i] - $times[$i - 1]).TotalSeconds)
        }
        $longest
    }
}

AfterAll {
    Complete-GliderTest
}

Describe 'Pacing: a window per route' {
    BeforeEach {
        Reset-GliderTestEmulator -OperationMs 1000 -Key None
    }

    AfterEach {
        Set-Limit @{ global = @{ limit = 1000000; windowSeconds = 1 }; bucketing = 'per-key'; headers = 'all'; tiers = @() }
    }

    It 'a list tier that reports its own window neither slows nor stalls the triggers and polls that follow it' {
        # The list's 100 a minute is far less than the triggers and polls of 250 portfolios need; they are in no tier
        # and send no headers. Spending the list's budget on them would stall the pipeline until the list's reset.
        Set-Limit @{ headers = 'tiered-only'; bucketing = 'per-ip'; tiers = @(@{ name = 'list'; routes = @('ListPortfolios'); limit = 100; windowSeconds = 60 }) }
        Connect-FreshConnection 40

        $operations = @(Get-GliderPortfolio | Invoke-GliderRebalance | Wait-GliderOperation -PollIntervalSec 1 -ErrorVariable problems)

        $problems | Should -BeNullOrEmpty
        $operations.Count | Should -Be 250
        @($operations | Where-Object State -NE 'completed') | Should -BeNullOrEmpty
        $log = @(Get-GliderTestRequest)
        @($log | Where-Object status -EQ 429) | Should -BeNullOrEmpty
        @($log | Where-Object { $_.method -eq 'GET' -and $_.rawTarget -like '*/operations/*' }).Count | Should -BeGreaterOrEqual 250
        Get-LongestGap $log | Should -BeLessThan 10 -Because 'no request waits for the list window''s reset (60 s)'
    }

    It 'a tight tier on stop holds only stop, until its window ends, before any 429' {
        Set-Limit @{ headers = 'tiered-only'; bucketing = 'per-ip'; tiers = @(@{ name = 'schedule'; routes = @('Stop', 'Start'); limit = 2; windowSeconds = 6 }) }
        Connect-FreshConnection 41

        $null = Suspend-GliderPortfolio -PortfolioId pf_acme_0001 -Confirm:$false
        $null = Suspend-GliderPortfolio -PortfolioId pf_acme_0002 -Confirm:$false   # its answer: Remaining 0
        $read = Get-GliderPortfolio -PortfolioId pf_acme_0003
        $submission = Invoke-GliderRebalance -PortfolioId pf_acme_0004
        $held = Suspend-GliderPortfolio -PortfolioId pf_acme_0006 -Confirm:$false

        $read.PortfolioId | Should -Be 'pf_acme_0003'
        $submission.PortfolioId | Should -Be 'pf_acme_0004'
        $held.Schedule.Status | Should -Be 'paused'
        $log = @(Get-GliderTestRequest)
        @($log | Where-Object status -EQ 429) | Should -BeNullOrEmpty -Because 'the third stop waited for the window instead of running into it'
        $opened = [datetimeoffset] $log[0].time
        $others = @($log | Where-Object { $_.rawTarget -notlike '*/stop' })
        $others.Count | Should -Be 2
        foreach ($entry in $others) {
            ([datetimeoffset] $entry.time - $opened).TotalSeconds | Should -BeLessThan 4 -Because "$($entry.method) $($entry.rawTarget) is in no tier and must not wait for the schedule tier's window (6 s)"
        }
        $stops = @($log | Where-Object rawTarget -Like '*/stop')
        $stops.Count | Should -Be 3
        # The window opened when the first stop arrived. The client estimates its end from the send time and the
        # whole-second reset, up to half a round trip early: allow a little.
        ([datetimeoffset] $stops[2].time - $opened).TotalSeconds | Should -BeGreaterThan 5.5
    }

    It 'a global 429 holds every route of the connection until RetryAt, and no error record is left' {
        # A global limit of 40 a second beside the list tier: the limiter's 429s carry the global window's headers.
        $null = Invoke-GliderEmulator $emu POST reset @{ portfolioCount = 120 }
        Set-GliderTestTiming @{ operationMs = 1000 }
        Set-Limit @{ global = @{ limit = 40; windowSeconds = 1 }; headers = 'tiered-only'; bucketing = 'per-ip'; tiers = @(@{ name = 'list'; routes = @('ListPortfolios'); limit = 100; windowSeconds = 60 }) }
        Connect-FreshConnection 42

        $operations = @(Get-GliderPortfolio | Invoke-GliderRebalance | Wait-GliderOperation -PollIntervalSec 1 -ErrorVariable problems)

        $problems | Should -BeNullOrEmpty
        $operations.Count | Should -Be 120
        @($operations | Where-Object State -NE 'completed') | Should -BeNullOrEmpty
        $log = @(Get-GliderTestRequest)
        $limited = @($log | Where-Object status -EQ 429)
        $limited.Count | Should -BeGreaterThan 0 -Because 'the scenario must reach the limit to test the hold'
        @($limited | Where-Object rateLimitedBy -NE 'global') | Should -BeNullOrEmpty
        Get-LongestGap $log | Should -BeLessThan 10
        # Retry-After is at least a second: after each 429 left the emulator, nothing of the connection arrives for
        # the next 0.9 s, except requests already on their way when the 429 arrived (0.15 s allowed for those).
        foreach ($refusal in $limited) {
            $answeredAt = [datetimeoffset] $refusal.completedAt
            $early = @($log | Where-Object {
                    $at = [datetimeoffset] $_.time
                    $at -gt $answeredAt.AddSeconds(0.15) -and $at -lt $answeredAt.AddSeconds(0.9)
                })
            $early | Should -BeNullOrEmpty -Because "a 429 answered at $($answeredAt.ToString('HH:mm:ss.fff')) holds every route for at least 1 s"
        }
    }
}

Describe 'Pacing: two processes on one key and one IP' {
    BeforeEach {
        Reset-GliderTestEmulator -OperationMs 1000 -Key None
    }

    AfterEach {
        Set-Limit @{ global = @{ limit = 1000000; windowSeconds = 1 }; bucketing = 'per-key'; headers = 'all'; tiers = @() }
    }

    It 'share a global limit that no route reports: every run reported once, no error record, few 429s' {
        # Hybrid Runbook Workers and parallel jobs: separate processes behind one IP spend one counter, and neither
        # sees the other's requests except through the limiter's refusals.
        $null = Invoke-GliderEmulator $emu POST reset @{ portfolioCount = 300 }
        Set-GliderTestTiming @{ operationMs = 1000 }
        Set-Limit @{ global = @{ limit = 50; windowSeconds = 1 }; headers = 'tiered-only'; bucketing = 'per-ip'; tiers = @() }
        $pwsh = Get-PwshCommandLine
        $module = Join-Path (Get-GliderTestModulePath) 'GliderPS.psd1'
        $script = @'
param([string] $Module, [string] $BaseUri, [int] $Slice)
Import-Module $Module
Connect-Glider -BaseUri $BaseUri -ApiKey (ConvertTo-SecureString $env:GLIDER_TEST_KEY -AsPlainText -Force) -SkipValidation
$operations = @(Get-GliderPortfolio | Where-Object { [int] ($_.PortfolioId -replace '^\D+') % 2 -eq $Slice } |
    Invoke-GliderRebalance -ErrorVariable +problems | Wait-GliderOperation -PollIntervalSec 1 -ErrorVariable +problems)
'RESULT=' + (@{ Ids = @($operations | ForEach-Object PortfolioId); Errors = @($problems | ForEach-Object FullyQualifiedErrorId) } | ConvertTo-Json -Compress)
'@
        $scriptPath = Join-Path ([System.IO.Path]::GetTempPath()) "gliderps-two-processes-$PID.ps1"
        Set-Content -Path $scriptPath -Value $script
        $env:GLIDER_TEST_KEY = Get-GliderTestKey
        try {
            $jobs = foreach ($slice in 0, 1) {
                Start-ThreadJob -ArgumentList $pwsh, $scriptPath, $module, $emu.BaseUri, $slice -ScriptBlock {
                    param($Pwsh, $ScriptPath, $Module, $BaseUri, $Slice)
                    & $Pwsh[0] @($Pwsh | Select-Object -Skip 1) -NoProfile -NonInteractive -File $ScriptPath -Module $Module -BaseUri $BaseUri -Slice $Slice 2>&1
                }
            }
            $outputs = @($jobs | Wait-Job -Timeout 180 | Receive-Job)
            $jobs | Remove-Job -Force
        }
        finally {
            Remove-Item -Path $scriptPath -ErrorAction Ignore
            Remove-Item -Path Env:GLIDER_TEST_KEY -ErrorAction Ignore
        }

        $results = @($outputs | Where-Object { "$_" -like 'RESULT=*' } | ForEach-Object { "$_".Substring(7) | ConvertFrom-Json })
        $results.Count | Should -Be 2 -Because "both processes end and report ($($outputs -join ' | '))"
        @($results | ForEach-Object { $_.Errors }) | Should -BeNullOrEmpty
        $ids = @($results | ForEach-Object { $_.Ids })
        $ids.Count | Should -Be 300
        @($ids | Sort-Object -Unique).Count | Should -Be 300
        $log = @(Get-GliderTestRequest)
        $limited = @($log | Where-Object status -EQ 429)
        $limited.Count | Should -BeGreaterThan 0 -Because 'the scenario must reach the shared limit'
        ($limited.Count / $log.Count) | Should -BeLessThan 0.15 -Because "$($limited.Count) of $($log.Count) requests were refused"
    }
}
