#Requires -Version 7.4
<#
.SYNOPSIS
    Builds, tests, demonstrates and packages GliderPS.

.DESCRIPTION
    Run from a fresh clone with:  dotnet tool restore && dotnet pwsh ./build.ps1 <Task>

    Build     (default) Release build of the solution; stages the module at out/GliderPS.
    Test      Package, then the xunit projects, then (where mono is on the PATH) the client tests on the desktop build
              under Mono, then Pester against out/GliderPS.
              Ends with the line "N passed, N failed[, N skipped]" and exits non-zero on any failure.
    Emulator  Runs the Glider API emulator in the foreground on 127.0.0.1 (Ctrl+C stops it).
    Demo      Starts the emulator and walks through the cmdlets against it.
    Soak      Build, then the full-size fault soak against the emulator; writes docs/reliability.md (not part of Test).
    Bench     Build, then the benchmarks against the emulator; writes out/bench.md (not part of Test).
    Package   Build, then out/GliderPS.<version>.nupkg (for Install-PSResource), out/GliderPS.zip
              (for Azure Automation's module import: the zip's root folder is GliderPS/) and
              out/Glider.Emulator.<version>.nupkg (the emulator as the .NET tool glider-emulator, for
              'dotnet tool install --add-source out Glider.Emulator').

.EXAMPLE
    dotnet pwsh ./build.ps1 Test
