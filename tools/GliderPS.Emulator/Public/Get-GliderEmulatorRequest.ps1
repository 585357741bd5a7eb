function Get-GliderEmulatorRequest {
    <#
    .SYNOPSIS
        The emulator's request log, oldest first: one object per /v2 request (method, rawTarget, status, fault,
        rateLimitedBy, apiKeyId, requestId, correlationId, time, completedAt, ...; the emulator README has the shape).
    .DESCRIPTION
        -Method and -PathLike (a wildcard on rawTarget, e.g. '*/rebalance') filter it. A request is logged once its
        answer has been sent, so the log may lag the client by a moment: -Settle reads until two reads 50 ms apart
        agree (at most 1 s), which is what an assertion that something was NOT sent needs.
    .EXAMPLE
        @(Get-GliderEmulatorRequest -Method POST -PathLike '*/rebalance').Count | Should -Be 1
    #>
    [CmdletBinding()]
    param(
        [string] $Method,
        [string] $PathLike,
        [switch] $Settle,
        $Emulator
    )
    $target = Resolve-GliderEmulatorTarget $Emulator
    $read = { @(foreach ($entry in (Invoke-GliderEmulator $target GET requests)) { $entry }) }
    $entries = & $read
    if ($Settle) {
        for ($attempt = 0; $attempt -lt 20; $attempt++) {
            Start-Sleep -Milliseconds 50
            $again = & $read
            if ($again.Count -eq $entries.Count) { break }
            $entries = $again
        }
    }
    $entries | Where-Object { (-not $Method -or $_.method -eq $Method) -and (-not $PathLike -or $_.rawTarget -like $PathLike) }
}
