# Loads the build of the cmdlets that matches the running PowerShell:
#   bin/core    - net8.0, for PowerShell 7.4+, inside a load context of its own (GliderPS.Loader) so that a
#                 different Polly loaded by another module cannot conflict; the runtime's System.Text.Json is shared.
#   bin/desktop - netstandard2.0, for Windows PowerShell 5.1 (one AppDomain: no isolation is possible there).
# Kept to a few lines on purpose: this file runs on every import.
if ($PSEdition -eq 'Core') {
    $loaderPath = [System.IO.Path]::Combine($PSScriptRoot, 'bin', 'core', 'GliderPS.Loader.dll')
    $null = [System.Reflection.Assembly]::LoadFrom($loaderPath)
    Import-Module -Assembly ([Glider.PowerShell.Loader.GliderLoadContext]::LoadModuleAssembly()) -ErrorAction Stop
    # Imported only so that [Glider.Client.*] type literals (catch blocks, -is tests) resolve in users' scripts.
    Import-Module -Assembly ([Glider.PowerShell.Loader.GliderLoadContext]::LoadClientAssembly()) -ErrorAction Stop
}
else {
    Import-Module -Name ([System.IO.Path]::Combine($PSScriptRoot, 'bin', 'desktop', 'GliderPS.dll')) -ErrorAction Stop
}
