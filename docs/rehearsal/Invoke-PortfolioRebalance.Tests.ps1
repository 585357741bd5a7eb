# Rehearses Invoke-PortfolioRebalance.ps1 against the Glider API emulator (the glider-emulator .NET tool) before it
# touches real portfolios. Copy this folder next to your runbook, adapt the names, and run: Invoke-Pester ./
# Needs: GliderPS, Pester 5, and glider-emulator on the PATH (docs/rehearsal.md says how to install it).

BeforeAll {
    Import-Module GliderPS
    Import-Module (glider-emulator --module-path)
    $emulator = Start-GliderEmulator -Scenario (Join-Path $PSScriptRoot 'scenario.json')
    $runbook = Join-Path $PSScriptRoot 'Invoke-PortfolioRebalance.ps1'
    # Short polls keep the rehearsal quick; the runbook's defaults are for production.
    $fast = @{ Connection = $emulator.Connection; PollIntervalSec = 1; TimeoutSec = 60 }

    function Get-RebalanceStatus([string] $PortfolioId) {
        @(Get-GliderEmulatorRequest -Method POST -PathLike "*/$PortfolioId/rebalance" -Settle | ForEach-Object status)
    }
}

AfterAll {
    if ($emulator) { Stop-GliderEmulator $emulator }
}

Describe 'Invoke-PortfolioRebalance' {
    # Each test starts from the scenario: its portfolios, outcomes and faults, no cooldowns, an empty request log.
    BeforeEach { Reset-GliderEmulator }

    It 'rebalances each portfolio once and completes' {
        & $runbook -PortfolioId pf_north_0001, pf_north_0002 @fast | Should -Contain 'pf_north_0001: completed'

        Get-RebalanceStatus pf_north_0001 | Should -Be 202
        Get-RebalanceStatus pf_north_0002 | Should -Be 202
    }

    It 'waits out a cooldown and then rebalances' {
        # Arrange: a run that failed a moment ago leaves the portfolio in its cooldown.
        Set-GliderEmulatorOutcome -PortfolioId pf_north_0004 -Outcome failed -Message 'venue offline'
        $null = Invoke-GliderRebalance -PortfolioId pf_north_0004 -Wait -PollIntervalSec 1 -Connection $emulator.Connection -ErrorAction SilentlyContinue
        Set-GliderEmulatorOutcome -PortfolioId pf_north_0004 -Clear
        Clear-GliderEmulatorRequest

        & $runbook -PortfolioId pf_north_0004 @fast 3>$null | Should -Contain 'pf_north_0004: completed'

        # Refused with the cooldown's 429 first, accepted after waiting, and nothing in between.
        Get-RebalanceStatus pf_north_0004 | Should -Be 429, 202
    }

    It 'fails the job when a rebalance fails, after waiting for the others' {
        { & $runbook -PortfolioId pf_north_0001, pf_north_0003 @fast } | Should -Throw '*pf_north_0003*Slippage above 2%*'

        $operationPolls = Get-GliderEmulatorRequest -Method GET -PathLike '*/pf_north_0001/operations/*' -Settle
        $operationPolls.Count | Should -BeGreaterThan 0
        (Get-GliderEmulatorStatistic).rebalancesStarted.pf_north_0001 | Should -Be 1
    }

    It 'does not rebalance twice when the job is restarted' {
        $ids = 'pf_north_0001', 'pf_north_0002'
        # The first job dies while its runs are in flight, as a job does when Azure Automation restarts it.
        $job = Start-ThreadJob -ScriptBlock { $fast = $using:fast; & $using:runbook -PortfolioId $using:ids @fast }
        $deadline = [DateTime]::UtcNow.AddSeconds(30)
        while (@(Get-GliderEmulatorRequest -Method POST | Where-Object status -EQ 202).Count -lt 2 -and [DateTime]::UtcNow -lt $deadline) {
            Start-Sleep -Milliseconds 50
        }
        $job | Stop-Job -PassThru | Remove-Job

        # The restarted job triggers again, gets the runs in flight, and waits for them; a third run has nothing to do.
        & $runbook -PortfolioId $ids @fast | Should -Contain 'pf_north_0002: completed'
        & $runbook -PortfolioId $ids @fast | Should -Contain '0 of 2 portfolio(s) to rebalance.'

        $started = (Get-GliderEmulatorStatistic).rebalancesStarted
        $started.pf_north_0001 | Should -Be 1
        $started.pf_north_0002 | Should -Be 1
    }
}
