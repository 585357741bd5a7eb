function Reset-GliderEmulator {
    <#
    .SYNOPSIS
        Puts the emulator back to how it started (its options and scenario): portfolios, outcomes, faults, timings,
        limits, cooldowns, the request log and the statistics. -PortfolioCount seeds that many numbered portfolios instead.
    #>
    [CmdletBinding(SupportsShouldProcess)]
    param(
        [Parameter(ValueFromPipeline)] $Emulator,
        [ValidateRange(0, 1000000)] [int] $PortfolioCount = -1
    )
    process {
        $target = Resolve-GliderEmulatorTarget $Emulator
        if (-not $PSCmdlet.ShouldProcess($target.BaseUri, 'Reset the emulator')) { return }
        $body = if ($PortfolioCount -ge 0) { @{ portfolioCount = $PortfolioCount } } else { $null }
        $null = Invoke-GliderEmulator $target POST reset $body
    }
}
