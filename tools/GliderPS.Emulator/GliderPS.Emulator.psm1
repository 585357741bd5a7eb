# The GliderPS.Emulator module: one function a file, in Public (exported) and Private.
# It ships inside the glider-emulator tool (find it with 'glider-emulator --module-path'), and the repository's own
# Pester suite, demo and benchmarks import it from tools/GliderPS.Emulator, so the code users run is the code tested.

Set-StrictMode -Version 3.0

foreach ($folder in 'Private', 'Public') {
    foreach ($file in Get-ChildItem -Path (Join-Path $PSScriptRoot $folder) -Filter '*.ps1' | Sort-Object Name) {
        . $file.FullName
    }
}

# The emulator the control functions use when -Emulator is not given: the one started last in this session.
$script:CurrentEmulator = $null
