# How the staged module loads: manifest, exports, assembly loading beside other modules, re-import,
# and non-interactive use. Each scenario that depends on process state runs in a fresh pwsh.

BeforeAll {
    $repoRoot = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path
    $modulePath = if ($env:GLIDERPS_MODULE_PATH) { $env:GLIDERPS_MODULE_PATH } else { Join-Path $repoRoot 'out/GliderPS' }
    Import-Module (Join-Path $repoRoot 'tools/GliderPS.Emulator/GliderPS.Emulator.psd1') -Force
    Import-Module (Join-Path $PSScriptRoot 'Support/ChildPwsh.psm1') -Force
    $manifestPath = Join-Path $modulePath 'GliderPS.psd1'
    $manifest = Import-PowerShellDataFile -Path $manifestPath
    $emulator = Start-GliderEmulator
    $demoKey = 'gldr_sk_demo_rw_4f8a2c9e7b1d6053'
    $childEnvironment = @{
        GLIDERPS_MODULE_PATH = $modulePath
        GLIDER_BASE_URI      = $emulator.BaseUri
        GLIDER_API_KEY       = $demoKey
    }
}

AfterAll {
    if ($emulator) { $emulator | Stop-GliderEmulator }
}

Describe 'The manifest' {
    It 'passes Test-ModuleManifest on the staged module' {
        { Test-ModuleManifest -Path $manifestPath -ErrorAction Stop } | Should -Not -Throw
    }

    It 'claims both editions, PowerShell 5.1 and the .NET Framework the desktop build needs' {
        $manifest.CompatiblePSEditions | Should -Be @('Desktop', 'Core')
        $manifest.PowerShellVersion | Should -Be '5.1'
        $manifest.DotNetFrameworkVersion | Should -Be '4.7.2'
        $manifest.GUID | Should -Be '5b0d7c2e-3f5a-4c8e-9a51-2e7d4f1c9b60'
    }

    It 'lists its exports explicitly, without wildcards' {
        $manifest.CmdletsToExport.Count | Should -BeGreaterThan 0
        foreach ($list in 'CmdletsToExport', 'FunctionsToExport', 'VariablesToExport', 'AliasesToExport') {
            @($manifest[$list]) -join ',' | Should -Not -Match '\*' -Because "$list must be explicit"
        }
        $manifest.FunctionsToExport.Count | Should -Be 0
        $manifest.VariablesToExport.Count | Should -Be 0
        $manifest.AliasesToExport.Count | Should -Be 0
    }

    It 'processes its format file and carries gallery metadata' {
        $manifest.FormatsToProcess | Should -Contain 'GliderPS.Format.ps1xml'
        Join-Path $modulePath 'GliderPS.Format.ps1xml' | Should -Exist
        $manifest.PrivateData.PSData.Tags | Should -Contain 'Glider'
        $manifest.PrivateData.PSData.ProjectUri | Should -Not -BeNullOrEmpty
        $manifest.PrivateData.PSData.LicenseUri | Should -Not -BeNullOrEmpty
        $manifest.PrivateData.PSData.ReleaseNotes | Should -Not -BeNullOrEmpty
    }

    It 'stamps ModuleVersion into every assembly the module ships' {
        foreach ($edition in 'core', 'desktop') {
            $dll = Join-Path $modulePath "bin/$edition/GliderPS.dll"
            [System.Reflection.AssemblyName]::GetAssemblyName($dll).Version.ToString(3) | Should -Be $manifest.ModuleVersion
            $client = Join-Path $modulePath "bin/$edition/Glider.Client.dll"
            [System.Reflection.AssemblyName]::GetAssemblyName($client).Version.ToString(3) | Should -Be $manifest.ModuleVersion
        }
    }

    It 'ships no host assembly and no test assembly' {
        $files = Get-ChildItem -Path $modulePath -Recurse -File | ForEach-Object Name
        $files | Where-Object { $_ -like 'System.Management.Automation*' } | Should -BeNullOrEmpty
        $files | Where-Object { $_ -like '*Tests*' -or $_ -like 'xunit*' -or $_ -like 'Glider.Emulator*' } | Should -BeNullOrEmpty
    }
}

