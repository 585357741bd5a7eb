# Loads the build of the cmdlets that matches the running PowerShell:
#   bin/core    - net8.0, for PowerShell 7.4+ (uses the runtime's own System.Text.Json)
#   bin/desktop - netstandard2.0, for Windows PowerShell 5.1
# Kept to a few lines on purpose: this file runs on every import.
$edition = if ($PSEdition -eq 'Core') { 'core' } else { 'desktop' }
Import-Module -Name ([System.IO.Path]::Combine($PSScriptRoot, 'bin', $edition, 'GliderPS.dll')) -ErrorAction Stop
