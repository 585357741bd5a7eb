#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.7.1' }
# Resilience, transport and faults: a fault soak where nothing is lost or duplicated, definitive errors never retried,
# transient ones retried a bounded number of times with jitter, stalls retried and reported as timeouts, and a
# trigger whose answer was lost never starts a second run.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'GliderTestHelper.psm1') -Force
    $emu = Initialize-GliderTest
    Import-Module (Join-Path $PSScriptRoot 'Resilience.Support.psm1') -Force
    $soakScript = Join-Path $PSScriptRoot '..' '..' 'tools' 'Soak.ps1'
}

AfterAll {
    Complete-GliderTest
}

Describe 'Resilience: fault soak (CI size)' {
    It 'waits for 200 operations under ~10% poll faults: each reported once with its true state, no leftovers' {
        $figures = & $soakScript -ModulePath (Get-GliderTestModulePath) -Operations 200 -OperationMs 3000 -PassThru 6>$null
        $figures.Problems | Should -BeNullOrEmpty
        $figures.UnhandledException | Should -BeNullOrEmpty
        $figures.Lost | Should -Be 0
        $figures.Duplicated | Should -Be 0
        $figures.WrongState | Should -Be 0
        $figures.OtherErrors | Should -Be 0
        ($figures.EmittedCorrectly + $figures.RetriesExhausted) | Should -Be 200
        $figures.Failed | Should -Be 20
        $figures.Cancelled | Should -Be 20
        $figures.RequestsAfterReturn | Should -Be 0 -Because 'nothing keeps polling once the cmdlet has returned'
        # Enough faults of each kind to mean something (about 80 expected over ~800 polls).
        $figures.FaultsTotal | Should -BeGreaterThan 30
        foreach ($kind in 'status', 'delay', 'reset-mid-body', 'truncate') {
            $figures.FaultsInjected.$kind | Should -BeGreaterThan 0 -Because "the soak injected $kind faults"
        }
        $figures.Retries | Should -BeGreaterOrEqual ($figures.FaultsTotal * 0.9)
        # A pool of at most 32 polls in flight, plus one new connection per fault that costs one (and a little slack).
        $figures.ConnectionsOpened | Should -BeLessOrEqual (32 + $figures.ConnectionKillingFaults + 8)
    }
}

Describe 'Resilience: what is retried and what is not' {
    BeforeEach {
        Reset-GliderTestEmulator
    }

    It '<Status> is never retried (<Command>)' -ForEach @(
        foreach ($status in 400, 401, 403, 404) {
            @{ Status = $status; Command = 'Get-GliderPortfolio'; Method = 'GET' }
            @{ Status = $status; Command = 'Suspend-GliderPortfolio'; Method = 'POST' }
            @{ Status = $status; Command = 'Get-GliderOperation'; Method = 'GET' }
        }
    ) {
        $null = Add-GliderTestFault @{ kind = 'status'; status = $Status; method = $Method; count = 1 }
        $invoke = switch ($Command) {
            'Get-GliderPortfolio' { { Get-GliderPortfolio -PortfolioId pf_acme_0001 -ErrorAction SilentlyContinue } }
            'Suspend-GliderPortfolio' { { Suspend-GliderPortfolio -PortfolioId pf_acme_0001 -Confirm:$false -ErrorAction SilentlyContinue } }
            'Get-GliderOperation' { { Get-GliderOperation -PortfolioId pf_acme_0001 -OperationId 'op:1' -ErrorAction SilentlyContinue } }
        }
        try { $null = & $invoke } catch { $null = $_ } # 401 is terminating by design
        Get-ResilienceLog $emu -AtLeast 1 | Should -HaveCount 1
    }

    It '50 parallel callers hitting 503 retry a bounded number of times, at jittered (spread out) moments' {
        $client = New-ResilienceClient -BaseUri $emu.BaseUri -RetryBaseDelay ([timespan]::FromMilliseconds(400)) -MaxRetryAttempts 4
        try {
            $null = Add-GliderTestFault @{ kind = 'status'; status = 503; method = 'GET'; pathContains = '/portfolios/pf_acme_00' }
            $tasks = foreach ($n in 1..50) { $client.GetPortfolioAsync(('pf_acme_{0:d4}' -f $n), [System.Threading.CancellationToken]::None) }
            $finished = [System.Threading.Tasks.Task]::WhenAll([System.Threading.Tasks.Task[]] $tasks)
            $finished.Wait(60000) | Out-Null
        }
        catch {
            $null = $_ # every caller fails with the 503 after its retries
        }
        finally {
            $client.Dispose()
        }
        @($tasks | Where-Object { -not $_.IsCompleted }) | Should -BeNullOrEmpty
        @($tasks | Where-Object { $_.Exception.InnerException -isnot [Glider.Client.Errors.GliderServerException] }) | Should -BeNullOrEmpty

        $log = Get-ResilienceLog $emu -AtLeast 250
        $log.Count | Should -BeLessOrEqual (50 * (1 + 4)) -Because 'total attempts stay within callers x (1 + max retries)'
        $byCaller = $log | Group-Object rawTarget
        $byCaller | Should -HaveCount 50
        $normalized = [System.Collections.Generic.List[double]]::new()
        foreach ($caller in $byCaller) {
            $caller.Count | Should -BeLessOrEqual 5
            $times = @($caller.Group | ForEach-Object { [datetimeoffset] $_.time } | Sort-Object)
            for ($k = 1; $k -lt $times.Count; $k++) {
                # Retry k waits a random part of 400 ms * 2^(k-1): divided by that ceiling, uniform on [0, 1).
                $normalized.Add(($times[$k] - $times[$k - 1]).TotalMilliseconds / (400 * [Math]::Pow(2, $k - 1)))
            }
        }
        $normalized.Count | Should -BeGreaterThan 150
        $mean = ($normalized | Measure-Object -Average).Average
        $deviation = [Math]::Sqrt(($normalized | ForEach-Object { ($_ - $mean) * ($_ - $mean) } | Measure-Object -Average).Average)
        # Full jitter gives about 0.29; the same fixed delay for everyone gives about 0 (plus scheduling noise).
        $deviation | Should -BeGreaterThan 0.15 -Because 'the callers'' retries are spread out, not synchronized'
        # Second attempts: no 100 ms window holds most of them.
        $seconds = @($byCaller | ForEach-Object { @($_.Group | ForEach-Object { [datetimeoffset] $_.time } | Sort-Object)[1] } | Sort-Object)
        $crowded = 0
        for ($i = 0; $i -lt $seconds.Count; $i++) {
            $inWindow = @($seconds | Where-Object { $_ -ge $seconds[$i] -and ($_ - $seconds[$i]).TotalMilliseconds -lt 100 }).Count
            if ($inWindow -gt $crowded) { $crowded = $inWindow }
        }
        $crowded | Should -BeLessThan 35
    }
}

