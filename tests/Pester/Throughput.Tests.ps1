#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.7.1' }

# Concurrency, streaming and pacing, end to end against the emulator with its latency on. Every assertion reads what
# happened (the emulator's request log: arrival and completion of each request; the order of outputs), never a time.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'GliderTestHelper.psm1') -Force
    $emu = Initialize-GliderTest

    # The most requests the emulator was serving at one moment, from each entry's arrival and completion.
    function Get-MaxOverlap([object[]] $Entries) {
        $events = foreach ($entry in $Entries) {
            [pscustomobject]@{ At = [DateTimeOffset] $entry.time; Delta = 1 }
            [pscustomobject]@{ At = [DateTimeOffset] $entry.completedAt; Delta = -1 }
        }
        $current = 0; $max = 0
        # Ends before starts at the same instant: a request that ended is not overlapping one that began then.
        foreach ($event in ($events | Sort-Object At, Delta)) {
            $current += $event.Delta
            if ($current -gt $max) { $max = $current }
        }
        $max
    }

    function Get-Id([int] $Number) { 'pf_acme_{0:D4}' -f $Number }
}

AfterAll {
    Complete-GliderTest
}

Describe 'Concurrent writes' {
    BeforeEach {
        Reset-GliderTestEmulator -OperationMs 1000 -CooldownSeconds 30
    }

    It 'keeps up to -ThrottleLimit rebalance requests in flight, never more' {
        Set-GliderTestTiming @{ latencyMs = 300 }
        $ids = 1..12 | ForEach-Object { Get-Id $_ }
        $submissions = $ids | Invoke-GliderRebalance -ThrottleLimit 4
        $submissions | Should -HaveCount 12
        $posts = Get-GliderTestRequest -Method POST
        $posts | Should -HaveCount 12
        Get-MaxOverlap $posts | Should -Be 4
    }

    It 'raises the default in-flight count only while the rebalance route''s window shows budget to spare (<Case>)' -ForEach @(
        @{ Case = 'headers show a large window'; Headers = 'all'; Key = 43; First = 1; Throttle = $null; Expect = 'raised' }
        @{ Case = 'the route sends no headers'; Headers = 'tiered-only'; Key = 44; First = 101; Throttle = $null; Expect = 'default' }
        @{ Case = 'the user set -ThrottleLimit 16'; Headers = 'all'; Key = 45; First = 181; Throttle = 16; Expect = 'default' }
    ) {
        Set-GliderTestTiming @{ latencyMs = 200 }
        $null = Invoke-GliderEmulator $emu PUT limits @{ headers = $Headers }
        try {
            # A connection of its own: what a connection learned of a window belongs to it.
            $key = ConvertTo-SecureString -String ('gldr_sk_extra_{0:D2}_0000000000000000' -f $Key) -AsPlainText -Force
            Connect-Glider -ApiKey $key -BaseUri $emu.BaseUri -SkipValidation
            $ids = $First..($First + 69) | ForEach-Object { Get-Id $_ }
            $parameters = @{}
            if ($Throttle) { $parameters.ThrottleLimit = $Throttle }
            $submissions = $ids | Invoke-GliderRebalance @parameters
            $submissions | Should -HaveCount 70
            $overlap = Get-MaxOverlap (Get-GliderTestRequest -Method POST)
            if ($Expect -eq 'raised') {
                $overlap | Should -BeGreaterThan 16
                $overlap | Should -BeLessOrEqual 64
            }
            else {
                $overlap | Should -Be 16
            }
        }
        finally {
            $null = Invoke-GliderEmulator $emu PUT limits @{ headers = 'all' }
        }
    }

    It 'asks -Confirm per portfolio in input order, before that portfolio is sent (answered from a test host)' {
        # A child pwsh reads its answers to the confirmation prompts from standard input: yes, no, yes.
        $pwsh = Get-PwshCommandLine
        $module = Join-Path (Get-GliderTestModulePath) 'GliderPS.psd1'
        $script = @"
Import-Module '$module'
Connect-Glider -BaseUri '$($emu.BaseUri)' -ApiKey (ConvertTo-SecureString '$(Get-GliderTestKey)' -AsPlainText -Force) -SkipValidation
'pf_acme_0021', 'pf_acme_0022', 'pf_acme_0023' | Invoke-GliderRebalance -Confirm | ForEach-Object { 'SUBMITTED ' + `$_.PortfolioId }
"@
        $scriptPath = Join-Path ([System.IO.Path]::GetTempPath()) "gliderps-confirm-$PID.ps1"
        Set-Content -Path $scriptPath -Value $script
        try {
            $output = "Y`nN`nY`n" | & $pwsh[0] @($pwsh | Select-Object -Skip 1) -NoProfile -File $scriptPath 2>&1 | Out-String
        }
        finally { Remove-Item $scriptPath -Force }
        $prompts = [regex]::Matches($output, 'Performing the operation "Start a rebalance" on target "(pf_acme_\d+)"') | ForEach-Object { $_.Groups[1].Value }
        $prompts | Should -Be 'pf_acme_0021', 'pf_acme_0022', 'pf_acme_0023'
        (Get-GliderTestRequest -Method POST).rawTarget | Sort-Object | Should -Be '/v2/portfolios/pf_acme_0021/rebalance', '/v2/portfolios/pf_acme_0023/rebalance'
        $output | Should -Match 'SUBMITTED pf_acme_0021'
        $output | Should -Not -Match 'SUBMITTED pf_acme_0022'
    }

    It 'keeps every failure non-terminating with the portfolio as its target while the others go on' {
        Set-GliderTestTiming @{ latencyMs = 100 }
        $submissions = 'pf_acme_0031', 'pf_nope_0001', 'pf_acme_0032', 'pf_nope_0002' |
            Invoke-GliderRebalance -ErrorVariable failures -ErrorAction SilentlyContinue
        $submissions.PortfolioId | Sort-Object | Should -Be 'pf_acme_0031', 'pf_acme_0032'
        $failures | Should -HaveCount 2
        $failures.TargetObject | Sort-Object | Should -Be 'pf_nope_0001', 'pf_nope_0002'
        $failures.FullyQualifiedErrorId | Sort-Object -Unique | Should -Be 'GliderNotFound,Glider.PowerShell.Commands.InvokeGliderRebalanceCommand'
    }

    It 'ends on a 401 after the requests in flight are in, sends nothing more, and names the runs already started' {
        Set-GliderTestTiming @{ latencyMs = 200 }
        $null = Add-GliderTestFault @{ method = 'POST'; portfolioId = 'pf_acme_0043'; kind = 'status'; status = 401 }
        $ids = 41..60 | ForEach-Object { Get-Id $_ }
        $written = [System.Collections.Generic.List[object]]::new()
        $caught = $null
        try { $ids | Invoke-GliderRebalance -ThrottleLimit 4 | ForEach-Object { $written.Add($_) } }
        catch { $caught = $_ }
        $caught | Should -Not -BeNullOrEmpty
        $caught.FullyQualifiedErrorId | Should -Be 'GliderAuthenticationFailed,Glider.PowerShell.Commands.InvokeGliderRebalanceCommand'
        $posts = Get-GliderTestRequest -Method POST
        # pf_acme_0043 was the third; at most the throttle's worth was in flight or sent after it before its answer.
        $posts.Count | Should -BeLessOrEqual 7
        $accepted = @($posts | Where-Object status -EQ 202)
        $written.PortfolioId | Sort-Object | Should -Be ($accepted.rawTarget | ForEach-Object { ($_ -split '/')[3] } | Sort-Object)
        $started = $caught.Exception.Data['GliderStartedOperations']
        $started.PortfolioId | Sort-Object | Should -Be ($written.PortfolioId | Sort-Object)
        $caught.ErrorDetails.Message | Should -BeLike "*started $($accepted.Count) rebalance(s)*"
    }

    It 'with -ErrorAction Stop, drains the requests in flight and names every run already started in the error' {
        $null = Invoke-GliderRebalance -PortfolioId pf_acme_0052 -Wait -PollIntervalSec 1 -Timeout 20
        Set-GliderTestTiming @{ latencyMs = 200 }
        $null = Invoke-GliderEmulator $emu DELETE requests
        $caught = $null
        try { 'pf_acme_0051', 'pf_acme_0052', 'pf_acme_0053' | Invoke-GliderRebalance -Wait -PollIntervalSec 1 -ErrorAction Stop }
        catch { $caught = $_ }
        $caught.FullyQualifiedErrorId | Should -Be 'GliderRebalanceCooldown,Glider.PowerShell.Commands.InvokeGliderRebalanceCommand'
        $started = @($caught.Exception.Data['GliderStartedOperations'])
        $accepted = @(Get-GliderTestRequest -Method POST | Where-Object status -EQ 202)
        $accepted.Count | Should -BeGreaterThan 0
        $started.PortfolioId | Sort-Object | Should -Be ($accepted.rawTarget | ForEach-Object { ($_ -split '/')[3] } | Sort-Object)
        $started.OperationId | Should -BeLike 'rebalance:*'
        $caught.ErrorDetails.Message | Should -BeLike '*still running and were not waited for*pf_acme_0051*'
    }

    It 'cancels every request in flight on Ctrl+C within a second, and sends nothing afterwards' {
        Set-GliderTestTiming @{ latencyMs = 20000 }
        $connection = Connect-Glider -BaseUri $emu.BaseUri -ApiKey (Get-GliderTestSecureKey) -SkipValidation -PassThru
        $ps = New-GliderTestRunspace
        try {
            $null = $ps.AddScript({
                    param($Connection)
                    1..80 | ForEach-Object { 'pf_acme_{0:D4}' -f $_ } | Invoke-GliderRebalance -ThrottleLimit 32 -Connection $Connection
                }).AddArgument($connection)
            $async = $ps.BeginInvoke()
            (Wait-GliderTestCondition { (Get-GliderTestStat).requests -ge 32 } -TimeoutSec 30) | Should -BeTrue
            $watch = [System.Diagnostics.Stopwatch]::StartNew()
            $ps.Stop()
            $watch.Stop()
            $stoppedAt = [DateTimeOffset]::UtcNow
            $watch.Elapsed.TotalSeconds | Should -BeLessThan 1.5
            $async.IsCompleted | Should -BeTrue
        }
        finally { $ps.Dispose() }
        # All 32 were cut off by the client (each is logged when it is), and none arrived after them.
        (Wait-GliderTestCondition { @(Read-GliderTestRequestLog).Count -ge 32 } -TimeoutSec 10) | Should -BeTrue
        $posts = @(Get-GliderTestRequest -Method POST)
        $posts | Should -HaveCount 32
        $posts | Where-Object { [DateTimeOffset] $_.time -gt $stoppedAt } | Should -BeNullOrEmpty
        $posts.clientAborted | Sort-Object -Unique | Should -Be $true
        (Get-GliderTestStat).requests | Should -Be 32
    }
}

