#Requires -Version 7.4
<#
.SYNOPSIS
    Benchmarks GliderPS against what a user would otherwise use, and writes a markdown report.

.DESCRIPTION
    Starts the emulator (tools/GliderPS.Emulator) with no added latency, runs the benchmarks, writes a table of
    figures (median, min, max, ratio against a baseline, target, pass/miss) plus machine information, and stops
    the emulator. Absolute times on a shared 2-core machine are noisy, so every figure that has a target is a ratio
    or a difference taken from interleaved runs.

      Import    pwsh -c "Import-Module GliderPS" vs pwsh -c exit (and PSResourceGet, a peer binary module).
      ColdCall  a new process that imports, Connect-Glider -SkipValidation, one Get-GliderOperation; vs bare pwsh.
      PerCall   one warm session: N x Get-GliderOperation vs N x Invoke-RestMethod vs a C# HttpClient loop.
      FanOut    Get-GliderPortfolio | Invoke-GliderRebalance | Wait-GliderOperation over N portfolios vs the
                ideal (operation time + one poll interval) and vs a ForEach-Object -Parallel peer script.
      Network   the fan-out again with the emulator's latency at 0, 50 and 150 ms (a real network's round trip):
                wall time and time to the first finished operation, vs ideal(L) and vs the peer at ThrottleLimit 16
                and 32.
      RateLimit the fan-out against the emulator's platform limiter (100 requests per second, latency 10 ms): wall
                time vs the limit's floor (requests needed / rate) and the share of requests answered 429.
      Tiers     the limiter as the API documents it (headers only on tiered routes, windows per IP): a list tier of
                600/min beside un-headered triggers and polls at 50 ms (vs ideal(L)); the global limit with that
                tier (vs the floor, share of 429s); two processes on one key, half the portfolios each.
      Memory    peak working set of a pwsh process waiting on N operations.

    Child processes are started as `dotnet $PSHOME/pwsh.dll`, which works from any directory. Missed targets do
    not fail the script (they are findings); a benchmark that cannot run does (exit code 1), after the report is
    written with that benchmark's figures marked "error".

.EXAMPLE
    dotnet pwsh -NoProfile -File tools/Bench.ps1 -ModulePath out/GliderPS -OutputPath out/bench.md

.EXAMPLE
    dotnet pwsh -NoProfile -File tools/Bench.ps1 -Quick -OutputPath /tmp/bench.md
    Every benchmark at a tiny size (a smoke test; the figures mean nothing).
