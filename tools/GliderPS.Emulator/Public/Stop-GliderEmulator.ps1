function Stop-GliderEmulator {
    <#
    .SYNOPSIS
        Stops an emulator that Start-GliderEmulator started (by closing its standard input; killed by its process id
        if it has not stopped within 5 s).
    #>
    [CmdletBinding()]
    param([Parameter(ValueFromPipeline)] $Emulator)
    process {
        $target = Resolve-GliderEmulatorTarget $Emulator
        $process = $target.Process
        if (-not $process.HasExited) {
            try { $process.StandardInput.Close() } catch { $null = $_ }
            if (-not $process.WaitForExit(5000)) {
                Stop-Process -Id $process.Id -Force -ErrorAction Ignore
                $null = $process.WaitForExit(5000)
            }
        }
        $process.Dispose()
        if ($script:CurrentEmulator -eq $target) { $script:CurrentEmulator = $null }
    }
}