Describe 'A failure elsewhere in the pipeline' {
    BeforeEach {
        Reset-GliderTestEmulator -OperationMs 3000 -CooldownSeconds 30
    }

    It 'leaves no request being sent once a downstream command has failed' {
        Set-GliderTestTiming @{ latencyMs = 300 }
        $caught = $null
        try {
            1..40 | ForEach-Object { 'pf_acme_{0:D4}' -f (100 + $_) } |
                Invoke-GliderRebalance -ThrottleLimit 8 |
                ForEach-Object { throw 'downstream failed' }
        }
        catch { $caught = $_ }
        "$caught" | Should -Be 'downstream failed'
        $sent = [int] (Get-GliderTestStat).requests
        $sent | Should -BeLessOrEqual 16
        Wait-GliderTestCondition { [int] (Get-GliderTestStat).requests -gt $sent } -TimeoutSec 2 | Should -BeFalse -Because 'nothing is sent after the command has returned'
    }

    It 'stops polling once Select-Object -First has what it needs' {
        Set-GliderTestTiming @{ operationMs = 1000 }
        $quick = Invoke-GliderRebalance -PortfolioId pf_acme_0151
        Set-GliderTestTiming @{ operationMs = 60000 }
        $slow = Invoke-GliderRebalance -PortfolioId pf_acme_0152, pf_acme_0153
        $first = @($quick) + @($slow) | Wait-GliderOperation -PollIntervalSec 1 | Select-Object -First 1
        $first.PortfolioId | Should -Be 'pf_acme_0151'
        $sent = [int] (Get-GliderTestStat).requests
        Wait-GliderTestCondition { [int] (Get-GliderTestStat).requests -gt $sent } -TimeoutSec 3 | Should -BeFalse -Because 'the poll loop ended with the command'
    }
}

