#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.7.1' }

# The module as shipped: what the manifest exports, what every cmdlet declares, and an import in a clean process.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'GliderTestHelper.psm1') -Force
    $emu = Initialize-GliderTest
    $expected = 'Connect-Glider', 'Disconnect-Glider', 'Get-GliderContext', 'Get-GliderOperation', 'Get-GliderPortfolio',
    'Invoke-GliderRebalance', 'New-GliderConnection', 'Resume-GliderPortfolio', 'Suspend-GliderPortfolio', 'Wait-GliderOperation'
}

AfterAll {
    Complete-GliderTest
}

Describe 'GliderPS module' {
    It 'exports exactly the documented cmdlets' {
        (Get-Command -Module GliderPS).Name | Sort-Object | Should -Be ($expected | Sort-Object)
        $manifest = Import-PowerShellDataFile (Join-Path (Get-GliderTestModulePath) 'GliderPS.psd1')
        $manifest.CmdletsToExport | Sort-Object | Should -Be ($expected | Sort-Object)
        $manifest.FormatsToProcess | Should -Be 'GliderPS.Format.ps1xml'
    }

    It 'declares what Windows PowerShell 5.1 needs: .NET Framework 4.7.2 (the netstandard2.0 build and its dependencies)' {
        $manifest = Test-ModuleManifest -Path (Join-Path (Get-GliderTestModulePath) 'GliderPS.psd1') -ErrorAction Stop
        $manifest.DotNetFrameworkVersion | Should -Be ([version] '4.7.2')
        $manifest.PowerShellVersion | Should -Be ([version] '5.1')
        $manifest.CompatiblePSEditions | Should -Contain 'Desktop'
    }

    It '<Name> writes what its [OutputType] says' -ForEach @(
        @{ Name = 'Connect-Glider'; Run = { Connect-Glider -ApiKey (Get-GliderTestSecureKey) -BaseUri $emu.BaseUri -PassThru } }
        @{ Name = 'New-GliderConnection'; Run = { New-GliderConnection -ApiKey (Get-GliderTestSecureKey) -BaseUri $emu.BaseUri } }
        @{ Name = 'Get-GliderContext'; Run = { Get-GliderContext } }
        @{ Name = 'Get-GliderPortfolio'; Run = { Get-GliderPortfolio -PortfolioId pf_acme_0001 } }
        @{ Name = 'Invoke-GliderRebalance'; Run = { Invoke-GliderRebalance -PortfolioId pf_acme_0031 } }
        @{ Name = 'Get-GliderOperation'; Run = { Invoke-GliderRebalance -PortfolioId pf_acme_0032 | Get-GliderOperation } }
        @{ Name = 'Wait-GliderOperation'; Run = { Invoke-GliderRebalance -PortfolioId pf_acme_0033 | Wait-GliderOperation -PollIntervalSec 1 -Timeout 20 } }
        @{ Name = 'Suspend-GliderPortfolio'; Run = { Suspend-GliderPortfolio -PortfolioId pf_acme_0034 -Confirm:$false } }
        @{ Name = 'Resume-GliderPortfolio'; Run = { Resume-GliderPortfolio -PortfolioId pf_acme_0034 -Confirm:$false } }
    ) {
        Reset-GliderTestEmulator -OperationMs 500
        $declared = @((Get-Command $Name).OutputType.Type)
        $written = @(& $Run)
        $written | Should -Not -BeNullOrEmpty
        foreach ($item in $written) { $item.GetType() | Should -BeIn $declared }
    }

    It '<Name> takes -Connection' -ForEach @(
        'Get-GliderOperation', 'Get-GliderPortfolio', 'Invoke-GliderRebalance', 'Resume-GliderPortfolio', 'Suspend-GliderPortfolio',
        'Wait-GliderOperation' | ForEach-Object { @{ Name = $_ } }
    ) {
        (Get-Command $Name).Parameters['Connection'].ParameterType | Should -Be ([Glider.PowerShell.GliderConnection])
    }

    It 'has a table view for every output type' {
        $views = Get-FormatData -TypeName Glider.* -PowerShellVersion $PSVersionTable.PSVersion
        $views.TypeNames | Sort-Object | Should -Be @(
            'Glider.Client.Models.Operation', 'Glider.Client.Models.Portfolio', 'Glider.Client.Models.RebalanceSubmission',
            'Glider.PowerShell.GliderConnection', 'Glider.PowerShell.StartedOperation')
    }

    It 'imports and runs in a fresh PowerShell process' {
        Reset-GliderTestEmulator -Key None
        $commandLine = Get-PwshCommandLine
        $script = @'
$ErrorActionPreference = 'Stop'
Import-Module (Join-Path $env:GLIDERPS_TEST_MODULE 'GliderPS.psd1')
$key = ConvertTo-SecureString $env:GLIDERPS_TEST_KEY -AsPlainText -Force
Connect-Glider -ApiKey $key -BaseUri $env:GLIDERPS_TEST_URI
(Get-GliderPortfolio -PortfolioId pf_acme_0001).PortfolioId
Invoke-GliderRebalance -PortfolioId pf_acme_0002 -WhatIf
'@
        $env:GLIDERPS_TEST_MODULE = Get-GliderTestModulePath
        $env:GLIDERPS_TEST_KEY = Get-GliderTestKey
        $env:GLIDERPS_TEST_URI = $emu.BaseUri
        try {
            $arguments = @($commandLine | Select-Object -Skip 1) + @('-NoProfile', '-NonInteractive', '-Command', $script)
            $output = & $commandLine[0] @arguments 2>&1 | Out-String
            $exitCode = $LASTEXITCODE
        }
        finally {
            Remove-Item Env:GLIDERPS_TEST_MODULE, Env:GLIDERPS_TEST_KEY, Env:GLIDERPS_TEST_URI -ErrorAction Ignore
        }
        $exitCode | Should -Be 0 -Because $output
        $output | Should -BeLike '*pf_acme_0001*'
        $output | Should -BeLike '*What if:*Start a rebalance*pf_acme_0002*'
        $output | Should -Not -BeLike "*$(Get-GliderTestKey)*"
        @(Get-GliderTestRequest -Method POST) | Should -BeNullOrEmpty
    }
}
