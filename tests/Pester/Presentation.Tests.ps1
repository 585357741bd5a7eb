#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.7.1' }

# What users see: JSON and CSV of portfolios, the operation table when an error is printed between rows, the about
# topic's synopsis, and tab completion of -StrategyId.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'GliderTestHelper.psm1') -Force
    $emu = Initialize-GliderTest
}

AfterAll {
    Complete-GliderTest
}

Describe 'Serialising portfolios' {
    BeforeEach {
        Reset-GliderTestEmulator
    }

    It 'ConvertTo-Json writes the schedule interval as milliseconds, not fifteen TimeSpan fields' {
        $portfolio = Get-GliderPortfolio -PortfolioId pf_acme_0001
        $json = $portfolio | ConvertTo-Json -Depth 5 | ConvertFrom-Json
        $json.Schedule.IntervalMs | Should -BeOfType ([long])
        $json.Schedule.IntervalMs | Should -BeGreaterThan 0
        @($json.Schedule.PSObject.Properties.Name) | Should -Not -Contain 'Interval'
        $json.SmartAccountIds | Should -Be @($portfolio.SmartAccountIds)
    }

    It 'keeps the typed properties: Interval is a TimeSpan, SmartAccountIds a list of strings' {
        $portfolio = Get-GliderPortfolio -PortfolioId pf_acme_0001
        $portfolio.Schedule.Interval | Should -BeOfType ([TimeSpan])
        $portfolio.Schedule.Interval.TotalMilliseconds | Should -Be $portfolio.Schedule.IntervalMs
        ,$portfolio.SmartAccountIds | Should -BeOfType ([System.Collections.Generic.IReadOnlyList[string]])
    }

    It 'Export-Csv writes the account ids themselves, joined' {
        $portfolio = Get-GliderPortfolio -PortfolioId pf_acme_0001
        $row = $portfolio | ConvertTo-Csv | ConvertFrom-Csv
        $row.SmartAccountIds | Should -Be ($portfolio.SmartAccountIds -join '; ')
        $row.SmartAccountIds | Should -Not -BeLike '*Collection*'
    }
}

Describe 'The operation table' {
    BeforeEach {
        Reset-GliderTestEmulator -OperationMs 300
    }

    It 'gives the State, Time and Operation columns fixed widths that fit every value' {
        # A table without widths is sized from the rows the formatter has buffered when it starts; when an error is
        # printed between rows (each operation is written as it ends), later states were cut to "compl...". Whether
        # that happens depends on timing, so the view's widths are asserted, then one table is rendered.
        $view = (Get-FormatData -TypeName Glider.Client.Models.Operation).FormatViewDefinition |
            Where-Object { $_.Control -is [System.Management.Automation.TableControl] } | Select-Object -First 1
        $headers = @($view.Control.Headers)
        $headers.Label | Should -Be 'Operation', 'PortfolioId', 'State', 'Time', 'Error'
        $widths = @{}
        foreach ($header in $headers) { $widths[$header.Label] = $header.Width }
        $longestState = ('accepted', 'running', 'retrying', 'awaiting_user', 'completed', 'failed', 'cancelled' | Measure-Object -Property Length -Maximum).Maximum
        $widths.State | Should -BeGreaterOrEqual $longestState
        $widths.Time | Should -BeGreaterOrEqual '47h 59m so far'.Length
        $widths.Operation | Should -BeGreaterOrEqual ([Glider.PowerShell.DisplayText]::ShortId('rebalance:' + ('x' * 60))).Length
        $widths.Error | Should -Be 0 -Because 'the error text takes the rest of the line'

        Set-GliderTestOutcome -PortfolioId pf_acme_0020 -Outcome failed -ErrorMessage 'Slippage above 2%'
        $failed = Invoke-GliderRebalance -PortfolioId pf_acme_0020 -Wait -Timeout 60 -PollIntervalSec 1 -ErrorAction SilentlyContinue
        $completed = Invoke-GliderRebalance -PortfolioId pf_acme_0021 -Wait -Timeout 60 -PollIntervalSec 1
        $text = $failed, $completed | Out-String -Width 120
        $text | Should -Match 'pf_acme_0020 +failed +took'
        $text | Should -Match 'pf_acme_0021 +completed +took'
    }
}

Describe 'Help and completion' {
    BeforeEach {
        Reset-GliderTestEmulator
    }

    It 'gives the whole synopsis of the about topic' {
        $topic = Get-Help about_GliderPS
        $topic.Synopsis | Should -BeLike 'Triggers*Azure Automation runbooks.'
        (Get-Help about_Glider*).Synopsis | Should -Be $topic.Synopsis
    }

    It 'completes -StrategyId from the strategies of the connection''s portfolios' {
        $input = 'Get-GliderPortfolio -StrategyId strat_'
        $matches = (TabExpansion2 -inputScript $input -cursorColumn $input.Length).CompletionMatches
        $expected = @(Get-GliderPortfolio | ForEach-Object StrategyId | Sort-Object -Unique)
        $matches.CompletionText | Should -Be $expected
        $matches[0].ToolTip | Should -Match '^strat_\w+: .+ \(\d+ portfolio\(s\)\)$'
    }
}