#>
[CmdletBinding()]
param(
    # The staged module folder (out/GliderPS).
    [string] $ModulePath = [System.IO.Path]::Combine($PSScriptRoot, '..', 'out', 'GliderPS'),

    [string] $OutputPath = [System.IO.Path]::Combine($PSScriptRoot, '..', 'out', 'bench.md'),

    # Default: GLIDER_EMULATOR_DLL, else the Release build under tests/Glider.Emulator.
    [string] $EmulatorDll,

    # Tiny sizes for a smoke test; explicitly given sizes still win.
    [switch] $Quick,

    # Which benchmarks to run: Import, ColdCall, PerCall, FanOut, Network, RateLimit, Memory. Also "A,B" in one
    # argument (pwsh -File passes a comma list as one string).
    [string[]] $Benchmark = @('Import', 'ColdCall', 'PerCall', 'FanOut', 'Network', 'RateLimit', 'Tiers', 'Memory'),

    # Interleaved runs of each whole-process variant (import, cold call).
    [ValidateRange(1, 1000)] [int] $ProcessRuns = 21,

    # Calls per timed block, timed blocks per variant, and untimed calls first.
    [ValidateRange(1, 1000000)] [int] $CallCount = 1000,
    [ValidateRange(1, 100)] [int] $CallRounds = 15,
    [ValidateRange(0, 100000)] [int] $CallWarmup = 200,

    # Portfolios rebalanced per fan-out run, and runs of each variant (interleaved).
    [ValidateRange(1, 100000)] [int] $FanOutCount = 1000,
    [ValidateRange(1, 20)] [int] $FanOutRuns = 3,

    # Emulator latencies (ms) of the network benchmark, and runs of each variant per latency. Also "A,B" in one
    # argument, like -Benchmark (pwsh -File would otherwise read "150,50" as the number 15050).
    [string[]] $Latencies = @('0', '50', '150'),
    [ValidateRange(1, 20)] [int] $NetworkRuns = 2,

    # The platform limiter of the rate-limit benchmark: requests per second, and the emulator's latency then.
    [ValidateRange(1, 100000)] [int] $RateLimitPerSecond = 100,
    [ValidateRange(0, 10000)] [int] $RateLimitLatencyMs = 10,

    # Operations waited on by the memory run.
    [ValidateRange(1, 100000)] [int] $MemoryCount = 10000,

    # Emulated duration of one rebalance, and the poll interval used by both GliderPS and the peer.
    [ValidateRange(0, 600000)] [int] $OperationMs = 2000,
    [ValidateRange(1, 60)] [int] $PollIntervalSec = 2,

    # Runspaces of the ForEach-Object -Parallel peer.
    [ValidateRange(1, 256)] [int] $PeerThrottleLimit = 32
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0

if ($Quick) {
    $quickSizes = @{
        ProcessRuns = 1; CallCount = 20; CallRounds = 2; CallWarmup = 5
        FanOutCount = 20; FanOutRuns = 1; MemoryCount = 50; OperationMs = 200; PollIntervalSec = 1; NetworkRuns = 1
        Latencies = @('0', '50')
    }
    foreach ($name in $quickSizes.Keys) {
        if (-not $PSBoundParameters.ContainsKey($name)) { Set-Variable -Name $name -Value $quickSizes[$name] }
    }
}

$knownBenchmarks = 'Import', 'ColdCall', 'PerCall', 'FanOut', 'Network', 'RateLimit', 'Tiers', 'Memory'
$Benchmark = @($Benchmark -split ',' | ForEach-Object Trim | Where-Object { $_ })
foreach ($name in $Benchmark) {
    if ($name -notin $knownBenchmarks) { throw "Unknown benchmark '$name'; known: $($knownBenchmarks -join ', ')." }
}

$Latencies = @($Latencies -split ',' | ForEach-Object Trim | Where-Object { $_ } | ForEach-Object { [int]::Parse($_, [cultureinfo]::InvariantCulture) })

$RepoRoot = [System.IO.Path]::GetFullPath([System.IO.Path]::Combine($PSScriptRoot, '..'))
$ModulePath = [System.IO.Path]::GetFullPath($ModulePath)
$OutputPath = [System.IO.Path]::GetFullPath($OutputPath)
$PwshDll = [System.IO.Path]::Combine($PSHOME, 'pwsh.dll')
$BenchDir = [System.IO.Path]::Combine($PSScriptRoot, 'bench')
# Scratch space for what the run compiles (the one-cmdlet module of import.minimal-binary); removed at the end.
$ScratchDir = [System.IO.Path]::Combine([System.IO.Path]::GetTempPath(), "glider-bench-$PID")
$ApiKey = 'gldr_sk_demo_rw_4f8a2c9e7b1d6053'   # the emulator's read-write demo key (tests/Glider.Emulator/README.md)

if (-not (Test-Path -LiteralPath ([System.IO.Path]::Combine($ModulePath, 'GliderPS.psd1')))) {
    throw "No staged module at $ModulePath. Run 'dotnet pwsh ./build.ps1 Build' first."
}
Import-Module ([System.IO.Path]::Combine($PSScriptRoot, 'GliderPS.Emulator', 'GliderPS.Emulator.psd1')) -Force

#region Helpers

function Get-Median([double[]] $Values) {
    $sorted = [double[]] ($Values | Sort-Object)
    $middle = [math]::Floor($sorted.Count / 2)
    if ($sorted.Count % 2) { $sorted[$middle] } else { ($sorted[$middle - 1] + $sorted[$middle]) / 2 }
}

function Get-Summary([double[]] $Values) {
    [pscustomobject]@{
        Median = Get-Median $Values
        Min    = ($Values | Measure-Object -Minimum).Minimum
        Max    = ($Values | Measure-Object -Maximum).Maximum
        Count  = $Values.Count
    }
}

function Get-LoadAverage {
    if (Test-Path /proc/loadavg) { ((Get-Content /proc/loadavg -Raw) -split ' ')[0..2] -join ' ' } else { 'n/a' }
}

<#
    Runs `dotnet $PSHOME/pwsh.dll <arguments>` to the end and returns its wall time, exit code and output.
    Standard input is closed at once (no child may wait on it) and the output is drained asynchronously, so a
    chatty child never blocks on a full pipe; the clock covers process start to process exit only.
#>
function Invoke-Pwsh {
    param(
        [Parameter(Mandatory)] [string[]] $ArgumentList,
        [int] $TimeoutSec = 300,
        [switch] $AllowFailure
    )
    Start-PwshChild -ArgumentList $ArgumentList | Wait-PwshChild -TimeoutSec $TimeoutSec -AllowFailure:$AllowFailure
}

# Starts a child (see Invoke-Pwsh) without waiting for it, so that several can run side by side.
function Start-PwshChild {
    param([Parameter(Mandatory)] [string[]] $ArgumentList)
    $startInfo = [System.Diagnostics.ProcessStartInfo]::new('dotnet')
    $startInfo.ArgumentList.Add($PwshDll)
    foreach ($argument in $ArgumentList) { $startInfo.ArgumentList.Add($argument) }
    $startInfo.UseShellExecute = $false
    $startInfo.RedirectStandardInput = $true
    $startInfo.RedirectStandardOutput = $true
    $startInfo.RedirectStandardError = $true
    $startInfo.WorkingDirectory = $RepoRoot
    # The key reaches children through the environment, never the command line.
    $startInfo.Environment['GLIDER_BENCH_API_KEY'] = $ApiKey
    # A caller's GLIDER_API_KEY / GLIDER_BASE_URI must not change what the children do.
    $null = $startInfo.Environment.Remove('GLIDER_API_KEY')
    $null = $startInfo.Environment.Remove('GLIDER_BASE_URI')
    # Plain error text in the report.
    $startInfo.Environment['NO_COLOR'] = '1'

    $stopwatch = [System.Diagnostics.Stopwatch]::StartNew()
    $process = [System.Diagnostics.Process]::Start($startInfo)
    $process.StandardInput.Close()
    [pscustomobject]@{
        ArgumentList = $ArgumentList
        Process      = $process
        Stopwatch    = $stopwatch
        StdOut       = $process.StandardOutput.ReadToEndAsync()
        StdErr       = $process.StandardError.ReadToEndAsync()
    }
}

function Wait-PwshChild {
    param(
        [Parameter(Mandatory, ValueFromPipeline)] $Child,
        [int] $TimeoutSec = 300,
        [switch] $AllowFailure
    )
    process {
        $process = $Child.Process
        try {
            if (-not $process.WaitForExit($TimeoutSec * 1000)) {
                $process.Kill($true)
                throw "Child pwsh timed out after $TimeoutSec s: $($Child.ArgumentList -join ' ')"
            }
            $Child.Stopwatch.Stop()
            $process.WaitForExit()   # flushes the asynchronous readers
            $result = [pscustomobject]@{
                ElapsedMs = $Child.Stopwatch.Elapsed.TotalMilliseconds
                ExitCode  = $process.ExitCode
                StdOut    = $Child.StdOut.Result
                StdErr    = $Child.StdErr.Result
            }
        }
        finally {
            $process.Dispose()
        }
        if ($result.ExitCode -ne 0 -and -not $AllowFailure) {
            $detail = (($result.StdErr, $result.StdOut) -join "`n").Trim()
            if ($detail.Length -gt 2000) { $detail = $detail.Substring(0, 2000) + ' ...' }
            throw "Child pwsh exited with $($result.ExitCode): $($Child.ArgumentList -join ' ')`n$detail"
        }
        $result
    }
}

# The last "NAME=<json>" line a child wrote.
function Read-ChildResult($Run, [string] $Name = 'BENCH_RESULT') {
    $line = ($Run.StdOut -split "`r?`n") | Where-Object { $_.StartsWith("$Name=") } | Select-Object -Last 1
    if (-not $line) { throw "The child wrote no $Name line. Output:`n$($Run.StdOut)`n$($Run.StdErr)" }
    $line.Substring($Name.Length + 1) | ConvertFrom-Json
}

function Reset-Emulator([int] $PortfolioCount, [int] $LatencyMs = 0, [int] $RatePerSecond = 1000000) {
    $null = Invoke-GliderEmulator $Emulator POST reset @{ portfolioCount = $PortfolioCount }
    # Reset restores default timings; the benchmarks want the chosen latency (none unless said) and operation time.
    $null = Invoke-GliderEmulator $Emulator PUT timings @{
        operationMs = $OperationMs; latencyMs = $LatencyMs; rateLimitPerWindow = $RatePerSecond; rateLimitWindowSeconds = 1
    }
}

# One operation to fetch (cold call, per call); any state will do, the GET is what is measured.
function New-BenchOperation {
    $portfolioId = 'pf_acme_0001'
    $submission = Invoke-RestMethod -Method Post -Uri "$($Emulator.BaseUri)/v2/portfolios/$portfolioId/rebalance" -Headers @{ 'x-api-key' = $ApiKey }
    [pscustomobject]@{ PortfolioId = $portfolioId; OperationId = [string] $submission.data.operationId }
}

# What the emulator saw during one run: the request mix, and polls per started operation.
function Measure-RequestLog {
    # Invoke-RestMethod hands back a JSON array as one object; ForEach-Object unrolls it into entries.
    $log = @(Invoke-GliderEmulator $Emulator GET requests | ForEach-Object { $_ })
    $stats = Invoke-GliderEmulator $Emulator GET stats
    $polls = 0; $posts = 0; $started = 0; $lists = 0; $other = 0; $failed = 0
    foreach ($entry in $log) {
        if ($entry.status -ge 300) { $failed++ }
        if ($entry.method -eq 'POST' -and $entry.rawTarget -like '*/rebalance') {
            $posts++
            if ($entry.status -eq 202) { $started++ }
        }
        elseif ($entry.method -eq 'GET' -and $entry.rawTarget -like '*/operations/*') { $polls++ }
        elseif ($entry.method -eq 'GET' -and $entry.rawTarget -like '/v2/portfolios`?*') { $lists++ }
        else { $other++ }
    }
    [pscustomobject]@{
        Requests          = $log.Count
        ListPages         = $lists
        Posts             = $posts
        Started           = $started
        Polls             = $polls
        PollsPerOperation = if ($started) { $polls / $started } else { [double]::NaN }
        Other             = $other
        NotSuccessful     = $failed
        ConnectionsOpened = $stats.connectionsOpened
    }
}

$Figures = [System.Collections.Generic.List[object]]::new()
$Details = [System.Collections.Generic.List[string]]::new()
$Failures = [System.Collections.Generic.List[string]]::new()

function Add-Figure {
    param(
        [Parameter(Mandatory)] [string] $Id,
        [Parameter(Mandatory)] [string] $Figure,
        [string] $Unit = '',
        $Summary,
        [string] $Baseline = '',
        [string] $Ratio = '',
        [string] $Target = '',
        # $true pass, $false miss, $null no target.
        $Pass = $null,
        [int] $Digits = 0
    )
    $format = { param($value) if ($null -eq $value -or [double]::IsNaN($value)) { 'n/a' } else { ([double] $value).ToString("N$Digits", [cultureinfo]::InvariantCulture) + $Unit } }
    $Figures.Add([pscustomobject]@{
            Id       = $Id
            Figure   = $Figure
            Median   = if ($Summary) { & $format $Summary.Median } else { 'n/a' }
            Min      = if ($Summary) { & $format $Summary.Min } else { 'n/a' }
            Max      = if ($Summary) { & $format $Summary.Max } else { 'n/a' }
            Baseline = $Baseline
            Ratio    = $Ratio
            Target   = $Target
            Result   = if ($null -eq $Pass) { '-' } elseif ($Pass) { 'pass' } else { '**miss**' }
        })
}

# A benchmark that failed still gets its rows, marked "error", so the table always has every figure.
function Add-ErrorFigure([string[]] $Ids, [string] $Message) {
    $Message = $Message -replace '\x1b\[[0-9;]*m', ''
    foreach ($id in $Ids) {
        $Figures.Add([pscustomobject]@{
                Id = $id; Figure = 'benchmark failed (see Errors)'; Median = 'n/a'; Min = 'n/a'; Max = 'n/a'
                Baseline = ''; Ratio = ''; Target = ''; Result = 'error'
            })
    }
    $Failures.Add($Message)
}

function Format-Number([double] $Value, [int] $Digits = 0) { $Value.ToString("N$Digits", [cultureinfo]::InvariantCulture) }

function Format-Ratio([double] $Value) { $Value.ToString('0.00', [cultureinfo]::InvariantCulture) + 'x' }

#endregion

#region Benchmarks

<#
    Import and cold call: whole-process wall times, every variant once per round, in an order rotated each round,
    so slow drift (another build, page cache, CPU boost) lands on all variants alike. Added time is the median of
    the per-round differences against bare pwsh of the same round.
#>
function Invoke-ProcessBenchmarks([bool] $Import, [bool] $Cold) {
    # Every child ends by printing its own CPU time (user + system, all threads): unlike wall time it barely moves
    # when other work shares the two cores, so it backs up the wall-time figures on a busy machine. The same
    # statement ends every variant, the bare one included, so it cancels out of the differences.
    # It also prints how many methods the JIT compiled: a count that does not move with load at all, and says how
    # much of an added time is compilation (this pwsh is not ReadyToRun-compiled; see docs/benchmarks.md).
    $cpuReport = '[Console]::Out.WriteLine(''BENCH_CPU='' + [System.Diagnostics.Process]::GetCurrentProcess().TotalProcessorTime.TotalMilliseconds); ' +
        '[Console]::Out.WriteLine(''BENCH_JIT='' + [System.Runtime.JitInfo]::GetCompiledMethodCount($false))'
    $variants = [ordered]@{ bare = @('-NoProfile', '-Command', $cpuReport) }
    if ($Import) {
        $variants.gliderps = @('-NoProfile', '-Command', "Import-Module '$ModulePath'; $cpuReport")
        $variants.psresourceget = @('-NoProfile', '-Command', "Import-Module Microsoft.PowerShell.PSResourceGet; $cpuReport")
        # The floor of any binary module: one assembly, one cmdlet, no dependencies, no manifest, no format file.
        # Compiled here, once, so the child only loads it.
        $null = [System.IO.Directory]::CreateDirectory($ScratchDir)
        $minimalModule = [System.IO.Path]::Combine($ScratchDir, 'BenchNothing.dll')
        Add-Type -Path ([System.IO.Path]::Combine($BenchDir, 'NoOpCmdlet.cs')) -OutputAssembly $minimalModule -OutputType Library `
            -ReferencedAssemblies ([System.Management.Automation.PSCmdlet].Assembly.Location)
        $variants.minimal = @('-NoProfile', '-Command', "Import-Module '$minimalModule'; $cpuReport")
        # A process that writes formatted output, as every runbook and interactive session does, pays for loading
        # PowerShell's format database on its first output. A module with a format file moves that load into its
        # import; these two say what the import costs such a process.
        $output = '$null = Get-Date | Out-String'
        $variants['bare-output'] = @('-NoProfile', '-Command', "$output; $cpuReport")
        $variants['gliderps-output'] = @('-NoProfile', '-Command', "Import-Module '$ModulePath'; $output; $cpuReport")
    }
    if ($Cold) {
        Reset-Emulator 250
        $operation = New-BenchOperation
        # Timestamps between the steps split the added time; reading them costs microseconds.
        $coldScript = @(
            '$ErrorActionPreference = ''Stop'''
            '$t0 = [System.Diagnostics.Stopwatch]::GetTimestamp()'
            "Import-Module '$ModulePath'"
            '$t1 = [System.Diagnostics.Stopwatch]::GetTimestamp()'
            "Connect-Glider -BaseUri '$($Emulator.BaseUri)' -ApiKey ([System.Net.NetworkCredential]::new('', `$env:GLIDER_BENCH_API_KEY).SecurePassword) -SkipValidation"
            '$t2 = [System.Diagnostics.Stopwatch]::GetTimestamp()'
            "`$null = Get-GliderOperation -PortfolioId '$($operation.PortfolioId)' -OperationId '$($operation.OperationId)'"
            '$t3 = [System.Diagnostics.Stopwatch]::GetTimestamp()'
            '$f = [System.Diagnostics.Stopwatch]::Frequency / 1000.0'
            # Plain concatenation, not ConvertTo-Json: that cmdlet's own first-use cost would be charged to the module.
            '''BENCH_PHASES={"import":'' + (($t1 - $t0) / $f) + '',"connect":'' + (($t2 - $t1) / $f) + '',"call":'' + (($t3 - $t2) / $f) + ''}'''
            $cpuReport
        ) -join '; '
        $variants.cold = @('-NoProfile', '-Command', $coldScript)
        # The peer: the same GET with Invoke-RestMethod in a new process. What it adds is what PowerShell's own HTTP
        # stack costs on first use (JIT of HttpClient's generic async code included), which any module pays too.
        $escapedId = [uri]::EscapeDataString($operation.OperationId)
        $variants['cold-irm'] = @('-NoProfile', '-Command', (@(
                    '$ErrorActionPreference = ''Stop'''
                    "`$null = Invoke-RestMethod -Uri '$($Emulator.BaseUri)/v2/portfolios/$($operation.PortfolioId)/operations/$escapedId' -Headers @{ 'x-api-key' = `$env:GLIDER_BENCH_API_KEY }"
                    $cpuReport
                ) -join '; '))
    }

    $names = [string[]] $variants.Keys
    # One untimed run each: the first start after a build pays for reading the files from disk. (Not worth it for a
    # smoke test.)
    if (-not $Quick) { foreach ($name in $names) { $null = Invoke-Pwsh -ArgumentList $variants[$name] } }

    $times = @{}; $cpu = @{}
    $jit = @{}
    foreach ($name in $names) {
        $times[$name] = [System.Collections.Generic.List[double]]::new(); $cpu[$name] = [System.Collections.Generic.List[double]]::new()
        $jit[$name] = [System.Collections.Generic.List[double]]::new()
    }
    $phases = [System.Collections.Generic.List[object]]::new()
    for ($round = 0; $round -lt $ProcessRuns; $round++) {
        for ($k = 0; $k -lt $names.Count; $k++) {
            $name = $names[($round + $k) % $names.Count]
            $run = Invoke-Pwsh -ArgumentList $variants[$name]
            $times[$name].Add($run.ElapsedMs)
            $cpu[$name].Add([double] (Read-ChildResult $run 'BENCH_CPU'))
            $jit[$name].Add([double] (Read-ChildResult $run 'BENCH_JIT'))
            if ($name -eq 'cold') { $phases.Add((Read-ChildResult $run 'BENCH_PHASES')) }
        }
    }

    $bare = Get-Summary $times.bare
    $added = {
        param([string] $name)
        Get-Summary ([double[]] (0..($ProcessRuns - 1) | ForEach-Object { $times[$name][$_] - $times.bare[$_] }))
    }
    $addedCpu = {
        param([string] $name)
        Get-Summary ([double[]] (0..($ProcessRuns - 1) | ForEach-Object { $cpu[$name][$_] - $cpu.bare[$_] }))
    }
    $processRatio = { param([string] $name) Format-Ratio ((Get-Median $times[$name]) / $bare.Median) }
    $bareCpu = Get-Summary $cpu.bare
    $cpuRatio = { param([string] $name) Format-Ratio ((Get-Median $cpu[$name]) / $bareCpu.Median) }
    $bareText = "bare pwsh: $(Format-Number $bare.Median) ms"
    $bareCpuText = "bare pwsh: $(Format-Number $bareCpu.Median) ms CPU"

    Add-Figure -Id 'process.bare' -Figure 'Bare pwsh process (pwsh -NoProfile -c <print own CPU time>), wall time' -Unit ' ms' -Summary $bare `
        -Baseline '(baseline)' -Ratio '1.00x'
    Add-Figure -Id 'process.bare-cpu' -Figure 'Bare pwsh process, CPU time (user + system, all threads)' -Unit ' ms' -Summary $bareCpu `
        -Baseline '(baseline)' -Ratio '1.00x'
    if ($Import) {
        $gliderAdded = & $added 'gliderps'
        $peerAdded = & $added 'psresourceget'
        Add-Figure -Id 'import.gliderps' -Figure 'Import-Module GliderPS: time added to a new process' -Unit ' ms' -Summary $gliderAdded `
            -Baseline $bareText -Ratio (& $processRatio 'gliderps') -Target '<= 50 ms added' -Pass ($gliderAdded.Median -le 50)
        Add-Figure -Id 'import.psresourceget' -Figure 'Import-Module Microsoft.PowerShell.PSResourceGet (peer binary module): time added' -Unit ' ms' `
            -Summary $peerAdded -Baseline $bareText -Ratio (& $processRatio 'psresourceget') -Target 'reference'
        Add-Figure -Id 'import.minimal-binary' -Figure 'Explains: Import-Module of a one-cmdlet binary module with nothing else (the floor of any binary module): time added' -Unit ' ms' `
            -Summary (& $added 'minimal') -Baseline $bareText -Ratio (& $processRatio 'minimal')
        $withOutput = Get-Summary ([double[]] (0..($ProcessRuns - 1) | ForEach-Object { $times['gliderps-output'][$_] - $times['bare-output'][$_] }))
        $bareOutput = Get-Median $times['bare-output']
        Add-Figure -Id 'import.gliderps-with-output' -Figure 'Explains: Import-Module GliderPS in a process that then writes formatted output: time added to the same process without the import' -Unit ' ms' `
            -Summary $withOutput -Baseline "pwsh writing output: $(Format-Number $bareOutput) ms" -Ratio (Format-Ratio ((Get-Median $times['gliderps-output']) / $bareOutput))
        Add-Figure -Id 'import.gliderps-cpu' -Figure 'Import-Module GliderPS: CPU time added (backs up the wall figure)' -Unit ' ms' `
            -Summary (& $addedCpu 'gliderps') -Baseline $bareCpuText -Ratio (& $cpuRatio 'gliderps')
        Add-Figure -Id 'import.psresourceget-cpu' -Figure 'Import-Module Microsoft.PowerShell.PSResourceGet: CPU time added' -Unit ' ms' `
            -Summary (& $addedCpu 'psresourceget') -Baseline $bareCpuText -Ratio (& $cpuRatio 'psresourceget')
        $Details.Add("Import: whole-process medians: bare $(Format-Number $bare.Median) ms, GliderPS $(Format-Number (Get-Median $times.gliderps)) ms, " +
            "PSResourceGet $(Format-Number (Get-Median $times.psresourceget)) ms; GliderPS adds $(if ($peerAdded.Median -gt 0) { Format-Ratio ($gliderAdded.Median / $peerAdded.Median) } else { 'n/a' }) " +
            "of what PSResourceGet adds. $ProcessRuns rounds, order rotated each round.")
    }
    if ($Cold) {
        $coldAdded = & $added 'cold'
        Add-Figure -Id 'cold.first-call' -Figure 'New process: import + Connect-Glider -SkipValidation + one Get-GliderOperation: time added' -Unit ' ms' `
            -Summary $coldAdded -Baseline $bareText -Ratio (& $processRatio 'cold') -Target '<= 250 ms added' -Pass ($coldAdded.Median -le 250)
        Add-Figure -Id 'cold.first-call-cpu' -Figure 'New process: import + connect + one call: CPU time added (backs up the wall figure)' -Unit ' ms' `
            -Summary (& $addedCpu 'cold') -Baseline $bareCpuText -Ratio (& $cpuRatio 'cold')
        Add-Figure -Id 'cold.invokerestmethod' -Figure 'Explains: new process + one Invoke-RestMethod of the same GET (no module): time added' -Unit ' ms' `
            -Summary (& $added 'cold-irm') -Baseline $bareText -Ratio (& $processRatio 'cold-irm')
        Add-Figure -Id 'cold.invokerestmethod-cpu' -Figure 'Explains: new process + one Invoke-RestMethod: CPU time added' -Unit ' ms' `
            -Summary (& $addedCpu 'cold-irm') -Baseline $bareCpuText -Ratio (& $cpuRatio 'cold-irm')
        $phaseText = foreach ($phase in 'import', 'connect', 'call') {
            $summary = Get-Summary ([double[]] ($phases | ForEach-Object { $_.$phase }))
            "$phase $(Format-Number $summary.Median 1) ms (min $(Format-Number $summary.Min 1), max $(Format-Number $summary.Max 1))"
        }
        $Details.Add("Cold call, inside the child (Stopwatch between the three statements, medians): $($phaseText -join '; '). " +
            "The rest of the added time is runtime start-up work the statements trigger outside themselves and process exit.")
    }
    $Details.Add("Methods JIT-compiled per process (median): " + (($names | ForEach-Object {
                    $median = Get-Median $jit[$_]
                    if ($_ -eq 'bare') { "bare $(Format-Number $median)" } else { "$_ +$(Format-Number ($median - (Get-Median $jit.bare)))" }
                }) -join ', ') + '.')
    $Details.Add("Whole-process CPU samples (ms, in run order): " + (($names | ForEach-Object { "$_ [" + (($cpu[$_] | ForEach-Object { Format-Number $_ }) -join ', ') + ']' }) -join '; '))
    $Details.Add("Whole-process samples (ms, in run order): " + (($names | ForEach-Object { "$_ [" + (($times[$_] | ForEach-Object { Format-Number $_ }) -join ', ') + ']' }) -join '; '))
}

