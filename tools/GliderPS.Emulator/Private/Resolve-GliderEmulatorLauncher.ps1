function Resolve-GliderEmulatorLauncher {
    <#
    .SYNOPSIS
        Which program starts the emulator, as a file to run and the arguments that come before the emulator's own.
    .DESCRIPTION
        In order: -EmulatorPath; $env:GLIDER_EMULATOR_DLL (a repository build); Glider.Emulator.dll beside this module's
        folder (the layout inside the installed tool); the Release build of a clone, when the module runs from the
        clone's tools/GliderPS.Emulator; the glider-emulator command on the PATH. A .dll runs under 'dotnet', which is
        exactly what the tool's own launcher does.
    #>
    [CmdletBinding()]
    param([string] $EmulatorPath)

    $candidate = $EmulatorPath
    if (-not $candidate -and $env:GLIDER_EMULATOR_DLL) { $candidate = $env:GLIDER_EMULATOR_DLL }
    if (-not $candidate) {
        $besideModule = [System.IO.Path]::GetFullPath([System.IO.Path]::Combine($PSScriptRoot, '..', '..', 'Glider.Emulator.dll'))
        $inClone = [System.IO.Path]::GetFullPath([System.IO.Path]::Combine(
                $PSScriptRoot, '..', '..', '..', 'tests', 'Glider.Emulator', 'bin', 'Release', 'net10.0', 'Glider.Emulator.dll'))
        foreach ($path in $besideModule, $inClone) {
            if (-not $candidate -and (Test-Path -LiteralPath $path)) { $candidate = $path }
        }
    }
    if (-not $candidate) {
        $command = Get-Command -Name 'glider-emulator' -CommandType Application -ErrorAction Ignore | Select-Object -First 1
        if (-not $command) {
            throw ("No emulator found: install it ('dotnet tool install --tool-path <folder> --add-source <folder with " +
                "Glider.Emulator.*.nupkg> Glider.Emulator') and put that folder on the PATH, or pass -EmulatorPath.")
        }
        $candidate = $command.Source
    }
    if (-not (Test-Path -LiteralPath $candidate)) {
        throw "The emulator '$candidate' does not exist. Build it ('dotnet pwsh ./build.ps1 Build') or pass -EmulatorPath."
    }
    if ($candidate -like '*.dll') {
        return [pscustomobject]@{ FilePath = 'dotnet'; Prefix = @($candidate); Path = $candidate }
    }
    [pscustomobject]@{ FilePath = $candidate; Prefix = @(); Path = $candidate }
}
