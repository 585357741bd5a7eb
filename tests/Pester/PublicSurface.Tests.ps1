#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.7.1' }

# The module's interface is every public type of its two assemblies: users name them in catch blocks, -is tests and
# [OutputType]. This lists them against PublicSurface.txt, so that a change of that interface is a decision made in
# a diff (update the file), never an accident.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'GliderTestHelper.psm1') -Force
    $modulePath = Get-GliderTestModulePath
    Import-Module -Name (Join-Path $modulePath 'GliderPS.psd1') -Global -ErrorAction Stop
    $expectedPath = Join-Path $PSScriptRoot 'PublicSurface.txt'
    $expected = @(Get-Content -Path $expectedPath | Where-Object { $_ -and -not $_.StartsWith('#') })
    $actual = @(
        foreach ($assembly in [Glider.PowerShell.GliderConnection].Assembly, [Glider.Client.Models.Portfolio].Assembly) {
            foreach ($type in $assembly.GetExportedTypes()) { "$($assembly.GetName().Name): $($type.FullName)" }
        }
    ) | Sort-Object
}

Describe 'The public surface' {
    It 'is exactly the types listed in PublicSurface.txt' {
        $added = @($actual | Where-Object { $_ -notin $expected })
        $removed = @($expected | Where-Object { $_ -notin $actual })
        $added | Should -BeNullOrEmpty -Because "these types became public; if that is intended, add them to $expectedPath"
        $removed | Should -BeNullOrEmpty -Because "these types are no longer public; if that is intended, remove them from $expectedPath"
    }

    It 'keeps the client, its options and the wait loop internal' {
        $actual | Where-Object { $_ -match 'GliderClient$|GliderClientOptions$|OperationWaiter$|OperationWaitSession$|PacingGate$' } | Should -BeNullOrEmpty
    }

    It 'puts every exception users catch in Glider.Client.Errors' {
        $exceptions = [Glider.Client.Models.Portfolio].Assembly.GetExportedTypes() + [Glider.PowerShell.GliderConnection].Assembly.GetExportedTypes() |
            Where-Object { [Exception].IsAssignableFrom($_) }
        $exceptions | Should -Not -BeNullOrEmpty
        $exceptions.Namespace | Sort-Object -Unique | Should -Be 'Glider.Client.Errors'
    }
}
