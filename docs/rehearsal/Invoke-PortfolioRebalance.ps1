<#
.SYNOPSIS
    Example runbook: rebalances the given portfolios, waits for them, waits out cooldowns, fails the job on a failed
    rebalance, and can be re-run (Azure Automation restarts a job from the top) without rebalancing anything twice.
.PARAMETER Connection
    A GliderPS connection (New-GliderConnection, Connect-Glider -PassThru, or Start-GliderEmulator's .Connection in a
    rehearsal). Without one, the runbook connects with the Automation credential 'GliderApiKey'.
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [string[]] $PortfolioId,
    [int] $SkipIfRebalancedWithinMinutes = 60,
    [int] $MaxAttempts = 3,
    [int] $TimeoutSec = 600,
    [int] $PollIntervalSec = 2,
    $Connection
)
$ErrorActionPreference = 'Stop'

if (-not $Connection) {
    $Connection = Connect-Glider -Credential (Get-AutomationPSCredential -Name 'GliderApiKey') -PassThru
}

# A restarted job must not rebalance twice. A portfolio rebalanced since the cutoff is done; one whose run is still
# in flight is answered with that same operation (202, no new run), so triggering it again only waits for it.
$cutoff = [DateTimeOffset]::UtcNow.AddMinutes(-$SkipIfRebalancedWithinMinutes)
$todo = @(Get-GliderPortfolio -PortfolioId $PortfolioId -Connection $Connection |
        Where-Object { -not $_.LastRebalanceAt -or $_.LastRebalanceAt -lt $cutoff })
Write-Output "$($todo.Count) of $($PortfolioId.Count) portfolio(s) to rebalance."

$failures = [System.Collections.Generic.List[string]]::new()
for ($attempt = 1; $todo.Count -gt 0; $attempt++) {
    # Errors are collected, not fatal: one portfolio in its cooldown or one failed run must not hide the others.
    $problems = $null
    $finished = @($todo | Invoke-GliderRebalance -Wait -Timeout $TimeoutSec -PollIntervalSec $PollIntervalSec `
            -Connection $Connection -ErrorVariable problems -ErrorAction SilentlyContinue)
    foreach ($operation in $finished) { Write-Output "$($operation.PortfolioId): $($operation.State)" }

    $notNow = @($problems | Where-Object { $_.Exception -is [Glider.Client.Errors.GliderRateLimitException] })
    foreach ($problem in $problems | Where-Object { $_.Exception -isnot [Glider.Client.Errors.GliderRateLimitException] }) {
        $failures.Add("$($problem.TargetObject): $($problem.Exception.Message)")
    }
    if ($notNow.Count -eq 0) { break }
    if ($attempt -ge $MaxAttempts) {
        foreach ($problem in $notNow) { $failures.Add("$($problem.TargetObject): still refused after $attempt attempts") }
        break
    }
    # The API says when: wait for the longest advised time, then retry only those portfolios.
    $delay = [math]::Ceiling(($notNow | ForEach-Object { $_.Exception.RetryAfter.TotalSeconds } | Measure-Object -Maximum).Maximum)
    Write-Warning "$($notNow.Count) portfolio(s) not accepted now (cooldown or rate limit); retrying in $delay s."
    Start-Sleep -Seconds $delay
    $todo = @($notNow | ForEach-Object { $_.TargetObject })
}

if ($failures.Count -gt 0) {
    throw "$($failures.Count) rebalance(s) did not complete: $($failures -join '; ')"
}
