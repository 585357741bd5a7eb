<#
.SYNOPSIS
    Child process of tools/Bench.ps1: the per-call benchmark in one warm session.

.DESCRIPTION
    The same GET of one operation, Count times in a row, three ways: Get-GliderOperation, Invoke-RestMethod with the
    same x-api-key header, and a C# HttpClient loop (the floor). Each variant is warmed up first; then Rounds rounds
    run every variant once, in a rotated order so no variant always runs first or last. Around each timed block it
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
    [int] $Warmup = 100
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0

$apiKey = $env:GLIDER_BENCH_API_KEY
if (-not $apiKey) { throw 'GLIDER_BENCH_API_KEY is not set.' }

Import-Module -Name $ModulePath
Add-Type -Path (Join-Path $PSScriptRoot 'HttpFloor.cs')

# NetworkCredential makes the SecureString without autoloading Microsoft.PowerShell.Security.
Connect-Glider -BaseUri $BaseUri -ApiKey ([System.Net.NetworkCredential]::new('', $apiKey).SecurePassword) -SkipValidation

# The operation id is opaque and carries a literal %3A; the server percent-decodes each path segment once, so a
# caller must escape it as a path segment (% -> %25). Put in the URI as it is, Invoke-RestMethod sends ':' instead
# of '%3A' and gets a 404.
$uri = "$BaseUri/v2/portfolios/$PortfolioId/operations/$([uri]::EscapeDataString($OperationId))"
$headers = @{ 'x-api-key' = $apiKey }
$floor = [GliderBench.HttpFloor]::new($uri, $apiKey)

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

foreach ($name in $variants.Keys) { & $variants[$name] $Warmup }

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
        $allocated = [GC]::GetTotalAllocatedBytes($true)
        $stopwatch = [System.Diagnostics.Stopwatch]::StartNew()
        & $body $Count
        $stopwatch.Stop()
        $allocated = [GC]::GetTotalAllocatedBytes($true) - $allocated
        $after = Get-EmulatorStats
        $samples[$name].Add([pscustomobject]@{
                Round        = $round
                Ms           = $stopwatch.Elapsed.TotalMilliseconds
                UsPerCall    = $stopwatch.Elapsed.TotalMilliseconds * 1000 / $Count
                BytesPerCall = $allocated / $Count
                Gen0         = [GC]::CollectionCount(0) - $gc0
                Gen1         = [GC]::CollectionCount(1) - $gc1
                Gen2         = [GC]::CollectionCount(2) - $gc2
                Requests     = $after.requests - $before.requests
                Connections  = $after.connectionsOpened - $before.connectionsOpened
            })
    }
}
$floor.Dispose()

'BENCH_RESULT=' + ([pscustomobject]@{ Count = $Count; Rounds = $Rounds; Variants = $samples } | ConvertTo-Json -Depth 6 -Compress)
