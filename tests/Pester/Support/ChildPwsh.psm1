# Runs a script in a fresh PowerShell process: what a new Azure Automation job or a user's new shell sees.

function Invoke-ChildPwsh {
    <#
    .SYNOPSIS
        Runs -Script in a new pwsh (the same PowerShell as this one) and returns its exit code and output lines.
    #>
    param(
        [Parameter(Mandatory)] [string] $Script,
        [hashtable] $Environment = @{},
        [int] $TimeoutSec = 120,
        # Runs the script as written, with PowerShell's default error action: how a runbook job runs it.
        [switch] $AsWritten
    )
    # A script file rather than -Command -: reading commands from standard input turns on the console's line
    # editing, whose escape sequences would land in the output.
    $scriptFile = Join-Path ([System.IO.Path]::GetTempPath()) "glider-child-$([guid]::NewGuid().ToString('N')).ps1"
    Set-Content -Path $scriptFile -Value $(if ($AsWritten) { $Script } else { "`$ErrorActionPreference = 'Stop'`n" + $Script })
    try {
        $startInfo = [System.Diagnostics.ProcessStartInfo]::new('dotnet')
        # pwsh is a local dotnet tool here; its pwsh.dll runs from any working directory.
        foreach ($argument in @((Join-Path $PSHOME 'pwsh.dll'), '-NoProfile', '-NonInteractive', '-File', $scriptFile)) {
            $startInfo.ArgumentList.Add($argument)
        }
        $startInfo.UseShellExecute = $false
        $startInfo.RedirectStandardOutput = $true
        $startInfo.RedirectStandardError = $true
        $startInfo.Environment['NO_COLOR'] = '1'
        foreach ($name in $Environment.Keys) { $startInfo.Environment[$name] = [string] $Environment[$name] }
        $process = [System.Diagnostics.Process]::Start($startInfo)
        $stdout = $process.StandardOutput.ReadToEndAsync()
        $stderr = $process.StandardError.ReadToEndAsync()
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
    finally {
        Remove-Item -LiteralPath $scriptFile -ErrorAction SilentlyContinue
    }
}

function Get-NuGetPackageFolder([string] $Id, [string] $Version) {
    $root = ((& dotnet nuget locals global-packages --list) -replace '^global-packages:\s*', '').Trim()
    Join-Path $root "$($Id.ToLowerInvariant())/$Version"
}

Export-ModuleMember -Function Invoke-ChildPwsh, Get-NuGetPackageFolder
