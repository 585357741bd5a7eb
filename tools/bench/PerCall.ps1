<#
.SYNOPSIS
    Child process of tools/Bench.ps1: the per-call benchmark in one warm session.

.DESCRIPTION
    The same GET of one operation, Count times in a row, three ways: Get-GliderOperation, Invoke-RestMethod with the
    same x-api-key header, and a C# HttpClient loop (the floor). Two more variants explain the first one: the
    module's GliderClient called directly from the same PowerShell loop (the client library without the cmdlet), and
    a no-op binary cmdlet with the same two parameters (what PowerShell charges for any cmdlet call, no HTTP), and
    the C# loop again with the calling thread waiting for each GET (the hand-back every cmdlet pays).
    Each variant is warmed up first; then Rounds rounds run every variant once, in a rotated order so no variant
    always runs first or last. Around each timed block it
    records (outside the stopwatch) allocated bytes, GC counts and the emulator's request and connection counters.
    Writes one line: BENCH_RESULT=<json>. The API key comes from GLIDER_BENCH_API_KEY (kept off the command line).
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $BaseUri,
    [Parameter(Mandatory)] [string] $PortfolioId,
    [Parameter(Mandatory)] [string] $OperationId,
    [int] $Count = 1000,
    [int] $Rounds = 5,
    [int] $Warmup = 100,
    [double] $WarmupSeconds = 2,
    [int] $WarmupBlocks = 1
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0

$apiKey = $env:GLIDER_BENCH_API_KEY
if (-not $apiKey) { throw 'GLIDER_BENCH_API_KEY is not set.' }

Import-Module -Name $ModulePath
Add-Type -Path (Join-Path $PSScriptRoot 'HttpFloor.cs')
# A separate assembly for the no-op cmdlet, imported like a binary module.
$noOp = Add-Type -Path (Join-Path $PSScriptRoot 'NoOpCmdlet.cs') -ReferencedAssemblies ([System.Management.Automation.PSCmdlet].Assembly.Location) -PassThru
Import-Module -Assembly $noOp[0].Assembly

# NetworkCredential makes the SecureString without autoloading Microsoft.PowerShell.Security.
Connect-Glider -BaseUri $BaseUri -ApiKey ([System.Net.NetworkCredential]::new('', $apiKey).SecurePassword) -SkipValidation

# The operation id is opaque and carries a literal %3A; the server percent-decodes each path segment once, so a
# caller must escape it as a path segment (% -> %25). Put in the URI as it is, Invoke-RestMethod sends ':' instead
# of '%3A' and gets a 404.
$uri = "$BaseUri/v2/portfolios/$PortfolioId/operations/$([uri]::EscapeDataString($OperationId))"
$headers = @{ 'x-api-key' = $apiKey }
$floor = [GliderBench.HttpFloor]::new($uri, $apiKey)
# The module's own client (internal to the module, so built by reflection), with its default options.
$clientAssembly = [Glider.Client.Models.Portfolio].Assembly
$clientOptions = [Activator]::CreateInstance($clientAssembly.GetType('Glider.Client.GliderClientOptions', $true))
$clientOptions.BaseUri = $BaseUri
$client = $clientAssembly.GetType('Glider.Client.GliderClient', $true).GetConstructors()[0].Invoke(
    [object[]] @($clientOptions.PSObject.BaseObject, [System.Net.NetworkCredential]::new('', $apiKey).SecurePassword.PSObject.BaseObject))
$none = [System.Threading.CancellationToken]::None

# Each variant is a loop of n calls; the loop itself is the same plain for-loop for the two PowerShell variants.
$variants = [ordered]@{
    GliderPS         = {
        param([int] $n)
        for ($i = 0; $i -lt $n; $i++) { $null = Get-GliderOperation -PortfolioId $PortfolioId -OperationId $OperationId }
    }
    InvokeRestMethod = {
        param([int] $n)
        for ($i = 0; $i -lt $n; $i++) { $null = Invoke-RestMethod -Uri $uri -Headers $headers }
    }
    HttpClient       = {
        param([int] $n)
        $null = $floor.Run($n)
    }
    HttpClientBlocking = {
        param([int] $n)
        $null = $floor.RunBlocking($n)
    }
    GliderClient     = {
        param([int] $n)
        for ($i = 0; $i -lt $n; $i++) { $null = $client.GetOperationAsync($PortfolioId, $OperationId, $none).GetAwaiter().GetResult() }
    }
    NoOpCmdlet       = {
        param([int] $n)
        for ($i = 0; $i -lt $n; $i++) { $null = Get-BenchNothing -PortfolioId $PortfolioId -OperationId $OperationId }
    }
}

