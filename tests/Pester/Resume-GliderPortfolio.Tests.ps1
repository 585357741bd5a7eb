#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.7.1' }

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'GliderTestHelper.psm1') -Force
    $emu = Initialize-GliderTest
}

AfterAll {
    Complete-GliderTest
}

Describe 'Resume-GliderPortfolio' {
    BeforeEach {
        Reset-GliderTestEmulator
    }

    It 'resumes the schedule with POST /start and emits the portfolio the API returns' {
        $before = [DateTimeOffset]::UtcNow.AddSeconds(-5)
        $portfolio = Resume-GliderPortfolio -PortfolioId pf_acme_0005
        $portfolio | Should -BeOfType ([Glider.Client.Models.Portfolio])
        $portfolio.ScheduleStatus | Should -Be 'active'
        # The API makes the next rebalance due at once.
        $portfolio.NextDueAt | Should -BeGreaterThan $before
        (Get-GliderTestRequest -Method POST).rawTarget | Should -Be '/v2/portfolios/pf_acme_0005/start'
    }

    It 'takes paused portfolios from Get-GliderPortfolio' {
        $resumed = Get-GliderPortfolio -PortfolioId pf_acme_0010, pf_acme_0015 | Resume-GliderPortfolio
        $resumed.PortfolioId | Sort-Object | Should -Be 'pf_acme_0010', 'pf_acme_0015'
        $resumed.ScheduleStatus | Sort-Object -Unique | Should -Be 'active'
    }

    It 'round-trips with Suspend-GliderPortfolio' {
        (Suspend-GliderPortfolio -PortfolioId pf_acme_0001 | Resume-GliderPortfolio).ScheduleStatus | Should -Be 'active'
    }

    It 'sends no request with -WhatIf' {
        Resume-GliderPortfolio -PortfolioId pf_acme_0005 -WhatIf | Should -BeNullOrEmpty
        Get-GliderTestRequest | Should -BeNullOrEmpty
    }

    It 'writes GliderBadRequest for a portfolio without a schedule' {
        Resume-GliderPortfolio -PortfolioId pf_acme_0050 -ErrorVariable failures -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $failures[0].FullyQualifiedErrorId | Should -Be 'GliderBadRequest,Glider.PowerShell.Commands.ResumeGliderPortfolioCommand'
        $failures[0].TargetObject | Should -Be 'pf_acme_0050'
    }

    It 'writes GliderPermissionDenied for a read-only key' {
        Reset-GliderTestEmulator -Key ReadOnly
        Resume-GliderPortfolio -PortfolioId pf_acme_0005 -ErrorVariable failures -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $failures[0].FullyQualifiedErrorId | Should -Be 'GliderPermissionDenied,Glider.PowerShell.Commands.ResumeGliderPortfolioCommand'
    }

    It 'refuses an empty id before any request' {
        { Resume-GliderPortfolio -PortfolioId '' } |
            Should -Throw -ErrorId 'ParameterArgumentValidationError,Glider.PowerShell.Commands.ResumeGliderPortfolioCommand'
        Get-GliderTestRequest | Should -BeNullOrEmpty
    }
}
