# The issue's "done when", as a user does it: install the glider-emulator tool from the folder build.ps1 Package
# wrote (offline, into a folder of its own), then run the documented rehearsal (docs/rehearsal) against it in a fresh
# pwsh that finds the tool on the PATH and the module in it, exactly as docs/rehearsal.md tells users to.

BeforeAll {
    $repoRoot = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path
    $packageDir = if ($env:GLIDERPS_PACKAGE_DIR) { $env:GLIDERPS_PACKAGE_DIR } else { Join-Path $repoRoot 'out' }
    $modulePath = if ($env:GLIDERPS_MODULE_PATH) { $env:GLIDERPS_MODULE_PATH } else { Join-Path $packageDir 'GliderPS' }
    Import-Module (Join-Path $PSScriptRoot 'Support/ChildPwsh.psm1') -Force
    $version = (Import-PowerShellDataFile -Path (Join-Path $repoRoot 'GliderPS.psd1')).ModuleVersion
    $toolPath = Join-Path $TestDrive 'tool'
    $command = Join-Path $toolPath $(if ($IsWindows) { 'glider-emulator.exe' } else { 'glider-emulator' })

    # Only the package folder as a source: the install must not need the network (nor take its time).
    $nugetConfig = Join-Path $TestDrive 'nuget.config'
    Set-Content -Path $nugetConfig -Value @"
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <packageSources>
    <clear />
    <add key="glider-out" value="$([System.Security.SecurityElement]::Escape($packageDir))" />
  </packageSources>
</configuration>
"@
    $installOutput = & dotnet tool install --tool-path $toolPath --configfile $nugetConfig Glider.Emulator --version $version 2>&1
    $installExitCode = $LASTEXITCODE
}

Describe 'The glider-emulator tool from out/' {
    It 'installs offline from the package folder into a folder of its own' {
        $installExitCode | Should -Be 0 -Because ($installOutput -join "`n")
        $command | Should -Exist
    }

    It 'carries the GliderPS.Emulator module, of the same version as GliderPS' {
        $manifest = & $command --module-path
        $LASTEXITCODE | Should -Be 0
        $manifest | Should -BeLike "$toolPath*GliderPS.Emulator.psd1"
        (Import-PowerShellDataFile -Path $manifest).ModuleVersion | Should -Be $version
    }

    It 'leaves GliderPS itself without ASP.NET Core or the emulator (Automation''s 100 MB limit, Windows PowerShell 5.1)' {
        $carried = @(Get-ChildItem -Path $modulePath -Recurse -File |
                Where-Object { $_.Name -like 'Microsoft.AspNetCore*' -or $_.Name -like 'Glider.Emulator*' -or $_.Name -like 'GliderPS.Emulator*' })
        $carried.Name | Should -BeNullOrEmpty
    }

    It 'refuses a bad scenario with exit code 2 and says what is wrong' {
        $bad = Join-Path $TestDrive 'bad.json'
        Set-Content -Path $bad -Value '{"outcomes": {"pf_acme_0001": {"outcome": "exploded"}}}'
        $message = & $command --scenario $bad 2>&1
        $LASTEXITCODE | Should -Be 2
        "$message" | Should -BeLike '*--scenario: outcomes.pf_acme_0001*'
    }

    It 'runs the documented rehearsal (docs/rehearsal) green against the installed tool' {
        # The user's copy: the rehearsal folder as it is in docs/, somewhere else.
        $rehearsal = Join-Path $TestDrive 'my-runbook'
        Copy-Item -Path (Join-Path $repoRoot 'docs/rehearsal') -Destination $rehearsal -Recurse
        $pester = Join-Path (Get-Module -Name Pester).ModuleBase 'Pester.psd1'
        $separator = [System.IO.Path]::PathSeparator
        $result = Invoke-ChildPwsh -TimeoutSec 240 -Environment @{
            PATH                 = $toolPath + $separator + $env:PATH
            PSModulePath         = (Split-Path -Parent $modulePath) + $separator + $env:PSModulePath
            # The suite's own pointer at the repository build must not leak in: the tool is what is under test.
            GLIDER_EMULATOR_DLL  = ''
            GLIDER_TEST_PESTER   = $pester
            GLIDER_TEST_FOLDER   = $rehearsal
        } -Script @'
Import-Module $env:GLIDER_TEST_PESTER
Import-Module (glider-emulator --module-path)
$probe = Start-GliderEmulator
Write-Output "EMULATOR=$($probe.EmulatorPath)"
Stop-GliderEmulator $probe
$run = Invoke-Pester -Path $env:GLIDER_TEST_FOLDER -PassThru -Output Detailed
Write-Output "REHEARSAL passed=$($run.PassedCount) failed=$($run.FailedCount) result=$($run.Result)"
exit $run.FailedCount
'@
        $summary = $result.Output -join "`n"
        $result.ExitCode | Should -Be 0 -Because "$summary`n$($result.Error)"
        $result.Output | Should -Contain 'REHEARSAL passed=4 failed=0 result=Passed'
        # The emulator the rehearsal ran is the one inside the installed tool, not the repository's build.
        ($result.Output | Where-Object { $_ -like 'EMULATOR=*' }) | Should -BeLike "EMULATOR=$toolPath*Glider.Emulator.dll"
    }
}
