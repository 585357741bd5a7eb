function Get-GliderEmulatorStatistic {
    <#
    .SYNOPSIS
        The emulator's counters: rebalancesStarted per portfolio, requests, connectionsOpened, faultsInjected by kind,
        rateLimited by layer.
    #>
    [CmdletBinding()]
    param([Parameter(ValueFromPipeline)] $Emulator)
    process {
        Invoke-GliderEmulator (Resolve-GliderEmulatorTarget $Emulator) GET stats
    }
}
