#Requires -Version 7.4
<#
.SYNOPSIS
    Compares builds of the module on import and cold first call, interleaved, against bare pwsh.

.DESCRIPTION
    For judging a build change (ReadyToRun, fewer dependencies, a different loader) on the two whole-process
    figures of tools/Bench.ps1. Every round starts bare pwsh once and, for every build, one import-only and one
    cold-call process, in an order rotated each round; the added time of a process is its wall time minus the bare
    run of the same round. Prints a markdown table (median, min, max of the added ms) and the in-process JIT count.

.EXAMPLE
    dotnet pwsh -NoProfile -File tools/bench/Compare-ColdStart.ps1 -ModulePath out/GliderPS, /tmp/r2r/GliderPS -Runs 15
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [string[]] $ModulePath,
    [ValidateRange(1, 1000)] [int] $Runs = 15,
    [string] $EmulatorDll
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0

$ModulePath = @($ModulePath -split ',' | ForEach-Object { [System.IO.Path]::GetFullPath($_.Trim()) })
$pwshDll = [System.IO.Path]::Combine($PSHOME, 'pwsh.dll')
$apiKey = 'gldr_sk_demo_rw_4f8a2c9e7b1d6053'
Import-Module ([System.IO.Path]::Combine($PSScriptRoot, '..', 'GliderPS.Emulator', 'GliderPS.Emulator.psd1')) -Force

function Invoke-Child([string[]] $Arguments) {
    $startInfo = [System.Diagnostics.ProcessStartInfo]::new('dotnet')
    $startInfo.ArgumentList.Add($pwshDll)
    foreach ($argument in $Arguments) { $startInfo.ArgumentList.Add($argument) }
    $startInfo.UseShellExecute = $false
    $startInfo.RedirectStandardInput = $true
    $startInfo.RedirectStandardOutput = $true
    $startInfo.RedirectStandardError = $true
    $startInfo.Environment['GLIDER_BENCH_API_KEY'] = $apiKey
    $startInfo.Environment['NO_COLOR'] = '1'
    $stopwatch = [System.Diagnostics.Stopwatch]::StartNew()
    $process = [System.Diagnostics.Process]::Start($startInfo)
    $process.StandardInput.Close()
    $stdout = $process.StandardOutput.ReadToEndAsync()
    $stderr = $process.StandardError.ReadToEndAsync()
    if (-not $process.WaitForExit(120000)) { $process.Kill($true); throw 'A child timed out.' }
    $stopwatch.Stop()
    $process.WaitForExit()
    if ($process.ExitCode -ne 0) { throw "Child failed ($($process.ExitCode)): $($stderr.Result) $($stdout.Result)" }
    [pscustomobject]@{ Ms = $stopwatch.Elapsed.TotalMilliseconds; Out = $stdout.Result }
}

function Get-Median([double[]] $Values) {
    $sorted = [double[]] ($Values | Sort-Object)
    $middle = [math]::Floor($sorted.Count / 2)
    if ($sorted.Count % 2) { $sorted[$middle] } else { ($sorted[$middle - 1] + $sorted[$middle]) / 2 }
}

$emulatorArguments = @{}
if ($EmulatorDll) { $emulatorArguments.EmulatorDll = $EmulatorDll }
$emulator = Start-GliderEmulator @emulatorArguments
try {
    $submission = Invoke-RestMethod -Method Post -Uri "$($emulator.BaseUri)/v2/portfolios/pf_acme_0001/rebalance" -Headers @{ 'x-api-key' = $apiKey }
    $operationId = $submission.data.operationId
    # The JIT count of the child itself says how much of the added time is compilation.
    $jitReport = '; ''BENCH_JIT='' + [System.Runtime.JitInfo]::GetCompiledMethodCount($false)'
    $variants = [ordered]@{ bare = @('-NoProfile', '-Command', 'exit') }
    for ($i = 0; $i -lt $ModulePath.Count; $i++) {
        $module = $ModulePath[$i]
        $variants["import#$i"] = @('-NoProfile', '-Command', "Import-Module '$module'$jitReport")
        $variants["cold#$i"] = @('-NoProfile', '-Command', (@(
                    '$ErrorActionPreference = ''Stop'''
                    "Import-Module '$module'"
                    "Connect-Glider -BaseUri '$($emulator.BaseUri)' -ApiKey ([System.Net.NetworkCredential]::new('', `$env:GLIDER_BENCH_API_KEY).SecurePassword) -SkipValidation"
                    "`$null = Get-GliderOperation -PortfolioId pf_acme_0001 -OperationId '$operationId'"
                ) -join '; ') + $jitReport)
    }
    $names = [string[]] $variants.Keys
    foreach ($name in $names) { $null = Invoke-Child $variants[$name] }   # disk cache
    $times = @{}; $jit = @{}
    foreach ($name in $names) { $times[$name] = [System.Collections.Generic.List[double]]::new(); $jit[$name] = [System.Collections.Generic.List[double]]::new() }
    for ($round = 0; $round -lt $Runs; $round++) {
        for ($k = 0; $k -lt $names.Count; $k++) {
            $name = $names[($round + $k) % $names.Count]
            $run = Invoke-Child $variants[$name]
            $times[$name].Add($run.Ms)
            if ($run.Out -match 'BENCH_JIT=(\d+)') { $jit[$name].Add([double] $Matches[1]) }
        }
    }
}
finally {
    $emulator | Stop-GliderEmulator
}

$bare = Get-Median $times.bare
"Bare pwsh: median $([math]::Round($bare)) ms over $Runs interleaved rounds."
''
'| build | figure | added ms median | min | max | methods JIT-compiled in the child (median) |'
'|---|---|---|---|---|---|'
for ($i = 0; $i -lt $ModulePath.Count; $i++) {
    foreach ($kind in 'import', 'cold') {
        $name = "$kind#$i"
        $added = [double[]] (0..($Runs - 1) | ForEach-Object { $times[$name][$_] - $times.bare[$_] })
        '| {0} | {1} | {2:N0} | {3:N0} | {4:N0} | {5:N0} |' -f $ModulePath[$i], $kind, (Get-Median $added),
            ($added | Measure-Object -Minimum).Minimum, ($added | Measure-Object -Maximum).Maximum, (Get-Median $jit[$name])
    }
}
