#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.7.1' }

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'GliderTestHelper.psm1') -Force
    $emu = Initialize-GliderTest
}

AfterAll {
    Complete-GliderTest
}

Describe 'Suspend-GliderPortfolio' {
    BeforeEach {
        Reset-GliderTestEmulator
    }

    It 'pauses the schedule with POST /stop and emits the portfolio the API returns' {
        $portfolio = Suspend-GliderPortfolio -PortfolioId pf_acme_0001
        $portfolio | Should -BeOfType ([Glider.Client.Models.Portfolio])
        $portfolio.PortfolioId | Should -Be 'pf_acme_0001'
        $portfolio.ScheduleStatus | Should -Be 'paused'
        (Get-GliderTestRequest -Method POST).rawTarget | Should -Be '/v2/portfolios/pf_acme_0001/stop'
        (Get-GliderPortfolio -PortfolioId pf_acme_0001).ScheduleStatus | Should -Be 'paused'
    }

    It 'is idempotent on a paused portfolio' {
        (Suspend-GliderPortfolio -PortfolioId pf_acme_0005).ScheduleStatus | Should -Be 'paused'
    }

    It 'takes portfolios from the pipeline (by property name and by value)' {
        $paused = Get-GliderPortfolio -PortfolioId pf_acme_0002, pf_acme_0003 | Suspend-GliderPortfolio
        $paused.PortfolioId | Sort-Object | Should -Be 'pf_acme_0002', 'pf_acme_0003'
        ('pf_acme_0004' | Suspend-GliderPortfolio).ScheduleStatus | Should -Be 'paused'
    }

    It 'sends no request with -WhatIf' {
        Suspend-GliderPortfolio -PortfolioId pf_acme_0001, pf_acme_0002 -WhatIf | Should -BeNullOrEmpty
        Get-GliderTestRequest | Should -BeNullOrEmpty
    }

    It 'writes GliderBadRequest (InvalidArgument) for a portfolio without a schedule and goes on' {
        $portfolios = Suspend-GliderPortfolio -PortfolioId pf_acme_0025, pf_acme_0026 -ErrorVariable failures -ErrorAction SilentlyContinue
        $portfolios.PortfolioId | Should -Be 'pf_acme_0026'
        $failures[0].FullyQualifiedErrorId | Should -Be 'GliderBadRequest,Glider.PowerShell.Commands.SuspendGliderPortfolioCommand'
        $failures[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
        $failures[0].TargetObject | Should -Be 'pf_acme_0025'
    }

    It 'writes GliderPermissionDenied for a read-only key' {
        Reset-GliderTestEmulator -Key ReadOnly
        Suspend-GliderPortfolio -PortfolioId pf_acme_0001 -ErrorVariable failures -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $failures[0].FullyQualifiedErrorId | Should -Be 'GliderPermissionDenied,Glider.PowerShell.Commands.SuspendGliderPortfolioCommand'
        $failures[0].CategoryInfo.Category | Should -Be 'PermissionDenied'
    }

    It 'writes GliderNotFound for a missing portfolio' {
        Suspend-GliderPortfolio -PortfolioId pf_nope_0001 -ErrorVariable failures -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $failures[0].FullyQualifiedErrorId | Should -Be 'GliderNotFound,Glider.PowerShell.Commands.SuspendGliderPortfolioCommand'
        $failures[0].TargetObject | Should -Be 'pf_nope_0001'
    }

    It 'refuses an empty id before any request' {
        { Suspend-GliderPortfolio -PortfolioId ' ' } |
            Should -Throw -ErrorId 'ParameterArgumentValidationError,Glider.PowerShell.Commands.SuspendGliderPortfolioCommand'
        Get-GliderTestRequest | Should -BeNullOrEmpty
    }
}