function Invoke-PerCallBenchmark {
    Reset-Emulator 250
    $operation = New-BenchOperation
    $run = Invoke-Pwsh -TimeoutSec 900 -ArgumentList @(
        '-NoProfile', '-NonInteractive', '-File', [System.IO.Path]::Combine($BenchDir, 'PerCall.ps1'),
        '-ModulePath', $ModulePath, '-BaseUri', $Emulator.BaseUri,
        '-PortfolioId', $operation.PortfolioId, '-OperationId', $operation.OperationId,
        '-Count', $CallCount, '-Rounds', $CallRounds, '-Warmup', $CallWarmup, '-WarmupSeconds', $(if ($Quick) { 0 } else { 5 }), '-WarmupBlocks', $(if ($Quick) { 1 } else { 40 }))
    $result = Read-ChildResult $run
    $us = @{}
    $variantNames = 'GliderPS', 'InvokeRestMethod', 'HttpClient', 'HttpClientBlocking', 'GliderClient', 'NoOpCmdlet'
    foreach ($name in $variantNames) {
        $us[$name] = Get-Summary ([double[]] ($result.Variants.$name | ForEach-Object UsPerCall))
    }
    $glider = $us.GliderPS
    $perCall = "per call, $CallCount sequential GETs, warm session"
    Add-Figure -Id 'percall.httpclient' -Figure "C# HttpClient loop (the floor): time $perCall" -Unit ' µs' -Summary $us.HttpClient -Baseline '(floor)'
    Add-Figure -Id 'percall.invokerestmethod' -Figure "Invoke-RestMethod: time $perCall" -Unit ' µs' -Summary $us.InvokeRestMethod `
        -Baseline "floor: $(Format-Number $us.HttpClient.Median) µs" -Ratio ((Format-Ratio ($us.InvokeRestMethod.Median / $us.HttpClient.Median)) + ' floor')
    $speedup = $us.InvokeRestMethod.Median / $glider.Median
    Add-Figure -Id 'percall.gliderps-vs-irm' -Figure "Get-GliderOperation: time $perCall" -Unit ' µs' -Summary $glider `
        -Baseline "Invoke-RestMethod: $(Format-Number $us.InvokeRestMethod.Median) µs" -Ratio ((Format-Ratio $speedup) + ' faster') `
        -Target '>= 3x faster than Invoke-RestMethod' -Pass ($speedup -ge 3)
    $overFloor = $glider.Median / $us.HttpClient.Median
    Add-Figure -Id 'percall.gliderps-vs-floor' -Figure "Get-GliderOperation against the floor (same samples)" -Unit ' µs' -Summary $glider `
        -Baseline "HttpClient: $(Format-Number $us.HttpClient.Median) µs" -Ratio ((Format-Ratio $overFloor) + ' floor') `
        -Target '<= 1.5x the HttpClient floor' -Pass ($overFloor -le 1.5)
    # Not targets: they say where Get-GliderOperation's time goes (the hand-back to a waiting thread, the client
    # library, PowerShell's cost of any cmdlet call).
    Add-Figure -Id 'percall.httpclient-blocking' -Figure "Explains: the same C# loop, the calling thread waiting for each GET (as any cmdlet must), time per call" `
        -Unit ' µs' -Summary $us.HttpClientBlocking -Baseline "HttpClient: $(Format-Number $us.HttpClient.Median) µs" -Ratio ((Format-Ratio ($us.HttpClientBlocking.Median / $us.HttpClient.Median)) + ' floor')
    Add-Figure -Id 'percall.gliderclient' -Figure "Explains: the module's GliderClient.GetOperationAsync called from a PowerShell loop (no cmdlet), time per call" `
        -Unit ' µs' -Summary $us.GliderClient -Baseline "HttpClient: $(Format-Number $us.HttpClient.Median) µs" -Ratio ((Format-Ratio ($us.GliderClient.Median / $us.HttpClient.Median)) + ' floor')
    Add-Figure -Id 'percall.noop-cmdlet' -Figure 'Explains: a no-op binary cmdlet with the same two parameters (no HTTP), time per call' `
        -Unit ' µs' -Summary $us.NoOpCmdlet -Baseline "Get-GliderOperation: $(Format-Number $glider.Median) µs" -Ratio ((Format-Ratio ($us.NoOpCmdlet.Median / $glider.Median)) + ' of it')

    $labels = @{
        GliderPS = 'Get-GliderOperation'; InvokeRestMethod = 'Invoke-RestMethod'; HttpClient = 'HttpClient (C# loop)'
        HttpClientBlocking = 'HttpClient (C# loop, waiting per call)'
        GliderClient = 'GliderClient from a PowerShell loop'; NoOpCmdlet = 'no-op cmdlet (no HTTP)'
    }
    $rows = foreach ($name in $variantNames) {
        $samples = $result.Variants.$name
        $label = $labels[$name]
        '| {0} | {1} | {2} | {3} | {4} | {5} | {6} | {7} |' -f $label,
            (Format-Number (Get-Median ([double[]] ($samples | ForEach-Object CpuUsPerCall)))),
            (Format-Number (Get-Median ([double[]] ($samples | ForEach-Object SwitchesPerCall))) 2),
            (Format-Number (Get-Median ([double[]] ($samples | ForEach-Object BytesPerCall)))),
            (($samples | ForEach-Object { "$($_.Gen0)/$($_.Gen1)/$($_.Gen2)" }) -join ' '),
            (Format-Number ((Get-Median ([double[]] ($samples | ForEach-Object Requests))) / $CallCount) 2),
            (($samples | ForEach-Object { $_.Connections - 1 }) -join ' '),
            (($samples | ForEach-Object { Format-Number $_.UsPerCall }) -join ', ')
    }
    $Details.Add((@(
                "Per call: $CallRounds timed blocks of $CallCount calls per variant after a warm-up of at least $(if ($Quick) { $CallWarmup } else { "40 blocks of $CallWarmup" }) calls$(if (-not $Quick) { ' and 5 s' }) per variant, then a 2 s pause, order rotated per block, full GC before each block. " +
                "Allocated bytes are the whole process's (all threads) during the block; connections exclude the one the harness's own stats call opens. Counters per block:"
                ''
                '| variant | CPU µs/call, all threads (median) | context switches/call (median) | allocated bytes/call (median) | GCs gen0/1/2 per block | requests/call | connections opened per block | wall µs/call per block |'
                '|---|---|---|---|---|---|---|---|'
            ) + $rows) -join "`n")
}

