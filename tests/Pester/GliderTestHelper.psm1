# Shared by every tests/Pester/*.Tests.ps1: imports the STAGED module (out/GliderPS, or GLIDERPS_MODULE_PATH), starts
# and drives the emulator through the repository's one launcher (tools/GliderPS.Emulator, the module that ships in the glider-emulator tool), and holds the demo keys.
# Every test talks to a local emulator only; nothing here needs a network service.

Set-StrictMode -Version 3.0

$script:RepoRoot = [System.IO.Path]::GetFullPath([System.IO.Path]::Combine($PSScriptRoot, '..', '..'))
Import-Module ([System.IO.Path]::Combine($script:RepoRoot, 'tools', 'GliderPS.Emulator', 'GliderPS.Emulator.psd1')) -Force

# Demo keys of the emulator (tests/Glider.Emulator/README.md). Not secrets: they only open the local emulator.
$script:Keys = @{
    ReadWrite = 'gldr_sk_demo_rw_4f8a2c9e7b1d6053'
    ReadOnly  = 'gldr_sk_demo_ro_9c3e5a7f1b2d4086'
    Tenant2   = 'gldr_sk_demo_t2_2b7d9f1a3c5e8064'
    Expired   = 'gldr_sk_demo_expired_5e1a7c3b9d2f'
    Unknown   = 'gldr_sk_not_a_real_key_0000000000'
}

$script:Emulator = $null

function Get-GliderTestModulePath {
    if ($env:GLIDERPS_MODULE_PATH) { return $env:GLIDERPS_MODULE_PATH }
    [System.IO.Path]::Combine($script:RepoRoot, 'out', 'GliderPS')
}

function Get-GliderTestKey {
    param([ValidateSet('ReadWrite', 'ReadOnly', 'Tenant2', 'Expired', 'Unknown')] [string] $Name = 'ReadWrite')
    $script:Keys[$Name]
}

function Get-GliderTestSecureKey {
    param([ValidateSet('ReadWrite', 'ReadOnly', 'Tenant2', 'Expired', 'Unknown')] [string] $Name = 'ReadWrite')
    ConvertTo-SecureString -String $script:Keys[$Name] -AsPlainText -Force
}

function Initialize-GliderTest {
    <#
    .SYNOPSIS
        Imports the staged module into the global scope (where the tests run) and starts an emulator for this file.
    #>
    [CmdletBinding()]
    param()
    $modulePath = Get-GliderTestModulePath
    if (-not (Test-Path -LiteralPath (Join-Path $modulePath 'GliderPS.psd1'))) {
        throw "The module is not staged at $modulePath. Run 'dotnet pwsh ./build.ps1 Build' first."
    }
    # -Global: imported from inside this helper it would otherwise be visible to the helper only.
    Import-Module -Name (Join-Path $modulePath 'GliderPS.psd1') -Global -ErrorAction Stop
    # A test file must never pick up a developer's real key or endpoint.
    Remove-Item -Path Env:GLIDER_API_KEY, Env:GLIDER_BASE_URI -ErrorAction Ignore
    $script:Emulator = Start-GliderEmulator
    $script:Emulator
}

function Complete-GliderTest {
    [CmdletBinding()]
    param()
    if (Get-Command -Name Disconnect-Glider -ErrorAction Ignore) { Disconnect-Glider }
    Remove-Item -Path Env:GLIDER_API_KEY, Env:GLIDER_BASE_URI -ErrorAction Ignore
    if ($script:Emulator) {
        Stop-GliderEmulator -Emulator $script:Emulator
        $script:Emulator = $null
    }
}

function Get-GliderTestEmulator { $script:Emulator }

function Reset-GliderTestEmulator {
    <#
    .SYNOPSIS
        Back to the seed with short timings (a rebalance lasts OperationMs), then connects the runspace with Key.
    #>
    [CmdletBinding()]
    param(
        [int] $OperationMs = 1500,
        [int] $CooldownSeconds = 30,
        [ValidateSet('ReadWrite', 'ReadOnly', 'Tenant2', 'None')] [string] $Key = 'ReadWrite'
    )
    $null = Invoke-GliderEmulator $script:Emulator POST reset
    $null = Invoke-GliderEmulator $script:Emulator PUT timings @{ operationMs = $OperationMs; cooldownSeconds = $CooldownSeconds }
    Remove-Item -Path Env:GLIDER_API_KEY, Env:GLIDER_BASE_URI -ErrorAction Ignore
    Disconnect-Glider
    if ($Key -ne 'None') {
        Connect-Glider -ApiKey (Get-GliderTestSecureKey $Key) -BaseUri $script:Emulator.BaseUri -SkipValidation
    }
    # The connect above sent nothing (-SkipValidation); clear anyway so each test starts with an empty log.
    $null = Invoke-GliderEmulator $script:Emulator DELETE requests
}