Describe 'Streaming' {
    BeforeEach {
        Reset-GliderTestEmulator -OperationMs 500 -CooldownSeconds 30
    }

    It 'emits the first finished operation while a slow upstream is still sending portfolios' {
        $script:produced = 0
        $firstSeenAfter = $null
        $upstream = {
            foreach ($n in 61..68) {
                'pf_acme_{0:D4}' -f $n
                $script:produced++
                Start-Sleep -Milliseconds 500   # the upstream's own pace, one portfolio every 500 ms
            }
        }
        $finished = & $upstream | Invoke-GliderRebalance | Wait-GliderOperation -PollIntervalSec 1 |
            ForEach-Object { if ($null -eq $firstSeenAfter) { $firstSeenAfter = $script:produced }; $_ }
        $finished | Should -HaveCount 8
        $firstSeenAfter | Should -BeLessThan 8
    }

    It 'Invoke-GliderRebalance -Wait emits a finished operation before its input ends' {
        $script:produced = 0
        $firstSeenAfter = $null
        $finished = & { foreach ($n in 71..76) { 'pf_acme_{0:D4}' -f $n; $script:produced++; Start-Sleep -Milliseconds 500 } } |
            Invoke-GliderRebalance -Wait -PollIntervalSec 1 |
            ForEach-Object { if ($null -eq $firstSeenAfter) { $firstSeenAfter = $script:produced }; $_ }
        $finished | Should -HaveCount 6
        $firstSeenAfter | Should -BeLessThan 6
    }

    It 'shows progress of the operations received so far, and a percentage only once input has ended, never going back' {
        $connection = Connect-Glider -BaseUri $emu.BaseUri -ApiKey (Get-GliderTestSecureKey) -SkipValidation -PassThru
        $ps = New-GliderTestRunspace
        try {
            $null = $ps.AddScript({
                    param($Connection)
                    $ProgressPreference = 'Continue'
                    & { foreach ($n in 161..166) { 'pf_acme_{0:D4}' -f $n; Start-Sleep -Milliseconds 400 } } |
                        Invoke-GliderRebalance -Connection $Connection |
                        Wait-GliderOperation -PollIntervalSec 1 -Connection $Connection
                }).AddArgument($connection)
            $finished = $ps.Invoke()
            $finished | Should -HaveCount 6
            $records = @($ps.Streams.Progress | Where-Object { $_.Activity -eq 'Waiting for Glider operations' -and $_.RecordType -ne 'Completed' })
        }
        finally { $ps.Dispose() }
        $records | Should -Not -BeNullOrEmpty
        @($records | Where-Object StatusDescription -Like '*received so far*') | Should -Not -BeNullOrEmpty
        @($records | Where-Object StatusDescription -Like '*received so far*').PercentComplete | Sort-Object -Unique | Should -Be -1
        $percentages = @($records | Where-Object PercentComplete -GE 0 | ForEach-Object PercentComplete)
        for ($i = 1; $i -lt $percentages.Count; $i++) { $percentages[$i] | Should -BeGreaterOrEqual $percentages[$i - 1] }
    }

    It 'times each operation from when it arrived' {
        Set-GliderTestTiming @{ operationMs = 2500 }
        $results = & { 'pf_acme_0081'; Start-Sleep -Milliseconds 2000; 'pf_acme_0082' } |
            Invoke-GliderRebalance -Wait -PollIntervalSec 1 -Timeout 4 -ErrorVariable failures -ErrorAction SilentlyContinue
        # Both finish about 2.5 s after their own trigger: within their own 4 s, though the second came 2 s later.
        $results.PortfolioId | Sort-Object | Should -Be 'pf_acme_0081', 'pf_acme_0082'
        $failures | Should -BeNullOrEmpty
    }
}