Describe 'Resilience: stalls and timeouts' {
    BeforeAll {
        $short = New-ResilienceConnection -BaseUri $emu.BaseUri -RequestTimeout ([timespan]::FromSeconds(2)) -MaxRetryAttempts 1 -RetryBaseDelay ([timespan]::FromMilliseconds(200))
    }
    BeforeEach {
        Reset-GliderTestEmulator
        # Warm the connection (first-call JIT must not eat into the 2 s).
        $null = Get-GliderPortfolio -PortfolioId pf_acme_0001 -Connection $short
        $null = Invoke-GliderEmulator $emu DELETE requests
    }

    It 'retries a GET whose answer stalls past the per-attempt timeout, and the stalled connection is closed' {
        $null = Add-GliderTestFault @{ kind = 'delay'; delayMs = 6000; method = 'GET'; count = 1 }
        $portfolio = Get-GliderPortfolio -PortfolioId pf_acme_0002 -Connection $short
        $portfolio.PortfolioId | Should -Be 'pf_acme_0002'
        Wait-GliderTestCondition { @(Get-ResilienceLog $emu).Count -ge 2 } -TimeoutSec 10 | Should -BeTrue
        $log = Get-ResilienceLog $emu
        $log | Should -HaveCount 2
        $stalled = $log | Where-Object fault -EQ 'delay'
        $stalled.clientAborted | Should -BeTrue
        ([datetimeoffset] $stalled.completedAt - [datetimeoffset] $stalled.time).TotalSeconds | Should -BeLessThan 5.5
        ($log | Where-Object { -not $_.fault }).status | Should -Be 200
    }

    It 'reports a stall that outlasts every attempt as a request timeout, not as a cancellation' {
        $null = Add-GliderTestFault @{ kind = 'delay'; delayMs = 6000; method = 'GET' }
        $null = Get-GliderPortfolio -PortfolioId pf_acme_0003 -Connection $short -ErrorAction SilentlyContinue -ErrorVariable failures
        $failures | Should -HaveCount 1
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'GliderRequestTimeout,*'
        $failures[0].CategoryInfo.Category | Should -Be 'OperationTimeout'
        $failures[0].Exception | Should -BeOfType ([Glider.Client.Errors.GliderTimeoutException])
        $failures[0].Exception | Should -Not -BeOfType ([System.OperationCanceledException])
        $failures[0].Exception.Message | Should -BeLike '*timed out*'
        Wait-GliderTestCondition { @(Get-ResilienceLog $emu).Count -ge 2 } -TimeoutSec 10 | Should -BeTrue
        Get-ResilienceLog $emu | Should -HaveCount 2 -Because 'one attempt and its one retry'
    }

    It 'reports a wait that outlasts -Timeout as an operation timeout, not as a cancellation' {
        Set-GliderTestTiming @{ operationMs = 60000 }
        $submission = Invoke-GliderRebalance -PortfolioId pf_acme_0004
        $null = $submission | Wait-GliderOperation -Timeout 2 -PollIntervalSec 1 -ErrorAction SilentlyContinue -ErrorVariable failures
        $failures | Should -HaveCount 1
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'GliderOperationTimeout,*'
        $failures[0].CategoryInfo.Category | Should -Be 'OperationTimeout'
    }
}

Describe 'Resilience: the trigger whose answer is lost' {
    It 'starts exactly one rebalance when the connection drops after the server read the POST (run lasts <OperationMs> ms)' -ForEach @(
        @{ OperationMs = 3000 }, @{ OperationMs = 100 }
    ) {
        Reset-GliderTestEmulator -OperationMs $OperationMs -CooldownSeconds 30
        $null = Add-GliderTestFault @{ kind = 'drop-after-read'; method = 'POST'; pathContains = '/rebalance'; count = 1 }
        $submission = Invoke-GliderRebalance -PortfolioId pf_acme_0030 -ErrorAction SilentlyContinue -ErrorVariable failures
        # Whatever the module decided (re-send and get the same run, or report the loss), the server started one run.
        Start-Sleep -Milliseconds 500
        (Get-GliderTestStat).rebalancesStarted.pf_acme_0030 | Should -Be 1
        if ($submission) {
            $submission.PortfolioId | Should -Be 'pf_acme_0030'
        }
        else {
            $failures | Should -HaveCount 1
            $failures[0].Exception.Message | Should -BeLike '*may have started*'
        }
    }
}
