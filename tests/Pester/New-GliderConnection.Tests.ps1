#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.7.1' }

# New-GliderConnection makes a connection for -Connection and never touches the default one; a deserialized copy of
# a connection (what a process job receives) is refused with an error that says what works instead.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'GliderTestHelper.psm1') -Force
    $emu = Initialize-GliderTest
}

AfterAll {
    Complete-GliderTest
}

Describe 'New-GliderConnection' {
    BeforeEach {
        Reset-GliderTestEmulator
    }

    It 'is exported by the manifest' {
        (Get-Module GliderPS).ExportedCmdlets.Keys | Should -Contain 'New-GliderConnection'
        (Import-PowerShellDataFile (Join-Path (Get-GliderTestModulePath) 'GliderPS.psd1')).CmdletsToExport | Should -Contain 'New-GliderConnection'
    }

    It 'emits a validated connection of another tenant and leaves the default connection as it was' {
        $default = Get-GliderContext
        $other = New-GliderConnection -ApiKey (Get-GliderTestSecureKey Tenant2) -BaseUri $emu.BaseUri
        $other | Should -BeOfType ([Glider.PowerShell.GliderConnection])
        $other.IsValidated | Should -BeTrue
        [object]::ReferenceEquals((Get-GliderContext), $default) | Should -BeTrue

        # Each call goes with its own key: the other tenant sees its own portfolios, the default sees Acme's.
        (Get-GliderPortfolio -Connection $other | Select-Object -First 1).PortfolioId | Should -Not -BeLike 'pf_acme_*'
        (Get-GliderPortfolio -PortfolioId pf_acme_0001).PortfolioId | Should -Be 'pf_acme_0001'
        $null = Get-GliderPortfolio -PortfolioId pf_acme_0001 -Connection $other -ErrorAction SilentlyContinue -ErrorVariable failures
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'GliderNotFound,*'
    }

    It 'does not make a default connection when there was none' {
        Disconnect-Glider
        $null = New-GliderConnection -ApiKey (Get-GliderTestSecureKey) -BaseUri $emu.BaseUri -SkipValidation
        Get-GliderContext | Should -BeNullOrEmpty
        Get-GliderTestRequest | Should -BeNullOrEmpty -Because '-SkipValidation sends nothing'
    }

    It 'validates like Connect-Glider: a bad key is a terminating error and nothing is emitted' {
        $result = $null
        { $script:result = New-GliderConnection -ApiKey (Get-GliderTestSecureKey Expired) -BaseUri $emu.BaseUri -ErrorAction Stop } |
            Should -Throw -ErrorId 'GliderAuthenticationFailed,Glider.PowerShell.Commands.NewGliderConnectionCommand'
        $script:result | Should -BeNullOrEmpty
        { New-GliderConnection -ApiKey (Get-GliderTestSecureKey) -BaseUri 'http://example.com' -ErrorAction Stop } |
            Should -Throw -ErrorId 'GliderInvalidBaseUri,Glider.PowerShell.Commands.NewGliderConnectionCommand'
        { New-GliderConnection -RequestTimeoutSec 0 } | Should -Throw -ErrorId 'ParameterArgumentValidationError,Glider.PowerShell.Commands.NewGliderConnectionCommand'
    }

    It 'warns, as Connect-Glider does, when the key cannot write' {
        $null = New-GliderConnection -ApiKey (Get-GliderTestSecureKey ReadOnly) -BaseUri $emu.BaseUri -WarningVariable warnings -WarningAction SilentlyContinue
        "$warnings" | Should -BeLike '*portfolios:write*'
    }

    It 'Connect-Glider -PassThru still replaces the default (as documented)' {
        $before = Get-GliderContext
        $made = Connect-Glider -ApiKey (Get-GliderTestSecureKey Tenant2) -BaseUri $emu.BaseUri -SkipValidation -PassThru
        [object]::ReferenceEquals((Get-GliderContext), $made) | Should -BeTrue
        [object]::ReferenceEquals((Get-GliderContext), $before) | Should -BeFalse
    }
}

Describe 'Connections handed to other runspaces and processes' {
    BeforeEach {
        Reset-GliderTestEmulator
    }

    It 'works in a thread job (same process) through $using:' {
        $connection = New-GliderConnection -ApiKey (Get-GliderTestSecureKey) -BaseUri $emu.BaseUri -SkipValidation
        $modulePath = Join-Path (Get-GliderTestModulePath) 'GliderPS.psd1'
        $job = Start-ThreadJob -ScriptBlock {
            Import-Module $using:modulePath
            (Get-GliderPortfolio -PortfolioId pf_acme_0001 -Connection $using:connection).PortfolioId
        }
        $job | Wait-Job -Timeout 60 | Out-Null
        $job | Receive-Job | Should -Be 'pf_acme_0001'
        $job | Remove-Job -Force
    }

    It 'refuses a deserialized copy (what Start-Job receives) and says what works instead' {
        $connection = New-GliderConnection -ApiKey (Get-GliderTestSecureKey) -BaseUri $emu.BaseUri -SkipValidation
        $copy = [System.Management.Automation.PSSerializer]::Deserialize([System.Management.Automation.PSSerializer]::Serialize($connection))
        $copy.PSObject.TypeNames[0] | Should -Be 'Deserialized.Glider.PowerShell.GliderConnection'
        $failure = { Get-GliderPortfolio -PortfolioId pf_acme_0001 -Connection $copy -ErrorAction Stop } | Should -Throw -PassThru
        $failure.FullyQualifiedErrorId | Should -BeLike 'ParameterArgumentTransformationError,*'
        $failure.Exception.Message | Should -BeLike "*'Connection'*deserialized copy*Start-Job*ForEach-Object -Parallel*Start-ThreadJob*connect inside the job*"
        Get-GliderTestRequest | Should -BeNullOrEmpty
    }
}