Describe 'Reads that overlap' {
    BeforeEach {
        Reset-GliderTestEmulator
    }

    It 'fetches many -PortfolioId values concurrently under -ThrottleLimit' {
        Set-GliderTestTiming @{ latencyMs = 300 }
        $portfolios = Get-GliderPortfolio -PortfolioId (1..10 | ForEach-Object { Get-Id $_ }) -ThrottleLimit 3
        $portfolios.PortfolioId | Sort-Object | Should -Be (1..10 | ForEach-Object { Get-Id $_ })
        Get-MaxOverlap (Get-GliderTestRequest -Method GET) | Should -Be 3
    }

    It 'requests the next page while the current one streams downstream, and only one page ahead' {
        $null = Invoke-GliderEmulator $emu POST reset @{ portfolioCount = 700 }
        $null = Invoke-GliderEmulator $emu DELETE requests
        $pagesAtFirstOutput = $null
        $count = 0
        Get-GliderPortfolio | ForEach-Object {
            if ($count -eq 0) {
                # Downstream holds the first portfolio; page 2 must arrive at the emulator anyway, page 3 must not.
                $null = Wait-GliderTestCondition { @(Read-GliderTestRequestLog | Where-Object rawTarget -Like '/v2/portfolios?*').Count -ge 2 } -TimeoutSec 10
                $pagesAtFirstOutput = @(Get-GliderTestRequest -Method GET -PathLike '/v2/portfolios?*').Count
            }
            $count++
        }
        $count | Should -Be 700
        $pagesAtFirstOutput | Should -Be 2
        @(Get-GliderTestRequest -Method GET -PathLike '/v2/portfolios?*').Count | Should -Be 4
    }
}