function Invoke-FanOutBenchmark {
    $variants = [ordered]@{
        GliderPS = @('-NoProfile', '-NonInteractive', '-File', [System.IO.Path]::Combine($BenchDir, 'Rebalance-GliderPS.ps1'),
            '-ModulePath', $ModulePath, '-BaseUri', $Emulator.BaseUri, '-PollIntervalSec', $PollIntervalSec)
        Peer     = @('-NoProfile', '-NonInteractive', '-File', [System.IO.Path]::Combine($BenchDir, 'Rebalance-Peer.ps1'),
            '-BaseUri', $Emulator.BaseUri, '-PollIntervalSec', $PollIntervalSec, '-ThrottleLimit', $PeerThrottleLimit)
    }
    $names = [string[]] $variants.Keys
    $runs = @{}; foreach ($name in $names) { $runs[$name] = [System.Collections.Generic.List[object]]::new() }
    for ($round = 0; $round -lt $FanOutRuns; $round++) {
        for ($k = 0; $k -lt $names.Count; $k++) {
            $name = $names[($round + $k) % $names.Count]
            # A fresh seed every run: otherwise the previous run's cooldowns answer 429 to every trigger.
            Reset-Emulator $FanOutCount
            $result = Read-ChildResult (Invoke-Pwsh -TimeoutSec 900 -ArgumentList $variants[$name])
            $requests = Measure-RequestLog
            if ($result.Finished -ne $FanOutCount -or $result.ErrorCount -gt 0) {
                throw "Fan-out ($name) finished $($result.Finished) of $FanOutCount operations with $($result.ErrorCount) error(s): $($result.FirstErrors -join ' | ')"
            }
            $runs[$name].Add([pscustomobject]@{ Result = $result; Requests = $requests })
        }
    }

    $idealMs = $OperationMs + $PollIntervalSec * 1000
    $idealText = "ideal: $(Format-Number ($idealMs / 1000) 2) s ($(Format-Number ($OperationMs / 1000) 1) s operation + $PollIntervalSec s poll)"
    $glider = Get-Summary ([double[]] ($runs.GliderPS | ForEach-Object { $_.Result.WallMs / 1000 }))
    $peer = Get-Summary ([double[]] ($runs.Peer | ForEach-Object { $_.Result.WallMs / 1000 }))
    $polls = Get-Summary ([double[]] ($runs.GliderPS | ForEach-Object { $_.Requests.PollsPerOperation }))
    $peerPolls = Get-Summary ([double[]] ($runs.Peer | ForEach-Object { $_.Requests.PollsPerOperation }))
    $overIdeal = $glider.Median * 1000 / $idealMs
    $what = "$FanOutCount portfolios, $(Format-Number ($OperationMs / 1000) 1) s operations"
    Add-Figure -Id 'fanout.gliderps-wall' -Figure "Get-GliderPortfolio | Invoke-GliderRebalance | Wait-GliderOperation, $what, wall time" -Unit ' s' -Digits 2 `
        -Summary $glider -Baseline $idealText -Ratio ((Format-Ratio $overIdeal) + ' ideal') -Target '<= 1.5x ideal' -Pass ($overIdeal -le 1.5)
    Add-Figure -Id 'fanout.gliderps-polls' -Figure 'GliderPS: GET operation requests per operation (emulator request log)' -Digits 2 `
        -Summary $polls -Baseline "peer script: $(Format-Number $peerPolls.Median 2)" -Ratio (Format-Ratio ($polls.Median / $peerPolls.Median)) `
        -Target '<= 3 per operation' -Pass ($polls.Median -le 3)
    $speedup = $peer.Median / $glider.Median
    Add-Figure -Id 'fanout.peer-wall' -Figure "ForEach-Object -Parallel + Invoke-RestMethod peer (ThrottleLimit $PeerThrottleLimit), $what, wall time" -Unit ' s' -Digits 2 `
        -Summary $peer -Baseline "GliderPS: $(Format-Number $glider.Median 2) s" -Ratio ((Format-Ratio $speedup) + ' GliderPS') `
        -Target 'GliderPS faster (> 1x)' -Pass ($speedup -gt 1)

    $rows = foreach ($name in $names) {
        foreach ($run in $runs[$name]) {
            $r = $run.Requests
            '| {0} | {1} | {2} | {3} | {4} | {5} | {6} | {7} | {8} |' -f $name, (Format-Number ($run.Result.WallMs / 1000) 2), $r.Requests, $r.ListPages, $r.Posts,
                $r.Polls, (Format-Number $r.PollsPerOperation 2), $r.NotSuccessful, $r.ConnectionsOpened
        }
    }
    $Details.Add((@(
                "Fan-out: $FanOutRuns run(s) of each, interleaved, emulator reset before each run (latency 0, operation $OperationMs ms). Per run:"
                ''
                '| variant | wall s | requests | list pages | POST rebalance | GET operation | polls/operation | non-2xx | connections opened |'
                '|---|---|---|---|---|---|---|---|---|'
            ) + $rows) -join "`n")
}

