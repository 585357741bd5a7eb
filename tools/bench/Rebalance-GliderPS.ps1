<#
.SYNOPSIS
    Child process of tools/Bench.ps1: rebalance every portfolio of the tenant with GliderPS and wait for all of them.

.DESCRIPTION
    Times only the pipeline a runbook would run (import and connect are measured by the import and cold-call
    benchmarks). The result goes to Measure-Object, so what is measured is the module, not a script holding
    thousands of objects. Reports the process's peak working set too (on Linux, VmHWM of /proc/self/status), which
    is the memory benchmark's figure, and when the first finished operation came out. Writes one line: BENCH_RESULT=<json>. Key from GLIDER_BENCH_API_KEY.
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $BaseUri,
    [int] $PollIntervalSec = 2,
    # Rebalance only the first N portfolios that are not in a cooldown (0: every portfolio). A large emulator seed
    # has portfolios whose lastRebalanceAt lies in the future, which the API refuses with 429; a runbook skips them.
    [int] $First = 0,
    # "K/N": only the portfolios whose number modulo N is K, so that N processes share the tenant's portfolios.
    [ValidatePattern('^\d+/\d+$')] [string] $Slice,
    # Requests in flight per cmdlet (-ThrottleLimit of Get-GliderPortfolio is irrelevant when listing); 0: the
    # cmdlet's own default, which follows the route's rate-limit window.
    [int] $ThrottleLimit = 0,
    # Only import and connect: the baseline for the memory figure.
    [switch] $NoWork
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0

$apiKey = $env:GLIDER_BENCH_API_KEY
if (-not $apiKey) { throw 'GLIDER_BENCH_API_KEY is not set.' }

Import-Module -Name $ModulePath
Connect-Glider -BaseUri $BaseUri -ApiKey ([System.Net.NetworkCredential]::new('', $apiKey).SecurePassword) -SkipValidation

$finished = 0
$firstResultMs = $null
$listErrors = $submitErrors = $waitErrors = @()
$stopwatch = [System.Diagnostics.Stopwatch]::StartNew()
if (-not $NoWork) {
    # Per-item failures are non-terminating: collect them so the parent can say what went wrong instead of dying.
    $ErrorActionPreference = 'Continue'
    $portfolios = if ($Slice) {
        $k, $n = [int[]] ($Slice -split '/')
        { Get-GliderPortfolio -ErrorVariable listErrors | Where-Object { [int] ($_.PortfolioId -replace '^\D+') % $n -eq $k } }
    }
    elseif ($First -gt 0) {
        $now = [DateTimeOffset]::UtcNow
        { Get-GliderPortfolio -ErrorVariable listErrors | Where-Object { $null -eq $_.LastRebalanceAt -or $_.LastRebalanceAt -lt $now } | Select-Object -First $First }
    }
    else {
        { Get-GliderPortfolio -ErrorVariable listErrors }
    }
    $throttle = if ($ThrottleLimit -gt 0) { @{ ThrottleLimit = $ThrottleLimit } } else { @{} }
    # Counted, not kept: what is measured is the module, not a script holding thousands of objects. The first
    # finished operation's time is what a user watching the runbook sees first.
    & $portfolios |
        Invoke-GliderRebalance @throttle -ErrorVariable submitErrors |
        Wait-GliderOperation -PollIntervalSec $PollIntervalSec -ErrorVariable waitErrors |
        ForEach-Object { if ($finished++ -eq 0) { $firstResultMs = $stopwatch.Elapsed.TotalMilliseconds } }
    $ErrorActionPreference = 'Stop'
}
$stopwatch.Stop()
$errors = @($listErrors) + @($submitErrors) + @($waitErrors)

function Get-StatusKb([string] $Field) {
    $line = Select-String -Path /proc/self/status -Pattern "^${Field}:\s+(\d+) kB" -ErrorAction SilentlyContinue
    if ($line) { [long] $line.Matches[0].Groups[1].Value } else { $null }
}

$process = [System.Diagnostics.Process]::GetCurrentProcess()
'BENCH_RESULT=' + ([pscustomobject]@{
        WallMs           = $stopwatch.Elapsed.TotalMilliseconds
        FirstResultMs    = $firstResultMs
        Finished         = $finished
        ErrorCount       = $errors.Count
        FirstErrors      = @($errors | Select-Object -First 3 | ForEach-Object { "$($_.FullyQualifiedErrorId): $($_.Exception.Message)" })
        PeakWorkingSet   = $process.PeakWorkingSet64
        VmHwmKb          = Get-StatusKb 'VmHWM'
        VmRssKb          = Get-StatusKb 'VmRSS'
        ManagedHeapBytes = [GC]::GetTotalMemory($false)
        AllocatedBytes   = [GC]::GetTotalAllocatedBytes($false)
        Gen0             = [GC]::CollectionCount(0)
        Gen1             = [GC]::CollectionCount(1)
        Gen2             = [GC]::CollectionCount(2)
        Threads          = $process.Threads.Count
    } | ConvertTo-Json -Compress)
