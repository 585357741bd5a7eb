function Resolve-GliderEmulatorTarget {
    <#
    .SYNOPSIS
        The emulator a control function talks to: the one passed, else the one this session started last.
    #>
    [CmdletBinding()]
    param($Emulator)
    if ($null -ne $Emulator) { return $Emulator }
    if ($null -eq $script:CurrentEmulator) {
        throw 'No emulator: start one with Start-GliderEmulator, or pass -Emulator.'
    }
    $script:CurrentEmulator
}
