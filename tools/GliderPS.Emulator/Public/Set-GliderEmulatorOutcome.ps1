function Set-GliderEmulatorOutcome {
    <#
    .SYNOPSIS
        Decides how the next rebalances of portfolios end: completed, failed or cancelled (with -Message), stuck, or
        awaiting_user (stuck waiting for a signature); -Via adds states shown while running; -Clear forgets it.
    .EXAMPLE
        Set-GliderEmulatorOutcome -PortfolioId pf_acme_0003 -Outcome failed -Message 'Slippage above 2% on ETH/USDC'
    #>
    [CmdletBinding(DefaultParameterSetName = 'Set', SupportsShouldProcess)]
    param(
        [Parameter(Mandatory, ValueFromPipeline, ValueFromPipelineByPropertyName)] [string[]] $PortfolioId,
        [Parameter(Mandatory, ParameterSetName = 'Set')]
        [ValidateSet('completed', 'failed', 'cancelled', 'stuck', 'awaiting_user')] [string] $Outcome,
        [Parameter(ParameterSetName = 'Set')] [string] $Message,
        [Parameter(ParameterSetName = 'Set')] [string[]] $Via,
        [Parameter(ParameterSetName = 'Set')] [ValidateRange(0, [int]::MaxValue)] [int] $DurationMs = -1,
        [Parameter(Mandatory, ParameterSetName = 'Clear')] [switch] $Clear,
        $Emulator
    )
    process {
        $target = Resolve-GliderEmulatorTarget $Emulator
        foreach ($id in $PortfolioId) {
            $path = 'outcomes/' + [uri]::EscapeDataString($id)
            if ($Clear) {
                if ($PSCmdlet.ShouldProcess($id, 'Clear the planned outcome')) { $null = Invoke-GliderEmulator $target DELETE $path }
                continue
            }
            $body = @{ outcome = $Outcome }
            if ($Message) { $body.error = $Message }
            if ($Via) { $body.via = @($Via) }
            if ($DurationMs -ge 0) { $body.durationMs = $DurationMs }
            if ($PSCmdlet.ShouldProcess($id, "Plan the outcome '$Outcome'")) { $null = Invoke-GliderEmulator $target PUT $path $body }
        }
    }
}