# ideal(L): the pages listed one after another, the triggers 16 at a time, then one operation and one poll interval,
# and the last poll's round trip.
function Get-IdealFanOutMs([int] $LatencyMs) {
    $pages = [math]::Ceiling($FanOutCount / 200)
    $pages * $LatencyMs + [math]::Ceiling($FanOutCount / 16) * $LatencyMs + $OperationMs + $PollIntervalSec * 1000 + $LatencyMs
}

function Invoke-NetworkBenchmark {
    $gliderArguments = @('-NoProfile', '-NonInteractive', '-File', [System.IO.Path]::Combine($BenchDir, 'Rebalance-GliderPS.ps1'),
        '-ModulePath', $ModulePath, '-BaseUri', $Emulator.BaseUri, '-PollIntervalSec', $PollIntervalSec)
    $peerArguments = @('-NoProfile', '-NonInteractive', '-File', [System.IO.Path]::Combine($BenchDir, 'Rebalance-Peer.ps1'),
        '-BaseUri', $Emulator.BaseUri, '-PollIntervalSec', $PollIntervalSec)
    $variants = [ordered]@{
        GliderPS   = $gliderArguments
        # The module at the peer's concurrency: what bounds the default (16) where round trips dominate.
        GliderPS32 = $gliderArguments + @('-ThrottleLimit', 32)
        Peer16     = $peerArguments + @('-ThrottleLimit', 16)
        Peer32     = $peerArguments + @('-ThrottleLimit', 32)
    }
    $names = [string[]] $variants.Keys
    $rows = [System.Collections.Generic.List[string]]::new()
    foreach ($latency in $Latencies) {
        $runs = @{}; foreach ($name in $names) { $runs[$name] = [System.Collections.Generic.List[object]]::new() }
        for ($round = 0; $round -lt $NetworkRuns; $round++) {
            for ($k = 0; $k -lt $names.Count; $k++) {
                $name = $names[($round + $k) % $names.Count]
                Reset-Emulator $FanOutCount -LatencyMs $latency
                $result = Read-ChildResult (Invoke-Pwsh -TimeoutSec 1200 -ArgumentList $variants[$name])
                $requests = Measure-RequestLog
                if ($result.Finished -ne $FanOutCount -or $result.ErrorCount -gt 0) {
                    throw "Network fan-out ($name, $latency ms) finished $($result.Finished) of $FanOutCount operations with $($result.ErrorCount) error(s): $($result.FirstErrors -join ' | ')"
                }
                $runs[$name].Add([pscustomobject]@{ Result = $result; Requests = $requests })
                $rows.Add(('| {0} ms | {1} | {2} | {3} | {4} | {5} | {6} |' -f $latency, $name, (Format-Number ($result.WallMs / 1000) 2),
                        (Format-Number ($result.FirstResultMs / 1000) 2), $requests.Requests, (Format-Number $requests.PollsPerOperation 2), $requests.ConnectionsOpened))
            }
        }

        $idealMs = Get-IdealFanOutMs $latency
        $firstTargetMs = 2 * $latency + $OperationMs + $PollIntervalSec * 1000 + 1000
        $glider = Get-Summary ([double[]] ($runs.GliderPS | ForEach-Object { $_.Result.WallMs / 1000 }))
        $first = Get-Summary ([double[]] ($runs.GliderPS | ForEach-Object { $_.Result.FirstResultMs / 1000 }))
        $polls = Get-Summary ([double[]] ($runs.GliderPS | ForEach-Object { $_.Requests.PollsPerOperation }))
        $peer16 = Get-Summary ([double[]] ($runs.Peer16 | ForEach-Object { $_.Result.WallMs / 1000 }))
        $peer32 = Get-Summary ([double[]] ($runs.Peer32 | ForEach-Object { $_.Result.WallMs / 1000 }))
        $betterPeer = [math]::Min($peer16.Median, $peer32.Median)
        $overIdeal = $glider.Median * 1000 / $idealMs
        $what = "L = $latency ms, $FanOutCount portfolios"
        Add-Figure -Id "network.l$latency.gliderps-wall" -Figure "Fan-out wall time, $what" -Unit ' s' -Digits 2 -Summary $glider `
            -Baseline "ideal(L): $(Format-Number ($idealMs / 1000) 2) s" -Ratio ((Format-Ratio $overIdeal) + ' ideal') -Target '<= 1.5x ideal' -Pass ($overIdeal -le 1.5)
        Add-Figure -Id "network.l$latency.first-result" -Figure "Time to the first finished operation, $what" -Unit ' s' -Digits 2 -Summary $first `
            -Baseline "2L + operation + poll + 1 s: $(Format-Number ($firstTargetMs / 1000) 2) s" -Ratio (Format-Ratio ($first.Median * 1000 / $firstTargetMs)) `
            -Target '<= 2L + operation + poll + 1 s' -Pass ($first.Median * 1000 -le $firstTargetMs)
        Add-Figure -Id "network.l$latency.polls" -Figure "GliderPS: GET operation requests per operation, $what" -Digits 2 -Summary $polls `
            -Target $(if ($latency -eq 0) { '1.00 (as at L = 0 before)' } else { '' }) -Pass $(if ($latency -eq 0) { $polls.Median -le 1.0 } else { $null })
        $glider32 = Get-Summary ([double[]] ($runs.GliderPS32 | ForEach-Object { $_.Result.WallMs / 1000 }))
        Add-Figure -Id "network.l$latency.gliderps32-wall" -Figure "Explains: fan-out wall time with -ThrottleLimit 32 (the peer's concurrency), $what" -Unit ' s' -Digits 2 `
            -Summary $glider32 -Baseline "better peer: $(Format-Number $betterPeer 2) s" -Ratio ((Format-Ratio ($betterPeer / $glider32.Median)) + ' faster')
        $speedup = $betterPeer / $glider.Median
        Add-Figure -Id "network.l$latency.peer16-wall" -Figure "Peer (ForEach-Object -Parallel, ThrottleLimit 16), $what" -Unit ' s' -Digits 2 -Summary $peer16 `
            -Baseline "GliderPS: $(Format-Number $glider.Median 2) s" -Ratio ((Format-Ratio ($peer16.Median / $glider.Median)) + ' GliderPS')
        Add-Figure -Id "network.l$latency.peer32-wall" -Figure "Peer (ForEach-Object -Parallel, ThrottleLimit 32), $what" -Unit ' s' -Digits 2 -Summary $peer32 `
            -Baseline "GliderPS: $(Format-Number $glider.Median 2) s" -Ratio ((Format-Ratio ($peer32.Median / $glider.Median)) + ' GliderPS') `
            -Target $(if ($latency -gt 0) { 'better peer >= 2x GliderPS' } else { '' }) -Pass $(if ($latency -gt 0) { $speedup -ge 2 } else { $null })
    }
    $Details.Add((@(
                "Network: $NetworkRuns run(s) of each variant per latency, interleaved, emulator reset before each run (operation $OperationMs ms, poll every $PollIntervalSec s). ideal(L) = pages x L + ceil(N / 16) x L + operation + poll interval + L. Per run:"
                ''
                '| latency | variant | wall s | first result s | requests | polls/operation | connections opened |'
                '|---|---|---|---|---|---|---|'
            ) + $rows) -join "`n")
}

