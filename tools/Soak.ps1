#Requires -Version 7.4
<#
.SYNOPSIS
    Fault soak: many operations waited at once (Wait-GliderOperation) while the emulator breaks about 10% of the polls
    in every way it can; checks that every operation is reported exactly once with its true terminal state.

.DESCRIPTION
    Starts its own emulator, triggers -Operations rebalances (every 10th ends failed, every 10th cancelled, every 5th
    passes through retrying/awaiting_user), adds fault rules on GET .../operations/... only, then waits for all of them
    in one Wait-GliderOperation call. Afterwards it compares what the cmdlet emitted with the emulator's own answer for
    each operation, checks that no request is sent once the cmdlet has returned, and reports the figures.

    The per-attempt timeout is 30 s in a Connect-Glider connection and has no parameter, so the soak builds its
    connection with a short one (-RequestTimeoutSec) through tests/Pester/Resilience.Support.psm1; everything else
    (retries, backoff, the poll loop, the cmdlet) is the module's default.

    Exit code 0 when nothing was lost, duplicated, wrong or unhandled; 1 otherwise.

.EXAMPLE
    dotnet pwsh -NoProfile -File tools/Soak.ps1 -ModulePath out/GliderPS -OutputPath docs/reliability.md
#>
[CmdletBinding()]
param(
    [string] $ModulePath = (Join-Path $PSScriptRoot '..' 'out' 'GliderPS'),
    [string] $OutputPath,
    [ValidateRange(1, 100000)] [int] $Operations = 2000,
    [ValidateRange(0.0, 0.5)] [double] $FaultFraction = 0.10,
    # Long enough that the runs are still going once all are submitted, so each is polled several times.
    [ValidateRange(100, 600000)] [int] $OperationMs = 15000,
    [ValidateRange(1, 60)] [int] $RequestTimeoutSec = 2,
    [ValidateRange(1, 60)] [int] $PollIntervalSec = 1,
    [ValidateRange(10, 86400)] [int] $TimeoutSec = 1800,
    [string] $EmulatorDll,
    # Return the figures as an object (for tests) instead of only printing them.
    [switch] $PassThru
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0

$repoRoot = [System.IO.Path]::GetFullPath((Join-Path $PSScriptRoot '..'))
$ModulePath = Convert-Path -LiteralPath $ModulePath
Import-Module (Join-Path $ModulePath 'GliderPS.psd1') -ErrorAction Stop
Import-Module (Join-Path $repoRoot 'tools' 'GliderPS.Emulator' 'GliderPS.Emulator.psd1') -Force
Import-Module (Join-Path $repoRoot 'tests' 'Pester' 'Resilience.Support.psm1') -Force

$key = Get-ResilienceProbeKey
# Every kind of poll fault; each gets an equal share of FaultFraction. Oldest rule first: a rule whose draw says no lets
# the next one try, so rule k fires with probability share / (1 - k * share) to keep the shares equal.
$faultKinds = @(
    @{ Name = 'reset mid-body'; Rule = @{ kind = 'reset-mid-body' } }
    @{ Name = '500'; Rule = @{ kind = 'status'; status = 500 } }
    @{ Name = '502'; Rule = @{ kind = 'status'; status = 502 } }
    @{ Name = '503'; Rule = @{ kind = 'status'; status = 503 } }
    @{ Name = '504'; Rule = @{ kind = 'status'; status = 504 } }
    @{ Name = '408'; Rule = @{ kind = 'status'; status = 408 } }
    @{ Name = '503 with Retry-After: 1'; Rule = @{ kind = 'status'; status = 503; retryAfter = '1' } }
    @{ Name = 'truncated JSON'; Rule = @{ kind = 'truncate' } }
    @{ Name = "slower than the $RequestTimeoutSec s per-attempt timeout"; Rule = @{ kind = 'delay'; delayMs = ($RequestTimeoutSec * 1000 + 1500) } }
    @{ Name = 'platform 429 (Retry-After: 1)'; Rule = @{ kind = 'status'; status = 429; platformBody = $true; retryAfter = '1' } }
)

function Get-Stat($Emulator) { Invoke-GliderEmulator $Emulator GET stats }

$emulatorParameters = @{ ArgumentList = @('--portfolios', [string] [Math]::Max(250, $Operations), '--operation-ms', [string] $OperationMs) }
if ($EmulatorDll) { $emulatorParameters.EmulatorDll = $EmulatorDll }
$emu = Start-GliderEmulator @emulatorParameters
$http = [System.Net.Http.HttpClient]::new()
try {
    $null = Invoke-GliderEmulator $emu POST reset
    $null = Invoke-GliderEmulator $emu PUT timings @{ operationMs = $OperationMs; cooldownSeconds = 30 }
    $portfolioIds = 1..$Operations | ForEach-Object { 'pf_acme_{0:d4}' -f $_ }
    for ($i = 1; $i -le $Operations; $i++) {
        $outcome = switch ($i % 10) {
            3 { @{ outcome = 'failed'; error = "soak: venue rejected order $i" } }
            7 { @{ outcome = 'cancelled'; error = "soak: cancelled by the owner $i" } }
            default { if ($i % 5 -eq 1) { @{ outcome = 'completed'; via = @('retrying', 'awaiting_user') } } else { $null } }
        }
        if ($outcome) { $null = Invoke-GliderEmulator $emu PUT "outcomes/$($portfolioIds[$i - 1])" $outcome }
    }

    $connection = New-ResilienceConnection -BaseUri $emu.BaseUri -Key $key -RequestTimeout ([timespan]::FromSeconds($RequestTimeoutSec))
    Write-Host "Soak: triggering $Operations rebalances against $($emu.BaseUri)"
    $submitClock = [System.Diagnostics.Stopwatch]::StartNew()
    $submissions = @(Invoke-GliderRebalance -PortfolioId $portfolioIds -Connection $connection)
    $submitClock.Stop()
    if ($submissions.Count -ne $Operations) { throw "Only $($submissions.Count) of $Operations rebalances were submitted." }

    $share = $FaultFraction / $faultKinds.Count
    for ($k = 0; $k -lt $faultKinds.Count; $k++) {
        $rule = $faultKinds[$k].Rule.Clone()
        $rule.method = 'GET'
        $rule.pathContains = '/operations/'
        $rule.fraction = [Math]::Min(1.0, $share / (1 - $k * $share))
        $rule.seed = 1000 + $k
        $null = Invoke-GliderEmulator $emu POST faults $rule
    }
    $null = Invoke-GliderEmulator $emu DELETE requests
    $before = Get-Stat $emu

    Write-Host "Soak: waiting for $Operations operations with about $([Math]::Round($FaultFraction * 100))% of the polls faulted"
    $emitted = [System.Collections.Generic.List[object]]::new()
    $verbose = [System.Collections.Generic.List[string]]::new()
    $unhandled = $null
    $waitErrors = @()
    $clock = [System.Diagnostics.Stopwatch]::StartNew()
    try {
        $submissions | Wait-GliderOperation -Connection $connection -PollIntervalSec $PollIntervalSec -Timeout $TimeoutSec -Verbose `
            -ErrorAction SilentlyContinue -ErrorVariable +waitErrors 4>&1 | ForEach-Object {
            if ($_ -is [System.Management.Automation.VerboseRecord]) { $verbose.Add($_.Message) } else { $emitted.Add($_) }
        }
    }
    catch {
        $unhandled = $_
    }
    $clock.Stop()
    $after = Get-Stat $emu
    $requestsAtReturn = [long] $after.requests
    Start-Sleep -Seconds 3
    $requestsLater = [long] (Get-Stat $emu).requests

    # The truth: the emulator's own answer for each operation, faults cleared, over a plain HttpClient.
    $null = Invoke-GliderEmulator $emu DELETE faults
    $truth = @{}
    foreach ($submission in $submissions) {
        $uri = "$($emu.BaseUri)/v2/portfolios/$($submission.PortfolioId)/operations/$([uri]::EscapeDataString($submission.OperationId))"
        $request = [System.Net.Http.HttpRequestMessage]::new('GET', $uri)
        $null = $request.Headers.TryAddWithoutValidation('x-api-key', $key)
        $response = $http.SendAsync($request).GetAwaiter().GetResult()
        $body = $response.Content.ReadAsStringAsync().GetAwaiter().GetResult() | ConvertFrom-Json
        $truth[$submission.OperationId] = $body.data.state
        $response.Dispose(); $request.Dispose()
    }

    # What the cmdlet said about each operation.
    $outputs = @{}
    foreach ($operation in $emitted) { $outputs[$operation.OperationId] = 1 + [int] $outputs[$operation.OperationId] }
    $errorsByOperation = @{}
    $otherErrors = [System.Collections.Generic.List[object]]::new()
    foreach ($record in $waitErrors) {
        $target = if ($record -is [System.Management.Automation.ErrorRecord]) { $record.TargetObject } else { $null }
        $operationId = if ($target -and $target.PSObject.Properties['OperationId']) { $target.OperationId } else { $null }
        if ($operationId) {
            if (-not $errorsByOperation.ContainsKey($operationId)) { $errorsByOperation[$operationId] = [System.Collections.Generic.List[object]]::new() }
            $errorsByOperation[$operationId].Add($record)
        }
        else { $otherErrors.Add($record) }
    }

    $lost = 0; $duplicated = 0; $wrongState = 0; $exhausted = 0; $correct = 0
    $problems = [System.Collections.Generic.List[string]]::new()
    foreach ($submission in $submissions) {
        $id = $submission.OperationId
        $count = [int] $outputs[$id]
        $errors = @(if ($errorsByOperation.ContainsKey($id)) { $errorsByOperation[$id] })
        $expectedErrors = if ($truth[$id] -in 'failed', 'cancelled') { 1 } else { 0 }
        if ($count -eq 0 -and $errors.Count -eq 0) { $lost++; $problems.Add("lost: $id"); continue }
        if ($count -gt 1 -or $errors.Count -gt [Math]::Max(1, $expectedErrors)) { $duplicated++; $problems.Add("duplicated: $id ($count outputs, $($errors.Count) errors)"); continue }
        if ($count -eq 0) {
            # Retries ran out: one clear error, no object.
            $exhausted++
            continue
        }
        $state = ($emitted | Where-Object OperationId -EQ $id | Select-Object -First 1).State
        if ($state -ne $truth[$id] -or $errors.Count -ne $expectedErrors) { $wrongState++; $problems.Add("wrong: $id emitted $state, truth $($truth[$id]), $($errors.Count) errors"); continue }
        $correct++
    }

    $faults = [ordered]@{}
    $injected = $after.faultsInjected
    foreach ($property in $injected.PSObject.Properties) {
        $previous = if ($before.faultsInjected.PSObject.Properties[$property.Name]) { [int] $before.faultsInjected.($property.Name) } else { 0 }
        $faults[$property.Name] = [int] $property.Value - $previous
    }
    $log = @(Get-ResilienceLog $emu | Where-Object { $_.method -eq 'GET' -and $_.rawTarget -like '*/operations/*' })
    $pollLog = @($log | Select-Object -First ($log.Count - $Operations)) # the truth reads come last
    $byStatus = [ordered]@{}
    foreach ($group in $pollLog | Where-Object fault | Group-Object { if ($null -ne $_.status) { "$($_.fault) $($_.status)" } else { "$($_.fault) (no answer)" } } | Sort-Object Name) {
        $byStatus[$group.Name] = $group.Count
    }
    $retries = @($verbose | Where-Object { $_ -match '\(attempt ([2-9]|\d\d+),' }).Count
    $connections = [long] $after.connectionsOpened - [long] $before.connectionsOpened - 1 # minus the stats call's own
    $connectionKilling = [int] $faults['reset-mid-body'] + [int] $faults['delay']

    $figures = [pscustomobject]@{
        Operations              = $Operations
        Completed               = @($truth.Values | Where-Object { $_ -eq 'completed' }).Count
        Failed                  = @($truth.Values | Where-Object { $_ -eq 'failed' }).Count
        Cancelled               = @($truth.Values | Where-Object { $_ -eq 'cancelled' }).Count
        EmittedCorrectly        = $correct
        RetriesExhausted        = $exhausted
        Lost                    = $lost
        Duplicated              = $duplicated
        WrongState              = $wrongState
        UnhandledException      = if ($unhandled) { "$($unhandled.Exception.GetType().FullName): $($unhandled.Exception.Message)" } else { $null }
        OtherErrors             = $otherErrors.Count
        Polls                   = $pollLog.Count
        FaultsInjected          = [pscustomobject] $faults
        FaultsByStatus          = [pscustomobject] $byStatus
        FaultsTotal             = ($faults.Values | Measure-Object -Sum).Sum
        Retries                 = $retries
        ConnectionsOpened       = $connections
        ConnectionKillingFaults = $connectionKilling
        RequestsAfterReturn     = $requestsLater - $requestsAtReturn
        WaitSeconds             = [Math]::Round($clock.Elapsed.TotalSeconds, 1)
        SubmitSeconds           = [Math]::Round($submitClock.Elapsed.TotalSeconds, 1)
        RequestTimeoutSec       = $RequestTimeoutSec
        OperationMs             = $OperationMs
        PollIntervalSec         = $PollIntervalSec
        FaultFraction           = $FaultFraction
        Problems                = $problems.ToArray()
        ProcessorCount          = [Environment]::ProcessorCount
        FinishedAt              = [datetimeoffset]::UtcNow
    }
}
finally {
    $http.Dispose()
    Stop-GliderEmulator -Emulator $emu
}

$passed = $figures.Lost -eq 0 -and $figures.Duplicated -eq 0 -and $figures.WrongState -eq 0 -and -not $figures.UnhandledException -and
    $figures.RequestsAfterReturn -eq 0 -and $figures.OtherErrors -eq 0

$faultRows = foreach ($kind in $figures.FaultsInjected.PSObject.Properties) { "| $($kind.Name) | $($kind.Value) |" }
$statusRows = foreach ($kind in $figures.FaultsByStatus.PSObject.Properties) { "| $($kind.Name) | $($kind.Value) |" }
$faultNames = ($faultKinds | ForEach-Object { $_.Name }) -join ', '
$report = @"
# Reliability: fault soak

Last run of ``tools/Soak.ps1`` (``build.ps1 Soak``), $($figures.FinishedAt.ToString('yyyy-MM-dd HH:mm', [cultureinfo]::InvariantCulture)) UTC, $($figures.ProcessorCount) cores: **$(if ($passed) { 'passed' } else { 'FAILED' })**.

$($figures.Operations) rebalances were triggered against the emulator and waited for in **one** ``Wait-GliderOperation``
call (poll every $($figures.PollIntervalSec) s, each run lasting $($figures.OperationMs) ms), while the emulator faulted about
$([Math]::Round($figures.FaultFraction * 100))% of the polls, split evenly over: $faultNames.
Then every emitted operation was compared with the emulator's own answer for it.

| figure | value |
|---|---|
| operations | $($figures.Operations) ($($figures.Completed) completed, $($figures.Failed) failed, $($figures.Cancelled) cancelled) |
| emitted once with their true terminal state | $($figures.EmittedCorrectly) |
| reported as an error after their retries ran out | $($figures.RetriesExhausted) |
| **lost** | **$($figures.Lost)** |
| **duplicated** | **$($figures.Duplicated)** |
| wrong state | $($figures.WrongState) |
| unhandled exception | $(if ($figures.UnhandledException) { $figures.UnhandledException } else { 'none' }) |
| polls sent | $($figures.Polls) ($([Math]::Round($figures.Polls / [Math]::Max(1, $figures.Operations), 1)) per operation) |
| faults injected | $($figures.FaultsTotal) |
| retries (attempts after the first, from the verbose trace) | $($figures.Retries) |
| TCP connections opened during the wait | $($figures.ConnectionsOpened) (faults that cost a connection: $($figures.ConnectionKillingFaults); at most 32 polls in flight) |
| requests sent after the cmdlet returned (3 s watch) | $($figures.RequestsAfterReturn) |
| wall time of the wait | $($figures.WaitSeconds) s (the $($figures.Operations) triggers before it took $($figures.SubmitSeconds) s) |

Faults injected by kind (emulator stats; ``status`` covers 500/502/503/504/408, the 503 with Retry-After and the platform 429):

| kind | count |
|---|---|
$($faultRows -join "`n")

The same faults by what was put on the wire (request log; ``delay (no answer)`` = the client gave up at its per-attempt
timeout and closed the connection; a 429 is the platform limiter's body):

| fault, status sent | count |
|---|---|
$($statusRows -join "`n")

The per-attempt timeout was $($figures.RequestTimeoutSec) s (a connection made by Connect-Glider uses 30 s and has no
parameter for it; the soak builds its client with the same defaults otherwise). In CI the same script runs with 200
operations (``tests/Pester/Resilience.Faults.Tests.ps1``).

## The other resilience properties and where they are tested

All against the emulator's fault injection (``tests/Glider.Emulator/README.md``), in ``tests/Pester/Resilience.*.Tests.ps1``
(part of ``build.ps1 Test``), plus ``tests/Glider.Client.Tests/Resilience/``:

| property | test |
|---|---|
| a 301/302/307/308 to another host, port or scheme (or the same origin) is not followed: nothing reaches it, the key never travels, a POST is never re-sent as a GET | Secrets: ``redirects never carry the key`` |
| no stream (``-Verbose -Debug``, ``*>&1``), ``Format-List * -Force``, ``Get-Error``, exception chain, TargetObject or transcript shows the key or any 6-character fragment of it; no HttpRequestMessage/HttpResponseMessage or decoded key is reachable from an error (reflective walk) | Secrets: ``the key appears in no output ...`` |
| each request carries its own connection's key (20 parallel runspaces, 20 keys) | Secrets: ``each request carries its own connection's key`` |
| a connection is never written to disk; a new process is not connected | Secrets: ``a connection is never persisted`` |
| 400/401/403/404 never retried; 50 callers hitting 503 retry at most 4 times each, at jittered moments | Faults: ``what is retried and what is not`` |
| a stall past the per-attempt timeout is retried and its connection closed; a timeout is reported as a timeout, not a cancellation; no overall HttpClient timeout over the retry sequence | Faults: ``stalls and timeouts``; xunit ``ResilienceTransportTests`` |
| a trigger whose answer is lost (``drop-after-read``) starts exactly one run | Faults: ``the trigger whose answer is lost`` |
| Retry-After (seconds, HTTP-date) is a floor on the next attempt; odd values never throw; a wait past the cap or the command's timeout becomes an error that says when to retry | RateLimit |
| odd operation ids reach the API as one segment that decodes to the id, on the base host; dot-segment ids are refused before anything is sent | Encoding |
| Ctrl+C during a stalled request, a Retry-After wait or polling returns within 1 s, closes the request, stops polling; a consoleless host gets the poll loop's verbose and progress output | Cancellation |
"@

if ($OutputPath) {
    Set-Content -Path $OutputPath -Value $report -Encoding utf8
    Write-Host "Soak report written to $OutputPath"
}
Write-Host $report
if ($figures.Problems.Count -gt 0) { Write-Host ("Problems:`n  " + ($figures.Problems -join "`n  ")) }
if ($PassThru) { return $figures }
if (-not $passed) { exit 1 }
