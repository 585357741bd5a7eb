# Starts, drives and stops the local Glider API emulator (tests/Glider.Emulator) from PowerShell.
# Used by the demo, the benchmarks and the Pester suite, so there is one way to run it.

Set-StrictMode -Version 3.0

function Get-GliderEmulatorDll {
    if ($env:GLIDER_EMULATOR_DLL) { return $env:GLIDER_EMULATOR_DLL }
    [System.IO.Path]::Combine($PSScriptRoot, '..', 'tests', 'Glider.Emulator', 'bin', 'Release', 'net10.0', 'Glider.Emulator.dll')
}

function Start-GliderEmulator {
    <#
    .SYNOPSIS
        Starts the emulator on 127.0.0.1 and a free port; returns an object with BaseUri (no /v2) and the process.
    #>
    [CmdletBinding()]
    param(
        [string] $EmulatorDll = (Get-GliderEmulatorDll),
        [string[]] $ArgumentList = @(),
        [int] $StartTimeoutSec = 30
    )
    if (-not (Test-Path -LiteralPath $EmulatorDll)) {
        throw "The emulator is not built: $EmulatorDll is missing. Run 'dotnet pwsh ./build.ps1 Build' first."
    }
    $startInfo = [System.Diagnostics.ProcessStartInfo]::new('dotnet')
    foreach ($argument in @($EmulatorDll, '--urls', 'http://127.0.0.1:0', '--exit-on-stdin-close') + $ArgumentList) {
        $startInfo.ArgumentList.Add($argument)
    }
    $startInfo.UseShellExecute = $false
    $startInfo.RedirectStandardInput = $true
    $startInfo.RedirectStandardOutput = $true
    $startInfo.RedirectStandardError = $true
    $process = [System.Diagnostics.Process]::Start($startInfo)

    # Reading the start-up line must not hang the caller forever if the emulator dies or never listens.
    $readLine = $process.StandardOutput.ReadLineAsync()
    $deadline = [DateTime]::UtcNow.AddSeconds($StartTimeoutSec)
    $baseUri = $null
    while ([DateTime]::UtcNow -lt $deadline) {
        if (-not $readLine.Wait(200)) {
            if ($process.HasExited) { break }
            continue
        }
        $line = $readLine.Result
        if ($null -eq $line) { break }
        if ($line -like 'GLIDER_EMULATOR_URL=*') {
            $baseUri = $line.Substring('GLIDER_EMULATOR_URL='.Length).Trim()
            break
        }
        $readLine = $process.StandardOutput.ReadLineAsync()
    }
    if (-not $baseUri) {
        $errorText = if ($process.HasExited) { $process.StandardError.ReadToEnd() } else { '' }
        if (-not $process.HasExited) { $process.Kill($true) }
        throw "The emulator did not report its URL within $StartTimeoutSec s. $errorText"
    }
    # Drain the rest of its output so a full pipe never blocks it.
    $null = $process.StandardOutput.ReadToEndAsync()
    $null = $process.StandardError.ReadToEndAsync()
    [pscustomobject]@{
        PSTypeName = 'GliderEmulator'
        BaseUri    = $baseUri.TrimEnd('/')
        Process    = $process
    }
}

function Stop-GliderEmulator {
    [CmdletBinding()]
    param([Parameter(Mandatory, ValueFromPipeline)] $Emulator)
    process {
        $process = $Emulator.Process
        if ($process.HasExited) { return }
        try { $process.StandardInput.Close() } catch { $null = $_ }
        if (-not $process.WaitForExit(5000)) { $process.Kill($true) }
        $process.Dispose()
    }
}

function Invoke-GliderEmulator {
    <#
    .SYNOPSIS
        Calls the emulator's control API (/_emulator/...), e.g. Invoke-GliderEmulator $emu POST reset.
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory, Position = 0)] $Emulator,
        [Parameter(Mandatory, Position = 1)] [ValidateSet('GET', 'POST', 'PUT', 'DELETE')] [string] $Method,
        [Parameter(Mandatory, Position = 2)] [string] $Path,
        [Parameter(Position = 3)] $Body
    )
    $parameters = @{
        Method = $Method
        Uri    = "$($Emulator.BaseUri)/_emulator/$($Path.TrimStart('/'))"
    }
    # An emulator serving https (--tls-certificate) has a certificate the tests made for it; its control API is ours.
    if ($Emulator.BaseUri -like 'https://*') { $parameters.SkipCertificateCheck = $true }
    if ($null -ne $Body) {
        $parameters.Body = ($Body | ConvertTo-Json -Depth 10 -Compress)
        $parameters.ContentType = 'application/json'
    }
    Invoke-RestMethod @parameters
}

Export-ModuleMember -Function Start-GliderEmulator, Stop-GliderEmulator, Invoke-GliderEmulator, Get-GliderEmulatorDll
