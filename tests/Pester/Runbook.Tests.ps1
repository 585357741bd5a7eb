#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.7.1' }

# The runbook pattern the README, about_GliderPS and tools/Demo.ps1 teach: wait for every run, write every result and
# every error, and only then fail the job when anything failed. (-ErrorAction Stop on the wait would stop at the first
# failed operation and never write the others.)

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'GliderTestHelper.psm1') -Force
    $emu = Initialize-GliderTest

    # The pattern as the README writes it, run in a child scope as a runbook job would run it.
    $runbook = {
        [CmdletBinding()]
        param([string[]] $PortfolioId)
        $PortfolioId | Invoke-GliderRebalance -ErrorVariable +problems |
            Wait-GliderOperation -Timeout 600 -PollIntervalSec 1 -ErrorVariable +problems
        if ($problems) { throw "$($problems.Count) rebalance(s) did not complete; every result and error is written above." }
    }
}

AfterAll {
    Complete-GliderTest
}

Describe 'The runbook pattern' {
    BeforeEach {
        Reset-GliderTestEmulator -OperationMs 600
    }

    It 'writes every result and every error, then fails the job once at the end' {
        Set-GliderTestOutcome -PortfolioId pf_acme_0012 -Outcome failed -ErrorMessage 'Slippage above 2% on ETH/USDC'
        # pf_acme_0014 is put in its cooldown first, so its trigger fails before any wait.
        $null = Invoke-GliderRebalance -PortfolioId pf_acme_0014 -Wait -Timeout 60 -PollIntervalSec 1
        $null = Invoke-GliderEmulator $emu DELETE requests

        $written = [System.Collections.Generic.List[object]]::new()
        $thrown = $null
        try {
            & $runbook -PortfolioId pf_acme_0011, pf_acme_0012, pf_acme_0013, pf_acme_0014 2>&1 |
                ForEach-Object { $written.Add($_) }
        }
        catch { $thrown = $_ }

        # Every operation that started was waited for and written, the failed one included.
        $operations = @($written | Where-Object { $_ -is [Glider.Client.Models.Operation] })
        @($operations | Sort-Object PortfolioId | ForEach-Object { "$($_.PortfolioId)=$($_.State)" }) |
            Should -Be 'pf_acme_0011=completed', 'pf_acme_0012=failed', 'pf_acme_0013=completed'
        # Both problems reached the error stream as they happened (the job log shows them) ...
        @($written | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] } |
            ForEach-Object { $_.FullyQualifiedErrorId.Split(',')[0] } | Sort-Object) |
            Should -Be 'GliderOperationFailed', 'GliderRebalanceCooldown'
        # ... and the job failed at the end, once, counting them.
        $thrown | Should -Not -BeNullOrEmpty
        "$thrown" | Should -BeLike '2 rebalance(s) did not complete*'
        @(Get-GliderTestRequest -Method POST) | Should -HaveCount 4
    }

    It 'ends without an error when every rebalance completed' {
        $written = & $runbook -PortfolioId pf_acme_0015, pf_acme_0016
        @($written.State) | Should -Be 'completed', 'completed'
    }
}