function Get-GliderTestRequest {
    <#
    .SYNOPSIS
        The emulator's request log (oldest first), optionally only one method and/or a path fragment.
    #>
    [CmdletBinding()]
    param([string] $Method, [string] $PathLike)
    # The emulator logs a request after it has sent the response, so the client can be done a moment before the log
    # knows: read until two reads 50 ms apart agree (so both "was sent" and "was not sent" assertions are sound).
    $entries = @(Read-GliderTestRequestLog)
    for ($attempt = 0; $attempt -lt 20; $attempt++) {
        Start-Sleep -Milliseconds 50
        $again = @(Read-GliderTestRequestLog)
        if ($again.Count -eq $entries.Count) { break }
        $entries = $again
    }
    @($entries | Where-Object {
            (-not $Method -or $_.method -eq $Method) -and (-not $PathLike -or $_.rawTarget -like $PathLike)
        })
}

function Read-GliderTestRequestLog {
    # The log may come back as one array object; flatten it.
    foreach ($entry in @(Invoke-GliderEmulator $script:Emulator GET requests)) { $entry }
}

function Set-GliderTestOutcome {
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)] [string] $PortfolioId,
        [Parameter(Mandatory)] [ValidateSet('completed', 'failed', 'cancelled')] [string] $Outcome,
        [string] $ErrorMessage,
        [string[]] $Via
    )
    $body = @{ outcome = $Outcome }
    if ($ErrorMessage) { $body.error = $ErrorMessage }
    if ($Via) { $body.via = $Via }
    $null = Invoke-GliderEmulator $script:Emulator PUT "outcomes/$PortfolioId" $body
}

function Set-GliderTestTiming {
    [CmdletBinding()]
    param([Parameter(Mandatory)] [hashtable] $Timing)
    $null = Invoke-GliderEmulator $script:Emulator PUT timings $Timing
}

function Add-GliderTestFault {
    [CmdletBinding()]
    param([Parameter(Mandatory)] [hashtable] $Rule)
    Invoke-GliderEmulator $script:Emulator POST faults $Rule
}

function Get-GliderTestStat {
    Invoke-GliderEmulator $script:Emulator GET stats
}

function Wait-GliderTestCondition {
    <#
    .SYNOPSIS
        Polls Condition until it is true or TimeoutSec passes; returns whether it became true.
    #>
    param([Parameter(Mandatory)] [scriptblock] $Condition, [double] $TimeoutSec = 10)
    $deadline = [DateTime]::UtcNow.AddSeconds($TimeoutSec)
    while ([DateTime]::UtcNow -lt $deadline) {
        if (& $Condition) { return $true }
        Start-Sleep -Milliseconds 50
    }
    [bool] (& $Condition)
}

function New-GliderTestRunspace {
    <#
    .SYNOPSIS
        A [powershell] in a fresh runspace with the staged module imported: for Ctrl+C (.Stop()) and per-runspace tests.
    #>
    $ps = [powershell]::Create()
    $null = $ps.AddCommand('Import-Module').AddParameter('Name', (Join-Path (Get-GliderTestModulePath) 'GliderPS.psd1')).AddParameter('ErrorAction', 'Stop')
    $null = $ps.Invoke()
    $ps.Commands.Clear()
    $ps
}

function Get-PwshCommandLine {
    <#
    .SYNOPSIS
        How to start another PowerShell like this one: pwsh itself, or 'dotnet <PSHOME>/pwsh.dll' when this one runs as a
        dotnet tool (then the process path is dotnet, and pwsh.dll sits in $PSHOME).
    #>
    $processPath = [Environment]::ProcessPath
    if ([System.IO.Path]::GetFileNameWithoutExtension($processPath) -eq 'dotnet') {
        return @($processPath, (Join-Path $PSHOME 'pwsh.dll'))
    }
    @($processPath)
}

Export-ModuleMember -Function @(
    'Get-GliderTestModulePath', 'Get-GliderTestKey', 'Get-GliderTestSecureKey', 'Initialize-GliderTest', 'Complete-GliderTest',
    'Get-GliderTestEmulator', 'Reset-GliderTestEmulator', 'Get-GliderTestRequest', 'Set-GliderTestOutcome', 'Set-GliderTestTiming',
    'Add-GliderTestFault', 'Get-GliderTestStat', 'Read-GliderTestRequestLog', 'Wait-GliderTestCondition', 'New-GliderTestRunspace', 'Get-PwshCommandLine',
    'Invoke-GliderEmulator'
)
