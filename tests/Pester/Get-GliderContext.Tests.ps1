#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.7.1' }

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'GliderTestHelper.psm1') -Force
    $emu = Initialize-GliderTest
}

AfterAll {
    Complete-GliderTest
}

Describe 'Get-GliderContext' {
    BeforeEach {
        Reset-GliderTestEmulator -Key None
    }

    It 'returns the current connection' {
        Connect-Glider -ApiKey (Get-GliderTestSecureKey) -BaseUri $emu.BaseUri
        $context = Get-GliderContext
        $context | Should -BeOfType ([Glider.PowerShell.GliderConnection])
        $context.TenantName | Should -Be 'Acme Capital'
        $context.TenantEmail | Should -Not -BeNullOrEmpty
    }

    It 'returns the latest connection after a reconnect' {
        Connect-Glider -ApiKey (Get-GliderTestSecureKey) -BaseUri $emu.BaseUri
        Connect-Glider -ApiKey (Get-GliderTestSecureKey Tenant2) -BaseUri $emu.BaseUri
        (Get-GliderContext).ApiKeyId | Should -Be 'key_demo_t2'
    }

    It 'returns nothing when not connected' {
        Get-GliderContext | Should -BeNullOrEmpty
    }

    It 'has a table view' {
        Connect-Glider -ApiKey (Get-GliderTestSecureKey) -BaseUri $emu.BaseUri
        $table = Get-GliderContext | Out-String -Width 300
        $table | Should -BeLike '*Tenant*ApiKeyId*BaseUri*Scopes*'
        $table | Should -BeLike '*portfolios:read, portfolios:write*'
    }
}

Describe 'The default connection is per runspace' {
    BeforeEach {
        Reset-GliderTestEmulator -Key None
    }

    It 'is not seen by another runspace, which can use -Connection instead' {
        $connection = Connect-Glider -ApiKey (Get-GliderTestSecureKey) -BaseUri $emu.BaseUri -PassThru
        $ps = New-GliderTestRunspace
        try {
            $null = $ps.AddScript({
                    param($Connection)
                    [pscustomobject]@{
                        Context   = @(Get-GliderContext).Count
                        Portfolio = (Get-GliderPortfolio -PortfolioId pf_acme_0007 -Connection $Connection).PortfolioId
                    }
                }).AddArgument($connection)
            $result = $ps.Invoke()
            $ps.Streams.Error | Should -BeNullOrEmpty
            $result[0].Context | Should -Be 0
            $result[0].Portfolio | Should -Be 'pf_acme_0007'
        }
        finally {
            $ps.Dispose()
        }
        (Get-GliderContext).ApiKeyId | Should -Be 'key_demo_rw'
    }

    It 'works in ForEach-Object -Parallel with $using:connection' {
        $connection = Connect-Glider -ApiKey (Get-GliderTestSecureKey) -BaseUri $emu.BaseUri -PassThru
        $modulePath = Join-Path (Get-GliderTestModulePath) 'GliderPS.psd1'
        $ids = 'pf_acme_0011', 'pf_acme_0012', 'pf_acme_0013' | ForEach-Object -ThrottleLimit 3 -Parallel {
            Import-Module $using:modulePath
            if (Get-GliderContext) { throw 'a parallel runspace must not inherit the default connection' }
            (Get-GliderPortfolio -PortfolioId $_ -Connection $using:connection).PortfolioId
        }
        $ids | Sort-Object | Should -Be 'pf_acme_0011', 'pf_acme_0012', 'pf_acme_0013'
    }
}
