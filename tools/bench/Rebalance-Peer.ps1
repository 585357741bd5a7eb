<#
.SYNOPSIS
    Child process of tools/Bench.ps1: the same job as Rebalance-GliderPS.ps1, written the way a user would without
    GliderPS: Invoke-RestMethod inside ForEach-Object -Parallel.

.DESCRIPTION
    A competent peer, not a straw man: it lists all pages, triggers every rebalance in parallel, then polls all
    pending operations in parallel every PollIntervalSec seconds until each is terminal (rounds, so an operation is
    polled about once per interval). ThrottleLimit is the number of runspaces (default 32, the number of polls the
    module keeps in flight). Times the same span as the GliderPS script: list, trigger, wait.
    Writes one line: BENCH_RESULT=<json>. Key from GLIDER_BENCH_API_KEY.
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [string] $BaseUri,
    [int] $PollIntervalSec = 2,
    [int] $ThrottleLimit = 32
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0

$apiKey = $env:GLIDER_BENCH_API_KEY
if (-not $apiKey) { throw 'GLIDER_BENCH_API_KEY is not set.' }

$api = "$BaseUri/v2"
$headers = @{ 'x-api-key' = $apiKey }
$terminal = 'completed', 'failed', 'cancelled'

$stopwatch = [System.Diagnostics.Stopwatch]::StartNew()

# 1. Every portfolio, following nextCursor.
$portfolioIds = [System.Collections.Generic.List[string]]::new()
$cursor = $null
do {
    $pageUri = "$api/portfolios?limit=200"
    if ($cursor) { $pageUri += '&cursor=' + [uri]::EscapeDataString($cursor) }
    $page = Invoke-RestMethod -Uri $pageUri -Headers $headers
    foreach ($portfolio in $page.data.portfolios) { $portfolioIds.Add($portfolio.portfolioId) }
    $cursor = $page.nextCursor
} while ($cursor)

# 2. Trigger each.
$operations = $portfolioIds | ForEach-Object -ThrottleLimit $ThrottleLimit -Parallel {
    $submission = Invoke-RestMethod -Method Post -Uri "$using:api/portfolios/$_/rebalance" -Headers $using:headers
    [pscustomobject]@{ PortfolioId = $_; OperationId = $submission.data.operationId }
}

# 3. Poll each pending operation every PollIntervalSec until it is terminal. The operation id is opaque and carries a
#    literal %3A: it is escaped as a path segment so that the server's one decoding gives it back byte for byte.
$finished = [System.Collections.Generic.List[object]]::new()
$firstResultMs = $null
$pending = @($operations)
while ($pending.Count -gt 0) {
    Start-Sleep -Seconds $PollIntervalSec
    $polled = $pending | ForEach-Object -ThrottleLimit $ThrottleLimit -Parallel {
        $response = Invoke-RestMethod -Uri "$using:api/portfolios/$($_.PortfolioId)/operations/$([uri]::EscapeDataString($_.OperationId))" -Headers $using:headers
        [pscustomobject]@{ Reference = $_; Operation = $response.data }
    }
    $next = [System.Collections.Generic.List[object]]::new()
    foreach ($item in $polled) {
        if ($item.Operation.state -in $terminal) {
            if ($null -eq $firstResultMs) { $firstResultMs = $stopwatch.Elapsed.TotalMilliseconds }
            $finished.Add($item.Operation)
        }
        else { $next.Add($item.Reference) }
    }
    $pending = $next
}
$stopwatch.Stop()

$process = [System.Diagnostics.Process]::GetCurrentProcess()
'BENCH_RESULT=' + ([pscustomobject]@{
        WallMs         = $stopwatch.Elapsed.TotalMilliseconds
        FirstResultMs  = $firstResultMs
        Finished       = $finished.Count
        ErrorCount     = 0
        FirstErrors    = @()
        PeakWorkingSet = $process.PeakWorkingSet64
    } | ConvertTo-Json -Compress)