Describe 'Importing in a fresh process' {
    It 'exports exactly the cmdlets the manifest lists' {
        $result = Invoke-ChildPwsh -Environment $childEnvironment -Script @'
Import-Module $env:GLIDERPS_MODULE_PATH -ErrorAction Stop
(Get-Command -Module GliderPS | Sort-Object Name | ForEach-Object Name) -join ','
'@
        $result.ExitCode | Should -Be 0 -Because $result.Error
        $result.Output[-1] | Should -Be (($manifest.CmdletsToExport | Sort-Object) -join ',')
    }

    It 'loads no second copy of an assembly, and nothing from the module folder that the runtime already has' {
        $result = Invoke-ChildPwsh -Environment $childEnvironment -Script @'
Import-Module $env:GLIDERPS_MODULE_PATH -ErrorAction Stop
$null = Get-GliderPortfolio -PortfolioId pf_acme_0001 -ErrorAction Stop
[System.AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { -not $_.IsDynamic -and $_.Location } |
    ForEach-Object { '{0}|{1}' -f $_.GetName().Name, $_.Location }
'@
        $result.ExitCode | Should -Be 0 -Because $result.Error
        $loaded = $result.Output | ForEach-Object { $name, $location = $_ -split '\|', 2; [pscustomobject]@{ Name = $name; Location = $location } }
        $duplicates = $loaded | Group-Object Name | Where-Object Count -gt 1 | ForEach-Object Name
        $duplicates | Should -BeNullOrEmpty
        $fromModule = $loaded | Where-Object { $_.Location.StartsWith((Resolve-Path $modulePath).Path) }
        $fromModule.Name | Should -Contain 'GliderPS'
        $runtimeHas = $fromModule | Where-Object { Test-Path (Join-Path ([System.IO.Path]::GetDirectoryName([object].Assembly.Location)) "$($_.Name).dll") }
        $runtimeHas | Should -BeNullOrEmpty
        $loaded.Name | Should -Contain 'System.Text.Json' -Because 'the client parses JSON with the runtime''s own copy'
        ($loaded | Where-Object Name -eq 'System.Text.Json').Location | Should -Not -BeLike "$modulePath*"
    }

    It 'keeps working when another module loaded a different Polly first' {
        $otherPolly = Join-Path (Get-NuGetPackageFolder -Id 'Polly.Core' -Version '8.4.2') 'lib/net8.0/Polly.Core.dll'
        $otherPolly | Should -Exist
        $environment = $childEnvironment.Clone()
        $environment.GLIDER_TEST_OTHER_POLLY = $otherPolly
        $environment.GLIDER_TEST_FIXTURE = Join-Path $PSScriptRoot 'Fixtures/OtherPolly/OtherPolly.psm1'
        $result = Invoke-ChildPwsh -Environment $environment -Script @'
Import-Module $env:GLIDER_TEST_FIXTURE -ErrorAction Stop
"other=$(Get-OtherPollyVersion)"
Import-Module $env:GLIDERPS_MODULE_PATH -ErrorAction Stop
$portfolio = Get-GliderPortfolio -PortfolioId pf_acme_0001 -ErrorAction Stop
"portfolio=$($portfolio.PortfolioId)"
[System.AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { $_.GetName().Name -eq 'Polly.Core' } |
    ForEach-Object { "polly=$([System.Diagnostics.FileVersionInfo]::GetVersionInfo($_.Location).FileVersion)|$($_.Location)" }
'@
        $result.ExitCode | Should -Be 0 -Because $result.Error
        $result.Output | Should -Contain 'other=8.4.2.3950'
        $result.Output | Should -Contain 'portfolio=pf_acme_0001'
        # Both copies live side by side: the other module's, and ours from the module folder.
        $pollies = @($result.Output | Where-Object { $_ -like 'polly=*' })
        $pollies.Count | Should -Be 2
        $pollies | Where-Object { $_ -like "polly=8.4.2.*|$otherPolly" } | Should -Not -BeNullOrEmpty
        $pollies | Where-Object { $_ -like "*|$((Resolve-Path $modulePath).Path)*" } | Should -Not -BeNullOrEmpty
    }

    It 'survives Remove-Module and Import-Module in the same session' {
        $result = Invoke-ChildPwsh -Environment $childEnvironment -Script @'
Import-Module $env:GLIDERPS_MODULE_PATH -ErrorAction Stop
$null = Get-GliderPortfolio -PortfolioId pf_acme_0001 -ErrorAction Stop
Remove-Module GliderPS
Import-Module $env:GLIDERPS_MODULE_PATH -ErrorAction Stop
(Get-GliderPortfolio -PortfolioId pf_acme_0002 -ErrorAction Stop).PortfolioId
'@
        $result.ExitCode | Should -Be 0 -Because $result.Error
        $result.Output[-1] | Should -Be 'pf_acme_0002'
    }

    It 'survives Import-Module -Force over an imported module' {
        $result = Invoke-ChildPwsh -Environment $childEnvironment -Script @'
Import-Module $env:GLIDERPS_MODULE_PATH -ErrorAction Stop
Import-Module $env:GLIDERPS_MODULE_PATH -Force -ErrorAction Stop
Import-Module $env:GLIDERPS_MODULE_PATH -Force -ErrorAction Stop
"cmdlets=$((Get-Module GliderPS).ExportedCmdlets.Count)"
(Get-GliderPortfolio -PortfolioId pf_acme_0003 -ErrorAction Stop).PortfolioId
'@
        $result.ExitCode | Should -Be 0 -Because $result.Error
        $result.Output | Should -Contain "cmdlets=$($manifest.CmdletsToExport.Count)"
        $result.Output[-1] | Should -Be 'pf_acme_0003'
    }
}

Describe 'Non-interactive use' {
    It 'never prompts in a non-interactive host with default preferences, and -WhatIf-free triggers run' {
        Invoke-GliderEmulator $emulator POST reset | Out-Null
        $result = Invoke-ChildPwsh -Environment $childEnvironment -Script @'
Import-Module $env:GLIDERPS_MODULE_PATH -ErrorAction Stop
$submission = Invoke-GliderRebalance -PortfolioId pf_acme_0001 -ErrorAction Stop
Suspend-GliderPortfolio -PortfolioId pf_acme_0002 -ErrorAction Stop | Out-Null
Resume-GliderPortfolio -PortfolioId pf_acme_0002 -ErrorAction Stop | Out-Null
"operation=$($submission.OperationId)"
'@
        $result.ExitCode | Should -Be 0 -Because $result.Error
        $result.Output[-1] | Should -BeLike 'operation=rebalance:pf_acme_0001:*'
    }
}
