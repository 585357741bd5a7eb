# Runs a script in a fresh PowerShell process: what a new Azure Automation job or a user's new shell sees.

function Invoke-ChildPwsh {
    <#
    .SYNOPSIS
        Runs -Script in a new pwsh (the same PowerShell as this one) and returns its exit code and output lines.
    #>
    param(
        [Parameter(Mandatory)] [string] $Script,
        [hashtable] $Environment = @{},
        [int] $TimeoutSec = 120
    )
    $startInfo = [System.Diagnostics.ProcessStartInfo]::new('dotnet')
    # pwsh is a local dotnet tool here; its pwsh.dll runs from any working directory.
    foreach ($argument in @((Join-Path $PSHOME 'pwsh.dll'), '-NoProfile', '-NonInteractive', '-Command', '-')) {
        $startInfo.ArgumentList.Add($argument)
    }
    $startInfo.UseShellExecute = $false
    $startInfo.RedirectStandardInput = $true
    $startInfo.RedirectStandardOutput = $true
    $startInfo.RedirectStandardError = $true
    foreach ($name in $Environment.Keys) { $startInfo.Environment[$name] = [string] $Environment[$name] }
    $process = [System.Diagnostics.Process]::Start($startInfo)
    $stdout = $process.StandardOutput.ReadToEndAsync()
    $stderr = $process.StandardError.ReadToEndAsync()
    $process.StandardInput.WriteLine($Script)
    $process.StandardInput.Close()
    if (-not $process.WaitForExit($TimeoutSec * 1000)) {
        $process.Kill($true)
        throw "The child pwsh did not finish within $TimeoutSec s."
    }
    [pscustomobject]@{
        ExitCode = $process.ExitCode
        Output   = @($stdout.Result -split "`r?`n" | Where-Object { $_ -ne '' })
        Error    = $stderr.Result
    }
}

function Get-NuGetPackageFolder([string] $Id, [string] $Version) {
    $root = ((& dotnet nuget locals global-packages --list) -replace '^global-packages:\s*', '').Trim()
    Join-Path $root "$($Id.ToLowerInvariant())/$Version"
}

Export-ModuleMember -Function Invoke-ChildPwsh, Get-NuGetPackageFolder
