# The two packages build.ps1 Package makes: the nupkg (Install-PSResource from a folder repository) and the zip
# for Azure Automation's module import. Each is installed or unpacked and used against the emulator in a fresh pwsh.

BeforeAll {
    $repoRoot = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path
    $packageDir = if ($env:GLIDERPS_PACKAGE_DIR) { $env:GLIDERPS_PACKAGE_DIR } else { Join-Path $repoRoot 'out' }
    Import-Module (Join-Path $repoRoot 'tools/GliderPS.Emulator/GliderPS.Emulator.psd1') -Force
    Import-Module (Join-Path $PSScriptRoot 'Support/ChildPwsh.psm1') -Force
    $version = (Import-PowerShellDataFile -Path (Join-Path $repoRoot 'GliderPS.psd1')).ModuleVersion
    $emulator = Start-GliderEmulator
    $childEnvironment = @{
        GLIDER_BASE_URI = $emulator.BaseUri
        GLIDER_API_KEY  = 'gldr_sk_demo_rw_4f8a2c9e7b1d6053'
    }
}

AfterAll {
    if ($emulator) { $emulator | Stop-GliderEmulator }
}

Describe 'The nupkg' {
    It 'installs with Install-PSResource from a folder repository, imports by name and works' {
        $nupkg = Join-Path $packageDir "GliderPS.$version.nupkg"
        $nupkg | Should -Exist
        $feed = Join-Path $TestDrive 'feed'
        $installRoot = Join-Path $TestDrive 'modules'
        $null = New-Item -ItemType Directory -Path $feed, $installRoot
        Copy-Item -Path $nupkg -Destination $feed
        $environment = $childEnvironment.Clone()
        $environment.GLIDER_TEST_FEED = $feed
        # HOME moves into TestDrive (user-scope modules and PSResourceGet's repository list live under it),
        # so a real CurrentUser install leaves nothing behind on the machine.
        # .NET answers an empty path for a data folder that does not exist yet, so it is made first.
        $environment.HOME = $installRoot
        $environment.XDG_DATA_HOME = (New-Item -ItemType Directory -Force -Path (Join-Path $installRoot '.local/share')).FullName
        $result = Invoke-ChildPwsh -Environment $environment -Script @'
$ErrorActionPreference = 'Stop'
Register-PSResourceRepository -Name GliderPSTest -Uri $env:GLIDER_TEST_FEED -Trusted
Install-PSResource -Name GliderPS -Repository GliderPSTest -Scope CurrentUser -TrustRepository
Import-Module GliderPS
"base=$((Get-Module GliderPS).ModuleBase)"
"portfolio=$((Get-GliderPortfolio -PortfolioId pf_acme_0001).PortfolioId)"
'@
        $result.ExitCode | Should -Be 0 -Because $result.Error
        ($result.Output | Where-Object { $_ -like 'base=*' }) | Should -BeLike "base=$installRoot*"
        $result.Output | Should -Contain 'portfolio=pf_acme_0001'
    }
}

Describe 'The Azure Automation zip' {
    It 'has GliderPS/ as its root folder holding the manifest, and imports from there' {
        $zip = Join-Path $packageDir 'GliderPS.zip'
        $zip | Should -Exist
        Add-Type -AssemblyName System.IO.Compression.FileSystem
        $archive = [System.IO.Compression.ZipFile]::OpenRead($zip)
        try {
            $entries = $archive.Entries | ForEach-Object FullName
        }
        finally {
            $archive.Dispose()
        }
        $entries | ForEach-Object { ($_ -replace '\\', '/') } | Where-Object { $_ -notlike 'GliderPS/*' } | Should -BeNullOrEmpty
        ($entries -replace '\\', '/') | Should -Contain 'GliderPS/GliderPS.psd1'

        $unpacked = Join-Path $TestDrive 'automation'
        Expand-Archive -Path $zip -DestinationPath $unpacked
        $environment = $childEnvironment.Clone()
        $environment.GLIDER_TEST_MODULE = Join-Path $unpacked 'GliderPS'
        $result = Invoke-ChildPwsh -Environment $environment -Script @'
Import-Module $env:GLIDER_TEST_MODULE -ErrorAction Stop
(Get-GliderPortfolio -PortfolioId pf_acme_0002 -ErrorAction Stop).PortfolioId
'@
        $result.ExitCode | Should -Be 0 -Because $result.Error
        $result.Output[-1] | Should -Be 'pf_acme_0002'
    }
}