Describe 'One pacing gate per connection' {
    BeforeEach {
        Reset-GliderTestEmulator -OperationMs 500 -CooldownSeconds 30
    }

    It 'leaves no error record after a platform-429 storm on triggers and polls, and holds every request until RetryAt' {
        $null = Add-GliderTestFault @{ method = 'POST'; count = 3; kind = 'status'; status = 429; platformBody = $true; retryAfter = '2' }
        $null = Add-GliderTestFault @{ method = 'GET'; count = 3; kind = 'status'; status = 429; platformBody = $true; retryAfter = '2' }
        $ids = 91..98 | ForEach-Object { Get-Id $_ }
        $finished = $ids | Invoke-GliderRebalance -ThrottleLimit 8 -ErrorVariable submitErrors | Wait-GliderOperation -PollIntervalSec 1 -ErrorVariable waitErrors
        @($submitErrors) + @($waitErrors) | Should -BeNullOrEmpty
        $finished.PortfolioId | Sort-Object | Should -Be $ids
        $log = Get-GliderTestRequest
        @($log | Where-Object status -EQ 429).Count | Should -Be 6
        # After each 429 left the emulator, nothing of this connection arrived until its two seconds were over (a
        # little less for clocks read in two processes), except requests that were already on their way.
        foreach ($limited in @($log | Where-Object status -EQ 429)) {
            $answeredAt = [DateTimeOffset] $limited.completedAt
            $early = @($log | Where-Object { $_.time -and [DateTimeOffset] $_.time -gt $answeredAt.AddMilliseconds(100) -and [DateTimeOffset] $_.time -lt $answeredAt.AddMilliseconds(1900) })
            $early | Should -BeNullOrEmpty -Because "a 429 answered at $($answeredAt.ToString('HH:mm:ss.fff')) holds the connection for 2 s"
        }
    }

    It 'never re-sends a rebalance refused by the cooldown: it stays the GliderRebalanceCooldown record' {
        $null = Invoke-GliderRebalance -PortfolioId pf_acme_0099 -Wait -PollIntervalSec 1 -Timeout 20
        Invoke-GliderRebalance -PortfolioId pf_acme_0099 -ErrorVariable failures -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $failures[0].FullyQualifiedErrorId | Should -Be 'GliderRebalanceCooldown,Glider.PowerShell.Commands.InvokeGliderRebalanceCommand'
        @(Get-GliderTestRequest -Method POST).Count | Should -Be 2
    }

    It 'holds requests when the window is used up, before any 429' {
        Set-GliderTestTiming @{ rateLimitPerWindow = 5; rateLimitWindowSeconds = 2 }
        $portfolios = Get-GliderPortfolio -PortfolioId (1..12 | ForEach-Object { Get-Id $_ }) -ThrottleLimit 1 -ErrorVariable failures
        $failures | Should -BeNullOrEmpty
        $portfolios | Should -HaveCount 12
        @(Get-GliderTestRequest | Where-Object status -EQ 429) | Should -BeNullOrEmpty
    }
}
