#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.7.1' }

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'GliderTestHelper.psm1') -Force
    $emu = Initialize-GliderTest
}

AfterAll {
    Complete-GliderTest
}

Describe 'Disconnect-Glider' {
    BeforeEach {
        Reset-GliderTestEmulator
    }

    It 'forgets the default connection; API cmdlets then fail with GliderNotConnected naming Connect-Glider and GLIDER_API_KEY' {
        Get-GliderContext | Should -Not -BeNullOrEmpty
        Disconnect-Glider | Should -BeNullOrEmpty
        Get-GliderContext | Should -BeNullOrEmpty

        $failure = { Get-GliderPortfolio -PortfolioId pf_acme_0001 } |
            Should -Throw -ErrorId 'GliderNotConnected,Glider.PowerShell.Commands.GetGliderPortfolioCommand' -PassThru
        $failure.Exception.Message | Should -BeLike '*Connect-Glider*'
        $failure.Exception.Message | Should -BeLike '*GLIDER_API_KEY*'
        Get-GliderTestRequest | Should -BeNullOrEmpty
    }

    It 'is terminating even with -ErrorAction SilentlyContinue (nothing else could succeed)' {
        Disconnect-Glider
        { Invoke-GliderRebalance -PortfolioId pf_acme_0001 -ErrorAction SilentlyContinue } |
            Should -Throw -ErrorId 'GliderNotConnected,Glider.PowerShell.Commands.InvokeGliderRebalanceCommand'
    }

    It 'is harmless when not connected' {
        Disconnect-Glider
        { Disconnect-Glider } | Should -Not -Throw
    }

    It 'leaves a connection passed with -Connection usable' {
        $connection = Connect-Glider -ApiKey (Get-GliderTestSecureKey) -BaseUri $emu.BaseUri -PassThru
        Disconnect-Glider
        (Get-GliderPortfolio -PortfolioId pf_acme_0003 -Connection $connection).PortfolioId | Should -Be 'pf_acme_0003'
    }
}

Describe 'The GLIDER_API_KEY fallback' {
    BeforeEach {
        Reset-GliderTestEmulator -Key None
    }

    AfterEach {
        Remove-Item -Path Env:GLIDER_API_KEY, Env:GLIDER_BASE_URI -ErrorAction Ignore
    }

    It 'is used when not connected, and one client (one HTTP connection) serves every call' {
        $env:GLIDER_API_KEY = Get-GliderTestKey Tenant2
        $env:GLIDER_BASE_URI = "$($emu.BaseUri)/v2"
        1..5 | ForEach-Object { Get-GliderPortfolio -PortfolioId pf_boreal_0001 } | Should -HaveCount 5

        $requests = Get-GliderTestRequest
        $requests.Count | Should -Be 5
        $requests.apiKeyId | Sort-Object -Unique | Should -Be 'key_demo_t2'
        # A client per call would open a connection per call; the cached client reuses its pooled one.
        @($requests.connectionId | Sort-Object -Unique).Count | Should -Be 1
    }

    It 'makes no connection the default (Get-GliderContext stays empty)' {
        $env:GLIDER_API_KEY = Get-GliderTestKey
        $env:GLIDER_BASE_URI = $emu.BaseUri
        $null = Get-GliderPortfolio -PortfolioId pf_acme_0001
        Get-GliderContext | Should -BeNullOrEmpty
    }

    It 'is second to the Connect-Glider connection' {
        Connect-Glider -ApiKey (Get-GliderTestSecureKey) -BaseUri $emu.BaseUri -SkipValidation
        $env:GLIDER_API_KEY = Get-GliderTestKey Tenant2
        $env:GLIDER_BASE_URI = $emu.BaseUri
        $null = Get-GliderPortfolio -PortfolioId pf_acme_0001
        (Get-GliderTestRequest).apiKeyId | Should -Be 'key_demo_rw'
    }

    It 'fails terminating with GliderInvalidBaseUri when GLIDER_BASE_URI is garbage' {
        $env:GLIDER_API_KEY = Get-GliderTestKey
        $env:GLIDER_BASE_URI = 'not a uri'
        { Get-GliderPortfolio -PortfolioId pf_acme_0001 } |
            Should -Throw -ErrorId 'GliderInvalidBaseUri,Glider.PowerShell.Commands.GetGliderPortfolioCommand'
    }
}
