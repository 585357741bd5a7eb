<#
.SYNOPSIS
    A guided tour of GliderPS against the local emulator: connect, list, -WhatIf, trigger, wait, cooldown, and the
    runbook pattern (wait for everything, then fail).
    Run through build.ps1:  dotnet pwsh ./build.ps1 Demo
#>
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [string] $EmulatorDll
)

$ErrorActionPreference = 'Stop'
Import-Module (Join-Path $PSScriptRoot 'GliderPS.Emulator/GliderPS.Emulator.psd1')
Import-Module (Resolve-Path -LiteralPath $ModulePath).Path

function Show-Step([string] $Title, [string] $Command) {
    Write-Host ''
    Write-Host "# $Title" -ForegroundColor Cyan
    Write-Host "PS> $Command" -ForegroundColor Yellow
}

$emulatorArguments = @{}
if ($EmulatorDll) { $emulatorArguments.EmulatorDll = $EmulatorDll }
# Short lifecycles so the tour takes seconds, and a cooldown long enough to show.
$emulator = Start-GliderEmulator @emulatorArguments -ArgumentList '--operation-ms', '4000', '--cooldown-seconds', '45'
try {
    Write-Host "Emulator listening on $($emulator.BaseUri) (loopback only)."

    Show-Step 'Connect with a demo key (read from a SecureString; it is never printed)' `
        "Connect-Glider -BaseUri $($emulator.BaseUri) -ApiKey `$key -PassThru"
    $key = ConvertTo-SecureString -String 'gldr_sk_demo_rw_4f8a2c9e7b1d6053' -AsPlainText -Force
    Connect-Glider -BaseUri $emulator.BaseUri -ApiKey $key -PassThru | Format-List | Out-Host

    Show-Step 'List active portfolios (all pages are followed)' `
        'Get-GliderPortfolio -Status active | Select-Object -First 5'
    $portfolios = Get-GliderPortfolio -Status active
    $portfolios | Select-Object -First 5 | Format-Table | Out-Host
    Write-Host "($(@($portfolios).Count) active portfolios in all)"

    $target = @($portfolios)[0].PortfolioId
    Show-Step 'Preview a rebalance: -WhatIf sends nothing' "Invoke-GliderRebalance -PortfolioId $target -WhatIf"
    Invoke-GliderRebalance -PortfolioId $target -WhatIf

    Show-Step 'Trigger it for real' "`$submission = Invoke-GliderRebalance -PortfolioId $target"
    $submission = Invoke-GliderRebalance -PortfolioId $target
    $submission | Format-List | Out-Host

    Show-Step 'Wait for the operation (progress shows the count in each state)' '$submission | Wait-GliderOperation -Timeout 60'
    $submission | Wait-GliderOperation -Timeout 60 | Format-List | Out-Host

    Show-Step 'Trigger again at once: the cooldown answers 429, as a retryable error record' `
        "Invoke-GliderRebalance -PortfolioId $target -ErrorAction SilentlyContinue -ErrorVariable cooldown"
    $null = Invoke-GliderRebalance -PortfolioId $target -ErrorAction SilentlyContinue -ErrorVariable cooldown
    if (-not $cooldown) { throw 'The demo expected a cooldown error and got none.' }
    $record = $cooldown[0]
    Write-Host "FullyQualifiedErrorId : $($record.FullyQualifiedErrorId)"
    Write-Host "Category              : $($record.CategoryInfo.Category)"
    Write-Host "RetryAfter            : $($record.Exception.RetryAfter)"
    Write-Host "RetryAt               : $($record.Exception.RetryAt)"
    Write-Host "RecommendedAction     : $($record.ErrorDetails.RecommendedAction)"

    $runbookIds = @(@($portfolios)[1..3].PortfolioId)
    # One of the three will fail, as a run sometimes does, to show what the runbook pattern does with it.
    $null = Invoke-GliderEmulator $emulator PUT "outcomes/$($runbookIds[1])" @{ outcome = 'failed'; error = 'Slippage above 2% on ETH/USDC' }
    Show-Step 'The runbook pattern: wait for every run, write every result and error, then fail the job if anything failed' `
        ("'$($runbookIds -join "', '")' |`n    Invoke-GliderRebalance -ErrorVariable +problems |`n" +
        "    Wait-GliderOperation -Timeout 600 -ErrorVariable +problems`n" +
        'if ($problems) { throw "$($problems.Count) rebalance(s) did not complete; every result and error is written above." }')
    try {
        & {
            # A runbook's own preference, not the demo's 'Stop': errors are written and collected, not fatal at once.
            $ErrorActionPreference = 'Continue'
            $runbookIds |
                Invoke-GliderRebalance -ErrorVariable +problems |
                Wait-GliderOperation -Timeout 600 -ErrorVariable +problems | Out-Host
            if ($problems) { throw "$($problems.Count) rebalance(s) did not complete; every result and error is written above." }
        }
        throw 'The demo expected the runbook to fail and it did not.'
    }
    catch [System.Management.Automation.RuntimeException] {
        if ("$_" -like 'The demo expected*') { throw }
        Write-Host "The job fails at the end, after every result was written: $_"
    }

    Disconnect-Glider
    Write-Host ''
    Write-Host 'Demo finished.' -ForegroundColor Green
}
finally {
    $emulator | Stop-GliderEmulator
}