function Invoke-RateLimitBenchmark {
    $arguments = @('-NoProfile', '-NonInteractive', '-File', [System.IO.Path]::Combine($BenchDir, 'Rebalance-GliderPS.ps1'),
        '-ModulePath', $ModulePath, '-BaseUri', $Emulator.BaseUri, '-PollIntervalSec', $PollIntervalSec)
    Reset-Emulator $FanOutCount -LatencyMs $RateLimitLatencyMs -RatePerSecond $RateLimitPerSecond
    $result = Read-ChildResult (Invoke-Pwsh -TimeoutSec 1200 -ArgumentList $arguments)
    $requests = Measure-RequestLog
    $log = @(Invoke-GliderEmulator $Emulator GET requests | ForEach-Object { $_ })
    $limited = @($log | Where-Object status -EQ 429).Count
    if ($result.Finished -ne $FanOutCount -or $result.ErrorCount -gt 0) {
        throw "Rate-limited fan-out finished $($result.Finished) of $FanOutCount operations with $($result.ErrorCount) error(s): $($result.FirstErrors -join ' | ')"
    }
    # The floor: every request the job needed (those the limiter let through), at the limit's rate.
    $needed = $requests.Requests - $limited
    $floorSeconds = $needed / $RateLimitPerSecond
    $wall = $result.WallMs / 1000
    $share = if ($requests.Requests) { $limited / $requests.Requests } else { 0 }
    $what = "$FanOutCount portfolios, limiter $RateLimitPerSecond requests/s, L = $RateLimitLatencyMs ms"
    Add-Figure -Id 'ratelimit.wall' -Figure "Fan-out against the platform limiter, $what" -Unit ' s' -Digits 2 -Summary (Get-Summary @($wall)) `
        -Baseline "floor: $needed requests / $RateLimitPerSecond per s = $(Format-Number $floorSeconds 2) s" -Ratio ((Format-Ratio ($wall / $floorSeconds)) + ' floor') `
        -Target '<= 1.3x floor, no error record' -Pass ($wall -le 1.3 * $floorSeconds -and $result.ErrorCount -eq 0)
    Add-Figure -Id 'ratelimit.429-share' -Figure "Requests answered 429 by the limiter, $what" -Unit ' %' -Digits 2 -Summary (Get-Summary @(100 * $share)) `
        -Baseline "$limited of $($requests.Requests)" -Target '<= 5 %' -Pass ($share -le 0.05)
    $Details.Add("Rate limit: one run, emulator reset with rateLimitPerWindow $RateLimitPerSecond per 1 s window and latency $RateLimitLatencyMs ms; $($requests.Requests) requests ($($requests.ListPages) list pages, $($requests.Posts) POST, $($requests.Polls) GET operation), $limited answered 429, wall $(Format-Number $wall 2) s, first result $(Format-Number ($result.FirstResultMs / 1000) 2) s.")
}

# The limiter as the API documents it: a global per-IP limit, and tiers of routes with windows of their own whose
# answers alone carry rate-limit headers. ListTier: the list route reports 600 a minute; triggers and polls report none.
function Set-EmulatorLimits([int] $GlobalPerSecond = 1000000, [switch] $ListTier) {
    $tiers = [System.Collections.Generic.List[object]]::new()
    if ($ListTier) { $tiers.Add(@{ name = 'list'; routes = @('ListPortfolios'); limit = 600; windowSeconds = 60 }) }
    $null = Invoke-GliderEmulator $Emulator PUT limits @{
        global = @{ limit = $GlobalPerSecond; windowSeconds = 1 }; bucketing = 'per-ip'; headers = 'tiered-only'; tiers = $tiers
    }
}

function Get-LimiterShare {
    $log = @(Invoke-GliderEmulator $Emulator GET requests | ForEach-Object { $_ })
    $limited = @($log | Where-Object status -EQ 429).Count
    [pscustomobject]@{ Requests = $log.Count; Limited = $limited; Share = if ($log.Count) { $limited / $log.Count } else { 0 } }
}

function Invoke-TiersBenchmark {
    $arguments = @('-NoProfile', '-NonInteractive', '-File', [System.IO.Path]::Combine($BenchDir, 'Rebalance-GliderPS.ps1'),
        '-ModulePath', $ModulePath, '-BaseUri', $Emulator.BaseUri, '-PollIntervalSec', $PollIntervalSec)

    # 1. A list tier that reports its own window must not slow the triggers and polls that follow it.
    $latency = 50
    Reset-Emulator $FanOutCount -LatencyMs $latency
    Set-EmulatorLimits -ListTier
    $result = Read-ChildResult (Invoke-Pwsh -TimeoutSec 1200 -ArgumentList $arguments)
    if ($result.Finished -ne $FanOutCount -or $result.ErrorCount -gt 0) {
        throw "List-tier fan-out finished $($result.Finished) of $FanOutCount operations with $($result.ErrorCount) error(s): $($result.FirstErrors -join ' | ')"
    }
    $idealMs = Get-IdealFanOutMs $latency
    $firstTargetMs = 2 * $latency + $OperationMs + $PollIntervalSec * 1000 + 1000
    $wall = $result.WallMs / 1000
    $what = "list tier 600/min, triggers and polls without headers, L = $latency ms, $FanOutCount portfolios"
    Add-Figure -Id 'tiers.list-wall' -Figure "Fan-out wall time, $what" -Unit ' s' -Digits 2 -Summary (Get-Summary @($wall)) `
        -Baseline "ideal(L): $(Format-Number ($idealMs / 1000) 2) s" -Ratio ((Format-Ratio ($wall * 1000 / $idealMs)) + ' ideal') -Target '<= 1.5x ideal' -Pass ($wall * 1000 -le 1.5 * $idealMs)
    Add-Figure -Id 'tiers.list-first-result' -Figure "Time to the first finished operation, $what" -Unit ' s' -Digits 2 -Summary (Get-Summary @($result.FirstResultMs / 1000)) `
        -Baseline "2L + operation + poll + 1 s: $(Format-Number ($firstTargetMs / 1000) 2) s" -Ratio (Format-Ratio ($result.FirstResultMs / $firstTargetMs)) `
        -Target '<= 2L + operation + poll + 1 s' -Pass ($result.FirstResultMs -le $firstTargetMs)
    $Details.Add("Tiers, list: one run, list tier 600 per 60 s (per IP, headers on tiered routes only), latency $latency ms; wall $(Format-Number $wall 2) s, first result $(Format-Number ($result.FirstResultMs / 1000) 2) s.")

    # 2. The global limit together with that list tier: the limiter's 429s carry the global window's headers.
    Reset-Emulator $FanOutCount -LatencyMs $RateLimitLatencyMs
    Set-EmulatorLimits -GlobalPerSecond $RateLimitPerSecond -ListTier
    $result = Read-ChildResult (Invoke-Pwsh -TimeoutSec 1200 -ArgumentList $arguments)
    $share = Get-LimiterShare
    if ($result.Finished -ne $FanOutCount) {
        throw "Global-limit fan-out finished $($result.Finished) of $FanOutCount operations with $($result.ErrorCount) error(s): $($result.FirstErrors -join ' | ')"
    }
    $floorSeconds = ($share.Requests - $share.Limited) / $RateLimitPerSecond
    $wall = $result.WallMs / 1000
    $what = "global $RateLimitPerSecond requests/s + list tier 600/min, L = $RateLimitLatencyMs ms, $FanOutCount portfolios"
    Add-Figure -Id 'tiers.global-wall' -Figure "Fan-out wall time, $what" -Unit ' s' -Digits 2 -Summary (Get-Summary @($wall)) `
        -Baseline "floor: $($share.Requests - $share.Limited) requests / $RateLimitPerSecond per s = $(Format-Number $floorSeconds 2) s" -Ratio ((Format-Ratio ($wall / $floorSeconds)) + ' floor') `
        -Target '<= 1.3x floor, no error record' -Pass ($wall -le 1.3 * $floorSeconds -and $result.ErrorCount -eq 0)
    Add-Figure -Id 'tiers.global-429-share' -Figure "Requests answered 429, $what" -Unit ' %' -Digits 2 -Summary (Get-Summary @(100 * $share.Share)) `
        -Baseline "$($share.Limited) of $($share.Requests); error records: $($result.ErrorCount)" -Target '<= 5 %' -Pass ($share.Share -le 0.05)
    $Details.Add("Tiers, global: one run, global limit $RateLimitPerSecond per 1 s window per IP beside the list tier, latency $RateLimitLatencyMs ms; $($share.Requests) requests, $($share.Limited) answered 429, $($result.ErrorCount) error record(s), wall $(Format-Number $wall 2) s.")

    # 3. Two processes on one key and one IP (Hybrid Runbook Workers, parallel jobs), half the portfolios each.
    Reset-Emulator $FanOutCount -LatencyMs $RateLimitLatencyMs
    Set-EmulatorLimits -GlobalPerSecond $RateLimitPerSecond
    $half = [math]::Floor($FanOutCount / 2)
    $pair = [System.Diagnostics.Stopwatch]::StartNew()
    $children = @(
        Start-PwshChild -ArgumentList ($arguments + @('-Slice', '0/2'))
        Start-PwshChild -ArgumentList ($arguments + @('-Slice', '1/2'))
    )
    $results = @($children | Wait-PwshChild -TimeoutSec 1200 | ForEach-Object { Read-ChildResult $_ })
    $pair.Stop()
    $share = Get-LimiterShare
    $finished = ($results | Measure-Object -Property Finished -Sum).Sum
    $errorCount = ($results | Measure-Object -Property ErrorCount -Sum).Sum
    $floorSeconds = ($share.Requests - $share.Limited) / $RateLimitPerSecond
    $wall = $pair.Elapsed.TotalSeconds
    $what = "two processes on one key, $half portfolios each, global $RateLimitPerSecond requests/s, L = $RateLimitLatencyMs ms"
    Add-Figure -Id 'tiers.two-process-wall' -Figure "Combined wall time (process start to both ended), $what" -Unit ' s' -Digits 2 -Summary (Get-Summary @($wall)) `
        -Baseline "floor: $($share.Requests - $share.Limited) requests / $RateLimitPerSecond per s = $(Format-Number $floorSeconds 2) s" -Ratio ((Format-Ratio ($wall / $floorSeconds)) + ' floor') `
        -Target '<= 1.3x floor, every operation, no error record' -Pass ($wall -le 1.3 * $floorSeconds -and $errorCount -eq 0 -and $finished -eq 2 * $half)
    Add-Figure -Id 'tiers.two-process-429-share' -Figure "Requests answered 429, $what" -Unit ' %' -Digits 2 -Summary (Get-Summary @(100 * $share.Share)) `
        -Baseline "$($share.Limited) of $($share.Requests); $finished of $(2 * $half) operations reported, $errorCount error record(s)" -Target '<= 5 %' -Pass ($share.Share -le 0.05)
    $Details.Add("Tiers, two processes: each a child pwsh with its own connection on the same key, started together; global limit $RateLimitPerSecond per 1 s window per IP; $($share.Requests) requests, $($share.Limited) answered 429, $finished operations reported, $errorCount error record(s), combined wall $(Format-Number $wall 2) s (includes both processes' start-up and import).")
}

