function Clear-GliderEmulatorFault {
    <#
    .SYNOPSIS
        Removes every fault rule (the scenario's come back on Reset-GliderEmulator).
    #>
    [CmdletBinding(SupportsShouldProcess)]
    param([Parameter(ValueFromPipeline)] $Emulator)
    process {
        $target = Resolve-GliderEmulatorTarget $Emulator
        if ($PSCmdlet.ShouldProcess($target.BaseUri, 'Remove every fault rule')) { $null = Invoke-GliderEmulator $target DELETE faults }
    }
}
