function Clear-GliderEmulatorRequest {
    <#
    .SYNOPSIS
        Empties the request log, e.g. between the arrange and the act of a test.
    #>
    [CmdletBinding(SupportsShouldProcess)]
    param([Parameter(ValueFromPipeline)] $Emulator)
    process {
        $target = Resolve-GliderEmulatorTarget $Emulator
        if ($PSCmdlet.ShouldProcess($target.BaseUri, 'Empty the request log')) { $null = Invoke-GliderEmulator $target DELETE requests }
    }
}
