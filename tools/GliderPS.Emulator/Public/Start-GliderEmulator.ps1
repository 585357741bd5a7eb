function Start-GliderEmulator {
    <#
    .SYNOPSIS
        Starts the Glider API emulator on 127.0.0.1 and a free port, and returns once it listens.
    .DESCRIPTION
        Returns an object with BaseUri (http://127.0.0.1:PORT, no /v2: what Connect-Glider -BaseUri takes), ApiKey
        (the read-write demo key), Process, ProcessId and EmulatorPath (what was started), and, when GliderPS is imported, Connection: a ready
        connection for any GliderPS cmdlet's -Connection. The emulator stops with Stop-GliderEmulator, and also when
        this PowerShell process ends (it watches its standard input).
    .PARAMETER Scenario
        A scenario file (JSON): portfolios, timings, limits, outcomes, outcomeShares, faults. See the emulator README.
    .PARAMETER ArgumentList
        More emulator options, e.g. '--operation-ms', '500' ('glider-emulator --help' lists them).
    .PARAMETER EmulatorPath
        The emulator to run: Glider.Emulator.dll or the glider-emulator command. By default the one this module came with.
    .EXAMPLE
        $emulator = Start-GliderEmulator -Scenario ./scenario.json
        Get-GliderPortfolio -Connection $emulator.Connection
    #>
    [CmdletBinding()]
    [OutputType('GliderEmulator')]
    param(
        [string] $Scenario,
        [string[]] $ArgumentList = @(),
        [Alias('EmulatorDll')] [string] $EmulatorPath,
        [ValidateRange(1, 600)] [int] $StartTimeoutSec = 30
    )
    $launcher = Resolve-GliderEmulatorLauncher -EmulatorPath $EmulatorPath
    $startInfo = [System.Diagnostics.ProcessStartInfo]::new($launcher.FilePath)
    $arguments = @($launcher.Prefix) + @('--urls', 'http://127.0.0.1:0', '--exit-on-stdin-close')
    if ($Scenario) {
        # The emulator resolves a relative path from its own working directory; PowerShell's location may differ.
        $arguments += @('--scenario', (Resolve-Path -LiteralPath $Scenario -ErrorAction Stop).ProviderPath)
    }
    foreach ($argument in $arguments + $ArgumentList) { $startInfo.ArgumentList.Add($argument) }
    $startInfo.UseShellExecute = $false
    $startInfo.RedirectStandardInput = $true
    $startInfo.RedirectStandardOutput = $true
    $startInfo.RedirectStandardError = $true
    $startInfo.WorkingDirectory = (Get-Location -PSProvider FileSystem).ProviderPath
    $process = [System.Diagnostics.Process]::Start($startInfo)
    # Standard error is read from the start, so a refused option's message is there when the process has exited.
    $errorText = $process.StandardError.ReadToEndAsync()

    # Reading the start-up line must not hang the caller if the emulator dies or never listens.
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
        if (-not $process.HasExited) { $process.Kill($true) }
        $null = $process.WaitForExit(5000)
        $reason = if ($errorText.Wait(2000)) { $errorText.Result.Trim() } else { '' }
        $exitCode = if ($process.HasExited) { " (exit code $($process.ExitCode))" } else { '' }
        throw "The emulator did not report its URL within $StartTimeoutSec s$exitCode. $reason"
    }
    # Drain the rest of its output so a full pipe never blocks it.
    $null = $process.StandardOutput.ReadToEndAsync()

    $apiKey = 'gldr_sk_demo_rw_4f8a2c9e7b1d6053'
    $emulator = [pscustomobject]@{
        PSTypeName = 'GliderEmulator'
        BaseUri    = $baseUri.TrimEnd('/')
        ApiKey     = $apiKey
        Process    = $process
        ProcessId  = $process.Id
        EmulatorPath = $launcher.Path
        Connection = $null
    }
    # GliderPS is optional here: the emulator is also useful to scripts that call the API directly.
    if (Get-Command -Name 'New-GliderConnection' -ErrorAction Ignore) {
        $secureKey = ConvertTo-SecureString -String $apiKey -AsPlainText -Force
        # No validation call: a rehearsal's request log should hold only what the runbook sent.
        $emulator.Connection = New-GliderConnection -ApiKey $secureKey -BaseUri $emulator.BaseUri -SkipValidation
    }
    $script:CurrentEmulator = $emulator
    $emulator
}
