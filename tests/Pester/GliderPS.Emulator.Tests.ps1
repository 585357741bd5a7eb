#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.7.1' }
# The companion module users drive the emulator with (tools/GliderPS.Emulator, shipped inside the glider-emulator
# tool): what Start-GliderEmulator returns, the control functions, and how a refused start is reported.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'GliderTestHelper.psm1') -Force
    $emu = Initialize-GliderTest
    # The helper started the emulator through this module; the test calls its functions as a user would.
    Import-Module (Join-Path $PSScriptRoot '../../tools/GliderPS.Emulator/GliderPS.Emulator.psd1')
}

AfterAll {
    Complete-GliderTest
}

Describe 'Start-GliderEmulator' {
    It 'returns a ready connection for -Connection, and the emulator it started' {
        $emu.BaseUri | Should -Match '^http://127\.0\.0\.1:\d+$'
        $emu.ProcessId | Should -Be $emu.Process.Id
        $emu.EmulatorPath | Should -BeLike '*Glider.Emulator.dll'
        Clear-GliderEmulatorRequest -Emulator $emu
        (Get-GliderPortfolio -PortfolioId pf_acme_0001 -Connection $emu.Connection).PortfolioId | Should -Be 'pf_acme_0001'
        # The connection is built without a validation call: the log holds only what was asked.
        @(Get-GliderEmulatorRequest -Emulator $emu -Settle).rawTarget | Should -Be '/v2/portfolios/pf_acme_0001'
    }

    It 'passes a scenario and reports a refused one with the exit code and the reason' {
        $scenario = Join-Path $TestDrive 'scenario.json'
        Set-Content -Path $scenario -Value '{"portfolios": 3, "timings": {"cooldownSeconds": 7}}'
        $second = Start-GliderEmulator -Scenario $scenario
        try {
            (Invoke-GliderEmulator $second GET timings).cooldownSeconds | Should -Be 7
            @(Get-GliderPortfolio -Connection $second.Connection).Count | Should -Be 3
        }
        finally {
            Stop-GliderEmulator $second
        }
        Get-Process -Id $second.ProcessId -ErrorAction Ignore | Should -BeNullOrEmpty

        Set-Content -Path $scenario -Value '{"faults": [{"route": "Nowhere", "kind": "drop"}]}'
        { Start-GliderEmulator -Scenario $scenario } | Should -Throw "*(exit code 2)*--scenario: faults[[]0]: Unknown route 'Nowhere'*"
    }
}

Describe 'The control functions' {
    BeforeEach { Reset-GliderEmulator -Emulator $emu }

    It 'Set-GliderEmulatorOutcome makes the next run end as told, and -Clear forgets it' {
        Set-GliderEmulatorOutcome -Emulator $emu -PortfolioId pf_acme_0002 -Outcome failed -Message 'venue offline' -DurationMs 300
        $null = Invoke-GliderRebalance -PortfolioId pf_acme_0002 -Wait -PollIntervalSec 1 -Connection $emu.Connection -ErrorVariable failed -ErrorAction SilentlyContinue
        $failed[0].Exception.Message | Should -BeLike '*venue offline*'

        Set-GliderEmulatorOutcome -Emulator $emu -PortfolioId pf_acme_0002 -Clear
        Reset-GliderEmulator -Emulator $emu
        (Invoke-GliderRebalance -PortfolioId pf_acme_0002 -Wait -PollIntervalSec 1 -Connection $emu.Connection).State | Should -Be 'completed'
    }

    It 'Set-GliderEmulatorOutcome awaiting_user leaves the run waiting' {
        Set-GliderEmulatorOutcome -Emulator $emu -PortfolioId pf_acme_0003 -Outcome awaiting_user -DurationMs 200
        $submitted = Invoke-GliderRebalance -PortfolioId pf_acme_0003 -Connection $emu.Connection
        Wait-GliderTestCondition { ($submitted | Get-GliderOperation -Connection $emu.Connection).State -eq 'awaiting_user' } | Should -BeTrue
        (Get-GliderEmulatorStatistic -Emulator $emu).rebalancesStarted.pf_acme_0003 | Should -Be 1
    }

    It 'Add-GliderEmulatorFault fires on its route only, and Clear-GliderEmulatorFault removes it' {
        $id = Add-GliderEmulatorFault -Emulator $emu -Route GetPortfolio -Kind status -Status 500 -Count 1
        $id | Should -Match '^fault_\d+$'
        $null = Get-GliderPortfolio -Status active -Connection $emu.Connection
        $null = Get-GliderPortfolio -PortfolioId pf_acme_0004 -Connection $emu.Connection
        $log = @(Get-GliderEmulatorRequest -Emulator $emu -Settle)
        ($log | Where-Object { $_.rawTarget.StartsWith('/v2/portfolios?') }).fault | Should -BeNullOrEmpty
        @($log | Where-Object rawTarget -EQ '/v2/portfolios/pf_acme_0004').status | Should -Be 500, 200

        $null = Add-GliderEmulatorFault -Emulator $emu -Rule @{ kind = 'status'; status = 503; route = 'GetPortfolio' }
        Clear-GliderEmulatorFault -Emulator $emu
        Clear-GliderEmulatorRequest -Emulator $emu
        $null = Get-GliderPortfolio -PortfolioId pf_acme_0004 -Connection $emu.Connection
        @(Get-GliderEmulatorRequest -Emulator $emu -Settle).status | Should -Be 200
    }
}
