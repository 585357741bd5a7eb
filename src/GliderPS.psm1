# Loads the build of the cmdlets that matches the running PowerShell:
#   bin/core    - net8.0, for PowerShell 7.4+, inside a load context of its own (GliderPS.Loader) so that a
#                 different Polly loaded by another module cannot conflict; the runtime's System.Text.Json is shared.
#   bin/desktop - netstandard2.0, for Windows PowerShell 5.1 (one AppDomain: no isolation is possible there).
# Kept to a few lines on purpose: this file runs on every import.
if ($PSEdition -eq 'Core') {
    $null = [System.Reflection.Assembly]::LoadFrom([System.IO.Path]::Combine($PSScriptRoot, 'bin', 'core', 'GliderPS.Loader.dll'))
    $importedBefore = [Glider.PowerShell.Loader.GliderLoadContext]::IsModuleAssemblyLoaded
    $moduleAssembly = [Glider.PowerShell.Loader.GliderLoadContext]::LoadModuleAssembly()
    $clientAssembly = [Glider.PowerShell.Loader.GliderLoadContext]::LoadClientAssembly()
    # The load context hands back the same assemblies on every import. On 'Import-Module GliderPS -Force' PowerShell
    # would then reuse the previous import's module objects and leave this one without cmdlets, so drop those first.
    # The first import in a process has none to drop and skips the search (it is a measurable part of import time).
    if ($importedBefore) {
        Get-Module -All -Name 'dynamic_code_module_Glider*' |
            Where-Object { $_.ImplementingAssembly -eq $moduleAssembly -or $_.ImplementingAssembly -eq $clientAssembly } |
            Remove-Module -Force
    }
    Import-Module -Assembly $moduleAssembly -ErrorAction Stop
    # Imported only so that [Glider.Client.*] type literals (catch blocks, -is tests) resolve in users' scripts.
    Import-Module -Assembly $clientAssembly -ErrorAction Stop
}
else {
    Import-Module -Name ([System.IO.Path]::Combine($PSScriptRoot, 'bin', 'desktop', 'GliderPS.dll')) -ErrorAction Stop
}