function Invoke-MemoryBenchmark {
    $arguments = @('-NoProfile', '-NonInteractive', '-File', [System.IO.Path]::Combine($BenchDir, 'Rebalance-GliderPS.ps1'),
        '-ModulePath', $ModulePath, '-BaseUri', $Emulator.BaseUri, '-PollIntervalSec', $PollIntervalSec, '-First', $MemoryCount)
    # Twice the count: the script lists them all (as a runbook would) and rebalances the first MemoryCount.
    Reset-Emulator (2 * $MemoryCount)
    $idle = Read-ChildResult (Invoke-Pwsh -TimeoutSec 300 -ArgumentList ($arguments + '-NoWork'))
    $result = Read-ChildResult (Invoke-Pwsh -TimeoutSec 1800 -ArgumentList $arguments)
    $requests = Measure-RequestLog
    if ($result.Finished -ne $MemoryCount -or $result.ErrorCount -gt 0) {
        throw "Memory run finished $($result.Finished) of $MemoryCount operations with $($result.ErrorCount) error(s): $($result.FirstErrors -join ' | ')"
    }
    $mb = 1MB
    $peak = $result.PeakWorkingSet / $mb
    $idlePeak = $idle.PeakWorkingSet / $mb
    Add-Figure -Id 'memory.peak' -Figure "Peak working set of the pwsh process that rebalances and waits on $MemoryCount operations" -Unit ' MB' `
        -Summary ([pscustomobject]@{ Median = $peak; Min = $peak; Max = $peak }) `
        -Baseline "imported + connected, idle: $(Format-Number $idlePeak) MB" -Ratio (Format-Ratio ($peak / $idlePeak)) `
        -Target '<= 200 MB' -Pass ($peak -le 200)
    $Details.Add("Memory: one run (peak is a maximum, min = max = median). Peak working set $(Format-Number $peak 1) MB (VmHWM $($result.VmHwmKb) kB), " +
        "idle baseline $(Format-Number $idlePeak 1) MB; at the end: managed heap $(Format-Number ($result.ManagedHeapBytes / $mb) 1) MB, " +
        "$(Format-Number ($result.AllocatedBytes / $mb)) MB allocated in the process's life, GCs gen0/1/2 $($result.Gen0)/$($result.Gen1)/$($result.Gen2), " +
        "$($result.Threads) threads; wall $(Format-Number ($result.WallMs / 1000) 1) s; $($requests.Requests) requests " +
        "($($requests.ListPages) list pages, $($requests.Posts) POST, $($requests.Polls) GET operation = $(Format-Number $requests.PollsPerOperation 2)/operation), " +
        "$($requests.ConnectionsOpened) connections opened.")
}

#endregion

#region Report

function Get-MachineInfo {
    $cpu = 'unknown'
    if (Test-Path /proc/cpuinfo) {
        $model = Select-String -Path /proc/cpuinfo -Pattern '^model name\s*:\s*(.+)$' | Select-Object -First 1
        if ($model) { $cpu = $model.Matches[0].Groups[1].Value.Trim() }
    }
    $os = [System.Runtime.InteropServices.RuntimeInformation]::OSDescription
    if (Test-Path /etc/os-release) {
        $pretty = Select-String -Path /etc/os-release -Pattern '^PRETTY_NAME="?([^"]+)"?' | Select-Object -First 1
        if ($pretty) { $os = "$($pretty.Matches[0].Groups[1].Value) ($os)" }
    }
    $commit = try { (& git -C $RepoRoot rev-parse --short HEAD 2>$null) } catch { $null }
    [ordered]@{
        'Date (UTC)'     = [DateTime]::UtcNow.ToString('yyyy-MM-dd HH:mm:ss', [cultureinfo]::InvariantCulture)
        'CPU'            = $cpu
        'Logical cores'  = [Environment]::ProcessorCount
        'Memory'         = if (Test-Path /proc/meminfo) { (Select-String -Path /proc/meminfo -Pattern '^MemTotal:\s+(\d+)').Matches[0].Groups[1].Value -as [long] | ForEach-Object { "$(Format-Number ($_ / 1MB) 1) GiB" } } else { 'unknown' }
        'OS'             = $os
        '.NET'           = [System.Runtime.InteropServices.RuntimeInformation]::FrameworkDescription
        'PowerShell'     = "$($PSVersionTable.PSVersion) ($PwshDll)"
        'GliderPS'       = "$((Import-PowerShellDataFile ([System.IO.Path]::Combine($ModulePath, 'GliderPS.psd1'))).ModuleVersion) from $ModulePath"
        'Commit'         = if ($commit) { $commit } else { 'unknown' }
    }
}

function Write-Report($Machine, [string] $LoadBefore, [string] $LoadAfter, [timespan] $Duration) {
    $commandLine = 'dotnet pwsh -NoProfile -File tools/Bench.ps1 ' + (($PSBoundParameters0.GetEnumerator() | ForEach-Object {
                if ($_.Value -is [switch]) { if ($_.Value) { "-$($_.Key)" } }
                elseif ($_.Value -is [array]) { "-$($_.Key) $($_.Value -join ',')" }
                else { "-$($_.Key) $($_.Value)" }
            }) -join ' ')
    $lines = [System.Collections.Generic.List[string]]::new()
    $lines.Add('# GliderPS benchmarks')
    $lines.Add('')
    $lines.Add("Command: ``$($commandLine.Trim())``" + $(if ($Quick) { ' (quick: tiny sizes, a smoke test; figures are not meaningful)' } else { '' }))
    $lines.Add('')
    $lines.Add("Sizes: $ProcessRuns interleaved runs per process variant; $CallRounds x $CallCount calls per variant ($CallWarmup warm-up); " +
        "fan-out $FanOutCount portfolios x $FanOutRuns run(s) per variant; memory $MemoryCount operations; operation $OperationMs ms; poll every $PollIntervalSec s; emulator latency 0 except in the network ($($Latencies -join ', ') ms, $NetworkRuns run(s) per variant) and rate-limit ($RateLimitLatencyMs ms, $RateLimitPerSecond requests/s) rows.")
    $lines.Add('')
    $lines.Add('| id | figure | median | min | max | baseline | ratio | target | result |')
    $lines.Add('|---|---|---|---|---|---|---|---|---|')
    # A literal | (the pipeline in a figure's name) would split a markdown cell.
    $cell = { param([string] $text) $text.Replace('|', '\|') }
    foreach ($f in $Figures) {
        $lines.Add("| ``$($f.Id)`` | $(& $cell $f.Figure) | $($f.Median) | $($f.Min) | $($f.Max) | $(& $cell $f.Baseline) | $($f.Ratio) | $(& $cell $f.Target) | $($f.Result) |")
    }
    $lines.Add('')
    $lines.Add('## Machine')
    $lines.Add('')
    $lines.Add('| | |')
    $lines.Add('|---|---|')
    foreach ($key in $Machine.Keys) { $lines.Add("| $key | $($Machine[$key]) |") }
    $lines.Add("| Load average (1/5/15 min) | before $LoadBefore; after $LoadAfter |")
    $lines.Add("| Duration | $(Format-Number $Duration.TotalSeconds) s |")
    $lines.Add('')
    $lines.Add('## Details')
    foreach ($detail in $Details) {
        $lines.Add('')
        $lines.Add($detail)
    }
    if ($Failures.Count) {
        $lines.Add('')
        $lines.Add('## Errors')
        foreach ($failure in $Failures) {
            $lines.Add('')
            $lines.Add('```')
            $lines.Add($failure)
            $lines.Add('```')
        }
    }
    $null = New-Item -ItemType Directory -Force -Path ([System.IO.Path]::GetDirectoryName($OutputPath))
    Set-Content -LiteralPath $OutputPath -Value $lines -Encoding utf8NoBOM
}