# Context switches of the whole process (all threads): a call that hands work between threads shows up here.
function Get-ContextSwitches {
    if (-not (Test-Path /proc/self/status)) { return [double]::NaN }
    # /proc/self/status counts one thread only; the task directory has every thread.
    $total = 0
    foreach ($task in [System.IO.Directory]::GetDirectories('/proc/self/task')) {
        foreach ($line in [System.IO.File]::ReadAllLines("$task/status")) {
            if ($line -match '^(non)?voluntary_ctxt_switches:\s+(\d+)') { $total += [long] $Matches[2] }
        }
    }
    $total
}

function Get-EmulatorStats {
    Invoke-RestMethod -Uri "$BaseUri/_emulator/stats"
}

# Every variant must really fetch the operation (a 404 would be fast and meaningless).
$check = Get-GliderOperation -PortfolioId $PortfolioId -OperationId $OperationId
if ($check.OperationId -ne $OperationId) { throw "Get-GliderOperation returned '$($check.OperationId)'." }
$check = Invoke-RestMethod -Uri $uri -Headers $headers
if ($check.data.operationId -ne $OperationId) { throw "Invoke-RestMethod returned '$($check.data.operationId)'." }
$null = $floor.Run(1)
$check = $client.GetOperationAsync($PortfolioId, $OperationId, $none).GetAwaiter().GetResult()
if ($check.OperationId -ne $OperationId) { throw "GliderClient returned '$($check.OperationId)'." }

# Warm-up: every variant's block runs at least WarmupBlocks times (of Warmup calls) and for at least WarmupSeconds,
# then a pause. PowerShell compiles a script block only after it has been interpreted a number of times, and the
# runtime recompiles hot methods on a background thread a while after they get hot. With a warm-up of a few block
# runs (a slow variant such as Invoke-RestMethod got only ~13 in 2 s), the cmdlet variants were still getting
# faster during the first timed rounds: a steady downward drift of their per-block times that the call-only
# variants did not show. The pause lets queued recompilation finish before the first timed block.
foreach ($name in $variants.Keys) {
    $warm = [System.Diagnostics.Stopwatch]::StartNew()
    $blocks = 0
    do { & $variants[$name] $Warmup; $blocks++ } while ($blocks -lt $WarmupBlocks -or $warm.Elapsed.TotalSeconds -lt $WarmupSeconds)
}
if ($WarmupSeconds -gt 0) { Start-Sleep -Seconds 2 }

$process = [System.Diagnostics.Process]::GetCurrentProcess()
$names = [string[]] $variants.Keys
$samples = [ordered]@{}
foreach ($name in $names) { $samples[$name] = [System.Collections.Generic.List[object]]::new() }

for ($round = 0; $round -lt $Rounds; $round++) {
    for ($k = 0; $k -lt $names.Count; $k++) {
        $name = $names[($round + $k) % $names.Count]
        $body = $variants[$name]
        # Start each block from the same GC state so one variant's garbage is not collected on another's clock.
        [GC]::Collect(); [GC]::WaitForPendingFinalizers(); [GC]::Collect()
        $before = Get-EmulatorStats
        $gc0 = [GC]::CollectionCount(0); $gc1 = [GC]::CollectionCount(1); $gc2 = [GC]::CollectionCount(2)
        $switches = Get-ContextSwitches
        $cpu = $process.TotalProcessorTime
        $allocated = [GC]::GetTotalAllocatedBytes($true)
        $stopwatch = [System.Diagnostics.Stopwatch]::StartNew()
        & $body $Count
        $stopwatch.Stop()
        $allocated = [GC]::GetTotalAllocatedBytes($true) - $allocated
        $process.Refresh()
        $cpu = $process.TotalProcessorTime - $cpu
        $switches = (Get-ContextSwitches) - $switches
        $after = Get-EmulatorStats
        $samples[$name].Add([pscustomobject]@{
                Round        = $round
                Ms           = $stopwatch.Elapsed.TotalMilliseconds
                UsPerCall    = $stopwatch.Elapsed.TotalMilliseconds * 1000 / $Count
                BytesPerCall = $allocated / $Count
                CpuUsPerCall = $cpu.TotalMilliseconds * 1000 / $Count
                SwitchesPerCall = $switches / $Count
                Gen0         = [GC]::CollectionCount(0) - $gc0
                Gen1         = [GC]::CollectionCount(1) - $gc1
                Gen2         = [GC]::CollectionCount(2) - $gc2
                Requests     = $after.requests - $before.requests
                Connections  = $after.connectionsOpened - $before.connectionsOpened
            })
    }
}
$floor.Dispose()
$client.Dispose()

'BENCH_RESULT=' + ([pscustomobject]@{ Count = $Count; Rounds = $Rounds; Variants = $samples } | ConvertTo-Json -Depth 6 -Compress)
