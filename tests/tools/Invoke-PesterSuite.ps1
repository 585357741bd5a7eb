<#
.SYNOPSIS
    Runs the Pester suite in its own process (so the module under test never loads into build.ps1) and writes
    the pass/fail/skip counts as JSON for build.ps1 to add to the xunit totals.
#>
param(
    [Parameter(Mandatory)] [string] $PesterManifest,
    [Parameter(Mandatory)] [string] $TestPath,
    [Parameter(Mandatory)] [string] $SummaryPath,
    [Parameter(Mandatory)] [string] $ResultPath
)

Import-Module -Name $PesterManifest -Force -ErrorAction Stop

$configuration = New-PesterConfiguration
$configuration.Run.Path = $TestPath
$configuration.Run.PassThru = $true
$configuration.Output.Verbosity = 'Detailed'
$configuration.TestResult.Enabled = $true
$configuration.TestResult.OutputFormat = 'NUnitXml'
$configuration.TestResult.OutputPath = $ResultPath

$result = Invoke-Pester -Configuration $configuration
$containerErrors = @($result.Containers | Where-Object { $_.Result -eq 'Failed' -and $_.FailedCount -eq 0 }).Count

[pscustomobject]@{
    Passed          = $result.PassedCount
    Failed          = $result.FailedCount + $result.FailedBlocksCount
    Skipped         = $result.SkippedCount
    ContainerErrors = $containerErrors
} | ConvertTo-Json | Set-Content -Path $SummaryPath