#endregion

$PSBoundParameters0 = [ordered]@{} + $PSBoundParameters
$started = [DateTime]::UtcNow
$loadBefore = Get-LoadAverage
$emulatorArguments = @{}
if ($EmulatorDll) { $emulatorArguments.EmulatorDll = $EmulatorDll }
$Emulator = Start-GliderEmulator @emulatorArguments
try {
    Write-Host "Emulator at $($Emulator.BaseUri); load average $loadBefore."
    $steps = [ordered]@{
        Process = @{ Run = { Invoke-ProcessBenchmarks ($Benchmark -contains 'Import') ($Benchmark -contains 'ColdCall') }
            Ids = @('process.bare', 'process.bare-cpu') + $(if ($Benchmark -contains 'Import') { 'import.gliderps', 'import.psresourceget', 'import.minimal-binary', 'import.gliderps-with-output', 'import.gliderps-cpu', 'import.psresourceget-cpu' }) + $(if ($Benchmark -contains 'ColdCall') { 'cold.first-call', 'cold.first-call-cpu', 'cold.invokerestmethod', 'cold.invokerestmethod-cpu' })
            Enabled = ($Benchmark -contains 'Import') -or ($Benchmark -contains 'ColdCall') }
        PerCall = @{ Run = { Invoke-PerCallBenchmark }; Enabled = $Benchmark -contains 'PerCall'
            Ids = 'percall.httpclient', 'percall.invokerestmethod', 'percall.gliderps-vs-irm', 'percall.gliderps-vs-floor', 'percall.httpclient-blocking', 'percall.gliderclient', 'percall.noop-cmdlet' }
        FanOut  = @{ Run = { Invoke-FanOutBenchmark }; Enabled = $Benchmark -contains 'FanOut'
            Ids = 'fanout.gliderps-wall', 'fanout.gliderps-polls', 'fanout.peer-wall' }
        Network = @{ Run = { Invoke-NetworkBenchmark }; Enabled = $Benchmark -contains 'Network'
            Ids = @($Latencies | ForEach-Object { "network.l$_.gliderps-wall"; "network.l$_.first-result"; "network.l$_.polls"; "network.l$_.gliderps32-wall"; "network.l$_.peer16-wall"; "network.l$_.peer32-wall" }) }
        RateLimit = @{ Run = { Invoke-RateLimitBenchmark }; Enabled = $Benchmark -contains 'RateLimit'; Ids = 'ratelimit.wall', 'ratelimit.429-share' }
        Tiers   = @{ Run = { Invoke-TiersBenchmark }; Enabled = $Benchmark -contains 'Tiers'
            Ids = 'tiers.list-wall', 'tiers.list-first-result', 'tiers.global-wall', 'tiers.global-429-share', 'tiers.two-process-wall', 'tiers.two-process-429-share' }
        Memory  = @{ Run = { Invoke-MemoryBenchmark }; Enabled = $Benchmark -contains 'Memory'; Ids = @('memory.peak') }
    }
    foreach ($stepName in $steps.Keys) {
        $step = $steps[$stepName]
        if (-not $step.Enabled) { continue }
        Write-Host "Benchmark: $stepName (load average $(Get-LoadAverage))"
        $before = $Figures.Count
        try {
            & $step.Run
        }
        catch {
            # Drop any rows this step added before failing, so its ids appear once, as errors.
            while ($Figures.Count -gt $before) { $Figures.RemoveAt($Figures.Count - 1) }
            Add-ErrorFigure -Ids $step.Ids -Message "${stepName}: $($_.Exception.Message)`n$($_.ScriptStackTrace)"
            Write-Host "Benchmark $stepName failed: $($_.Exception.Message)" -ForegroundColor Red
        }
    }
}
finally {
    $Emulator | Stop-GliderEmulator
    if (Test-Path -LiteralPath $ScratchDir) { Remove-Item -LiteralPath $ScratchDir -Recurse -Force -ErrorAction SilentlyContinue }
}

Write-Report (Get-MachineInfo) $loadBefore (Get-LoadAverage) ([DateTime]::UtcNow - $started)
$Figures | Format-Table -Property Id, Median, Min, Max, Ratio, Target, Result -AutoSize | Out-String -Width 200 | Write-Host
Write-Host "Report: $OutputPath"
if ($Failures.Count) { exit 1 }