#>
[CmdletBinding()]
param(
    [Parameter(Position = 0)]
    [ValidateSet('Build', 'Test', 'Emulator', 'Demo', 'Package', 'Bench', 'Soak')]
    [string] $Task = 'Build',

    [ValidateSet('Release', 'Debug')]
    [string] $Configuration = 'Release'
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0

$RepoRoot = $PSScriptRoot
$OutDir = Join-Path $RepoRoot 'out'
$LogDir = Join-Path $OutDir 'logs'
$ResultDir = Join-Path $OutDir 'test-results'
$ModuleStage = Join-Path $OutDir 'GliderPS'
$EmulatorDll = Join-Path $RepoRoot "tests/Glider.Emulator/bin/$Configuration/net10.0/Glider.Emulator.dll"
# Pester's version is written once, where it is restored from NuGet: tests/tools/TestTools.csproj.
$PesterVersion = ([xml] (Get-Content -Raw -Path (Join-Path $RepoRoot 'tests/tools/TestTools.csproj'))).Project.ItemGroup.PackageDownload |
    Where-Object Include -EQ 'Pester' | ForEach-Object { $_.Version.Trim('[', ']') } | Select-Object -First 1

# The module builds that are staged: folder under out/GliderPS/bin -> target framework.
$ModuleBuilds = [ordered]@{ core = 'net8.0'; desktop = 'netstandard2.0' }

function Write-Step([string] $Message) {
    Write-Host "==> $Message" -ForegroundColor Cyan
}

# Runs a native command with its output in a log file; on failure, says which step failed and where its log is.
function Invoke-Logged {
    param(
        [Parameter(Mandatory)] [string] $Step,
        [Parameter(Mandatory)] [string] $FilePath,
        [Parameter(Mandatory)] [string[]] $ArgumentList,
        [switch] $Live
    )
    $null = New-Item -ItemType Directory -Force -Path $LogDir
    $log = Join-Path $LogDir (($Step -replace '[^A-Za-z0-9.-]+', '-') + '.log')
    if ($Live) {
        & $FilePath @ArgumentList 2>&1 | Tee-Object -FilePath $log | Out-Host
    }
    else {
        & $FilePath @ArgumentList *> $log
    }
    $code = $LASTEXITCODE
    if ($code -ne 0) {
        if (-not $Live) {
            Get-Content -Path $log -Tail 40 | Out-Host
        }
        throw "Step '$Step' failed with exit code $code. Full log: $log"
    }
    $log
}

function Invoke-Build {
    Write-Step "Build ($Configuration)"
    $null = Invoke-Logged -Step 'build' -FilePath 'dotnet' -ArgumentList @(
        'build', (Join-Path $RepoRoot 'Glider.PowerShell.sln'), '-c', $Configuration, '-nologo', '-v:minimal')

    Write-Step "Stage module at $ModuleStage"
    if (Test-Path $ModuleStage) { Remove-Item -Recurse -Force $ModuleStage }
    $project = Join-Path $RepoRoot 'src/Glider.PowerShell/Glider.PowerShell.csproj'
    foreach ($edition in $ModuleBuilds.Keys) {
        $framework = $ModuleBuilds[$edition]
        $target = Join-Path $ModuleStage "bin/$edition"
        $null = Invoke-Logged -Step "publish-$edition" -FilePath 'dotnet' -ArgumentList @(
            'publish', $project, '-c', $Configuration, '-f', $framework, '--no-build', '-o', $target, '-nologo', '-v:minimal')
        # The host provides System.Management.Automation; dependency manifests and symbols are not needed to load.
        Get-ChildItem -Path $target -File |
            Where-Object { $_.Name -like 'System.Management.Automation*' -or $_.Extension -in '.json', '.pdb' } |
            Remove-Item -Force
    }
    # The load-context loader (PowerShell 7 only) sits beside the core build it loads.
    $null = Invoke-Logged -Step 'publish-loader' -FilePath 'dotnet' -ArgumentList @(
        'publish', (Join-Path $RepoRoot 'src/Glider.PowerShell.Loader/Glider.PowerShell.Loader.csproj'), '-c', $Configuration,
        '--no-build', '-o', (Join-Path $ModuleStage 'bin/core'), '-nologo', '-v:minimal')
    Get-ChildItem -Path (Join-Path $ModuleStage 'bin/core') -File -Include '*.json', '*.pdb' -Recurse | Remove-Item -Force
    Copy-Item -Path (Join-Path $RepoRoot 'GliderPS.psd1') -Destination $ModuleStage
    Copy-Item -Path (Join-Path $RepoRoot 'src/GliderPS.psm1') -Destination $ModuleStage
    foreach ($extendedTypeFile in 'GliderPS.Format.ps1xml', 'GliderPS.Types.ps1xml') {
        Copy-Item -Path (Join-Path $RepoRoot "src/Glider.PowerShell/$extendedTypeFile") -Destination $ModuleStage
    }
    Write-Step 'Generate help (docs/help -> MAML)'
    & (Join-Path $RepoRoot 'tools/Build-Help.ps1') -SourcePath (Join-Path $RepoRoot 'docs/help') -ModulePath $ModuleStage
    Write-Host "Module staged: $ModuleStage"
}

function Get-ModuleVersion {
    (Import-PowerShellDataFile -Path (Join-Path $RepoRoot 'GliderPS.psd1')).ModuleVersion
}

function Invoke-Package {
    Invoke-Build
    $version = Get-ModuleVersion
    Write-Step "Package GliderPS $version"
    # Publish-PSResource writes a nupkg that Install-PSResource reads; a throw-away folder repository keeps it offline.
    $repoName = "GliderPSBuild-$PID"
    $repoPath = Join-Path $OutDir 'package-repo'
    if (Test-Path $repoPath) { Remove-Item -Recurse -Force $repoPath }
    $null = New-Item -ItemType Directory -Force -Path $repoPath
    Register-PSResourceRepository -Name $repoName -Uri $repoPath -Trusted
    try {
        Publish-PSResource -Path $ModuleStage -Repository $repoName -SkipDependenciesCheck
    }
    finally {
        Unregister-PSResourceRepository -Name $repoName
    }
    $nupkg = Join-Path $OutDir "GliderPS.$version.nupkg"
    Move-Item -Force -Path (Join-Path $repoPath "GliderPS.$version.nupkg") -Destination $nupkg
    Remove-Item -Recurse -Force $repoPath

    $zip = Join-Path $OutDir 'GliderPS.zip'
    if (Test-Path $zip) { Remove-Item -Force $zip }
    # Passing the folder itself (not its contents) makes GliderPS/ the zip's root, as Azure Automation expects.
    Compress-Archive -Path $ModuleStage -DestinationPath $zip

    # The emulator as a .NET tool (command glider-emulator), with the GliderPS.Emulator module inside it.
    $null = Invoke-Logged -Step 'pack-emulator-tool' -FilePath 'dotnet' -ArgumentList @(
        'pack', (Join-Path $RepoRoot 'tests/Glider.Emulator/Glider.Emulator.csproj'), '-c', $Configuration, '--no-build',
        '-o', $OutDir, '-nologo', '-v:minimal')
    Write-Host "Packages: $nupkg, $zip, $(Join-Path $OutDir "Glider.Emulator.$version.nupkg")"
}

function Get-PesterManifest {
    $null = Invoke-Logged -Step 'restore-test-tools' -FilePath 'dotnet' -ArgumentList @(
        'restore', (Join-Path $RepoRoot 'tests/tools/TestTools.csproj'), '-nologo', '-v:minimal')
    $packagesRoot = (& dotnet nuget locals global-packages --list) -replace '^global-packages:\s*', ''
    $manifest = Join-Path $packagesRoot.Trim() "pester/$PesterVersion/tools/Pester.psd1"
    if (-not (Test-Path $manifest)) {
        throw "Pester $PesterVersion was restored but $manifest is missing."
    }
    $manifest
}

# Reads the pass/fail/skip counters of a VSTest .trx file.
function Read-TrxCounts([string] $Path) {
    [xml] $trx = Get-Content -Raw -Path $Path
    $counters = $trx.TestRun.ResultSummary.Counters
    [pscustomobject]@{
        Passed  = [int] $counters.passed
        Failed  = [int] $counters.failed + [int] $counters.error + [int] $counters.timeout + [int] $counters.aborted
        Skipped = [int] $counters.notExecuted
    }
}

# The client core's xunit suite on the desktop build (netstandard2.0, as Windows PowerShell 5.1 loads it), compiled for
# net472 and run under Mono with the dependency DLLs exactly as staged in bin/desktop. Skipped where mono is missing.
function Invoke-MonoTest($Totals, $FailedSuites) {
    $mono = Get-Command -Name 'mono' -CommandType Application -ErrorAction SilentlyContinue | Select-Object -First 1
    if (-not $mono) {
        Write-Host 'xunit under Mono (client tests on the desktop build): skipped, mono is not on the PATH.'
        return
    }
    Write-Step 'xunit under Mono: Glider.Client.Tests on the desktop build'
    $built = Join-Path $RepoRoot "tests/Glider.Client.Tests.Mono/bin/$Configuration/net472"
    $runDir = Join-Path $OutDir 'mono-tests'
    if (Test-Path $runDir) { Remove-Item -Recurse -Force $runDir }
    $null = New-Item -ItemType Directory -Force -Path $runDir
    Copy-Item -Path (Join-Path $built '*') -Destination $runDir -Recurse
    # No binding redirects (a module gets none on 5.1), and the shipped DLLs over the ones the test build resolved
    # (it takes the packages' net462 builds, which are not what bin/desktop ships).
    Remove-Item -Path (Join-Path $runDir 'Glider.Client.Tests.dll.config') -ErrorAction SilentlyContinue
    Copy-Item -Path (Join-Path $ModuleStage 'bin/desktop/*.dll') -Destination $runDir -Force
    $xml = Join-Path $ResultDir 'mono-client-tests.xml'
    $log = Join-Path $LogDir 'test-mono-client.log'
    $env:GLIDER_EMULATOR_DLL = $EmulatorDll
    & $mono.Source (Join-Path $runDir 'xunit.console.exe') (Join-Path $runDir 'Glider.Client.Tests.dll') -noshadow -nologo -xml $xml 2>&1 |
        Tee-Object -FilePath $log | Out-Host
    $exitCode = $LASTEXITCODE
    if (-not (Test-Path $xml)) {
        $FailedSuites.Add("Mono client tests (no results; exit code $exitCode, log: $log)")
        $Totals.Failed++
        return
    }
    [xml] $results = Get-Content -Raw -Path $xml
    $assembly = $results.assemblies.assembly
    # Attributes read by name: <assembly> also has an <errors> child element.
    $failed = [int] $assembly.GetAttribute('failed') + [int] $assembly.GetAttribute('errors')
    $Totals.Passed += [int] $assembly.GetAttribute('passed'); $Totals.Failed += $failed; $Totals.Skipped += [int] $assembly.GetAttribute('skipped')
    if ($exitCode -ne 0 -and $failed -eq 0) {
        $FailedSuites.Add("Mono client tests (exit code $exitCode, log: $log)")
        $Totals.Failed++
    }
}

# One code style (.editorconfig): the build itself refuses a block without braces; this checks the whitespace.
function Invoke-FormatCheck($Totals, $FailedSuites) {
    Write-Step 'Code style: dotnet format whitespace --verify-no-changes'
    $log = Join-Path $LogDir 'format.log'
    & dotnet format whitespace (Join-Path $RepoRoot 'Glider.PowerShell.sln') --verify-no-changes *> $log
    if ($LASTEXITCODE -eq 0) {
        $Totals.Passed++
    }
    else {
        Get-Content -Path $log -Tail 20 | Out-Host
        $FailedSuites.Add("Code style (run 'dotnet format whitespace Glider.PowerShell.sln'; log: $log)")
        $Totals.Failed++
    }
}

function Invoke-Test {
    # Package rather than Build: the packaging tests install the nupkg and import from the zip.
    Invoke-Package
    if (Test-Path $ResultDir) { Remove-Item -Recurse -Force $ResultDir }
    $null = New-Item -ItemType Directory -Force -Path $ResultDir
    $totals = [pscustomobject]@{ Passed = 0; Failed = 0; Skipped = 0 }
    $failedSuites = [System.Collections.Generic.List[string]]::new()
    Invoke-FormatCheck $totals $failedSuites

    $xunitProjects = Get-ChildItem -Path (Join-Path $RepoRoot 'tests') -Filter '*.Tests.csproj' -Recurse | Sort-Object Name
    foreach ($projectFile in $xunitProjects) {
        $name = $projectFile.BaseName
        Write-Step "xunit: $name"
        $trxName = "$name.trx"
        & dotnet test $projectFile.FullName -c $Configuration --no-build --nologo `
            --logger "trx;LogFileName=$trxName" --logger 'console;verbosity=minimal' `
            --results-directory $ResultDir 2>&1 | Tee-Object -FilePath (Join-Path $LogDir "test-$name.log") | Out-Host
        $exitCode = $LASTEXITCODE
        $trxPath = Join-Path $ResultDir $trxName
        if (-not (Test-Path $trxPath)) {
            $failedSuites.Add("$name (no results; exit code $exitCode, log: $(Join-Path $LogDir "test-$name.log"))")
            $totals.Failed++
            continue
        }
        $counts = Read-TrxCounts $trxPath
        $totals.Passed += $counts.Passed; $totals.Failed += $counts.Failed; $totals.Skipped += $counts.Skipped
        if ($exitCode -ne 0 -and $counts.Failed -eq 0) {
            $failedSuites.Add("$name (exit code $exitCode)")
            $totals.Failed++
        }
    }

    Invoke-MonoTest $totals $failedSuites

    Write-Step 'Pester: tests/Pester'
    $pesterManifest = Get-PesterManifest
    $pesterSummary = Join-Path $ResultDir 'pester-summary.json'
    $env:GLIDERPS_MODULE_PATH = $ModuleStage
    $env:GLIDER_EMULATOR_DLL = $EmulatorDll
    $env:GLIDERPS_PACKAGE_DIR = $OutDir
    & dotnet pwsh -NoProfile -NonInteractive -File (Join-Path $RepoRoot 'tests/tools/Invoke-PesterSuite.ps1') `
        -PesterManifest $pesterManifest -TestPath (Join-Path $RepoRoot 'tests/Pester') `
        -SummaryPath $pesterSummary -ResultPath (Join-Path $ResultDir 'pester.xml') 2>&1 |
        Tee-Object -FilePath (Join-Path $LogDir 'test-pester.log') | Out-Host
    if (Test-Path $pesterSummary) {
        $pester = Get-Content -Raw $pesterSummary | ConvertFrom-Json
        $totals.Passed += $pester.Passed; $totals.Failed += $pester.Failed; $totals.Skipped += $pester.Skipped
        if ($pester.ContainerErrors -gt 0) {
            $failedSuites.Add("Pester ($($pester.ContainerErrors) test file(s) failed to run)")
            $totals.Failed += $pester.ContainerErrors
        }
    }
    else {
        $failedSuites.Add("Pester (no summary; log: $(Join-Path $LogDir 'test-pester.log'))")
        $totals.Failed++
    }

    foreach ($suite in $failedSuites) { Write-Host "FAILED: $suite" -ForegroundColor Red }
    $line = "$($totals.Passed) passed, $($totals.Failed) failed"
    if ($totals.Skipped -gt 0) { $line += ", $($totals.Skipped) skipped" }
    Write-Host $line
    if ($totals.Failed -gt 0) { exit 1 }
    if ($totals.Passed -eq 0) {
        Write-Host 'No test ran.' -ForegroundColor Red
        exit 1
    }
}

function Invoke-Emulator {
    Write-Step 'Build the emulator'
    $null = Invoke-Logged -Step 'build-emulator' -FilePath 'dotnet' -ArgumentList @(
        'build', (Join-Path $RepoRoot 'tests/Glider.Emulator/Glider.Emulator.csproj'), '-c', $Configuration, '-nologo', '-v:minimal')
    # The emulator prints its URL and the demo keys itself.
    Write-Host 'Point the module at it with: Connect-Glider -BaseUri <its URL> -ApiKey (Read-Host -AsSecureString)'
    & dotnet $EmulatorDll --urls 'http://127.0.0.1:0'
}

function Invoke-Bench {
    Invoke-Build
    Write-Step 'Benchmarks'
    & dotnet pwsh -NoProfile -File (Join-Path $RepoRoot 'tools/Bench.ps1') -ModulePath $ModuleStage -OutputPath (Join-Path $OutDir 'bench.md')
    if ($LASTEXITCODE -ne 0) { throw "The benchmarks failed (exit code $LASTEXITCODE)." }
}

function Invoke-Soak {
    Invoke-Build
    Write-Step 'Fault soak'
    & dotnet pwsh -NoProfile -File (Join-Path $RepoRoot 'tools/Soak.ps1') -ModulePath $ModuleStage -OutputPath (Join-Path $RepoRoot 'docs/reliability.md')
    if ($LASTEXITCODE -ne 0) { throw "The soak failed (exit code $LASTEXITCODE)." }
}

function Invoke-Demo {
    Invoke-Build
    & dotnet pwsh -NoProfile -File (Join-Path $RepoRoot 'tools/Demo.ps1') -ModulePath $ModuleStage -EmulatorDll $EmulatorDll
    if ($LASTEXITCODE -ne 0) { throw "The demo failed (exit code $LASTEXITCODE)." }
}

if ($env:CI) { $PSStyle.OutputRendering = 'PlainText' }
Push-Location $RepoRoot
try {
    switch ($Task) {
        'Build' { Invoke-Build }
        'Test' { Invoke-Test }
        'Emulator' { Invoke-Emulator }
        'Demo' { Invoke-Demo }
        'Package' { Invoke-Package }
        'Bench' { Invoke-Bench }
        'Soak' { Invoke-Soak }
    }
}
catch {
    Write-Host "build.ps1 $Task failed: $($_.Exception.Message)" -ForegroundColor Red
    exit 1
}
finally {
    Pop-Location
}
