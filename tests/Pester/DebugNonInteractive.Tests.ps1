#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.7.1' }

# -Debug asks to see more, never to be asked: PowerShell turns it into "Inquire" for a compiled cmdlet's verbose and
# warning lines, which prompted interactively and failed under -NonInteractive (Azure Automation, CI) after the request
# had gone out. Each cmdlet runs here with -Debug in a -NonInteractive child whose stdin is closed.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'GliderTestHelper.psm1') -Force
    $emu = Initialize-GliderTest

    function Invoke-NonInteractiveChild([string] $Script, [switch] $Interactive) {
        $commandLine = @(Get-PwshCommandLine)
        $start = [System.Diagnostics.ProcessStartInfo]::new($commandLine[0])
        $scriptPath = Join-Path $TestDrive ('child-{0}.ps1' -f [guid]::NewGuid())
        Set-Content -LiteralPath $scriptPath -Value $Script
        $mode = if ($Interactive) { @() } else { @('-NonInteractive') }
        foreach ($argument in @($commandLine | Select-Object -Skip 1) + @('-NoProfile') + $mode + @('-File', $scriptPath)) {
            $start.ArgumentList.Add($argument)
        }
        $start.RedirectStandardInput = $true
        $start.RedirectStandardOutput = $true
        $start.RedirectStandardError = $true
        $start.UseShellExecute = $false
        $start.Environment['GLIDER_API_KEY'] = Get-GliderTestKey ReadWrite
        $start.Environment['GLIDER_BASE_URI'] = $emu.BaseUri
        $start.Environment['GLIDERPS_MODULE_PATH'] = Get-GliderTestModulePath
        $process = [System.Diagnostics.Process]::Start($start)
        try {
            # Closed at once: a prompt would read end-of-file (in Azure Automation there is nobody to answer).
            $process.StandardInput.Close()
            $stdout = $process.StandardOutput.ReadToEndAsync()
            $stderr = $process.StandardError.ReadToEndAsync()
            if (-not $process.WaitForExit(120000)) { $process.Kill($true); throw 'The child pwsh did not end within 2 minutes.' }
            [pscustomobject]@{ Output = $stdout.Result; Errors = $stderr.Result; ExitCode = $process.ExitCode }
        }
        finally { $process.Dispose() }
    }
}

AfterAll {
    Complete-GliderTest
}

Describe '-Debug in a -NonInteractive session with stdin closed' {
    BeforeEach {
        Reset-GliderTestEmulator -Key None
    }

    It 'runs every cmdlet to the end, shows debug output, and never prompts' {
        $script = @'
$ErrorActionPreference = 'Continue'
Import-Module (Join-Path $env:GLIDERPS_MODULE_PATH 'GliderPS.psd1') -ErrorAction Stop
$steps = [ordered]@{
    'Connect-Glider'          = { Connect-Glider -Debug }
    'New-GliderConnection'    = { $null = New-GliderConnection -Debug }
    'Get-GliderContext'       = { $null = Get-GliderContext -Debug }
    'Get-GliderPortfolio id'  = { $null = Get-GliderPortfolio -PortfolioId pf_acme_0001 -Debug }
    'Get-GliderPortfolio all' = { $null = Get-GliderPortfolio -Status paused -Debug }
    'Invoke-GliderRebalance'  = { $script:submission = Invoke-GliderRebalance -PortfolioId pf_acme_0002 -Debug }
    'Get-GliderOperation'     = { $null = $script:submission | Get-GliderOperation -Debug }
    'Wait-GliderOperation'    = { $null = $script:submission | Wait-GliderOperation -Timeout 60 -PollIntervalSec 1 -Debug }
    'Invoke -Wait'            = { $null = Invoke-GliderRebalance -PortfolioId pf_acme_0003 -Wait -Timeout 60 -PollIntervalSec 1 -Debug }
    'Suspend-GliderPortfolio' = { $null = Suspend-GliderPortfolio -PortfolioId pf_acme_0004 -Debug }
    'Resume-GliderPortfolio'  = { $null = Resume-GliderPortfolio -PortfolioId pf_acme_0004 -Debug }
    'Disconnect-Glider'       = { Disconnect-Glider -Debug }
}
foreach ($name in $steps.Keys) {
    try {
        $errorsBefore = $Error.Count
        & $steps[$name]
        if ($Error.Count -gt $errorsBefore) { "STEP-FAILED $name : $($Error[0])" } else { "STEP-OK $name" }
    }
    catch { "STEP-FAILED $name : $_" }
}
'@
        $result = Invoke-NonInteractiveChild $script
        $lines = $result.Output -split "`r?`n"
        @($lines | Where-Object { $_ -like 'STEP-FAILED*' }) | Should -BeNullOrEmpty -Because ($result.Output + $result.Errors)
        @($lines | Where-Object { $_ -like 'STEP-OK*' }) | Should -HaveCount 12
        $result.Output | Should -Match 'DEBUG: Glider connection'
        # The per-request traces (verbose lines) are shown too, through the debug stream.
        $result.Output | Should -Match 'DEBUG: VERBOSE: POST http://127\.0\.0\.1:\d+/v2/portfolios/pf_acme_0002/rebalance -> 202'
        $result.Output | Should -Not -Match 'NonInteractive mode'
        $result.Errors | Should -Not -Match 'NonInteractive mode|NullReferenceException'

        # Every request went out once: nothing was cut short by a prompt.
        @(Get-GliderTestRequest -Method POST -PathLike '*/rebalance') | Should -HaveCount 2
        @(Get-GliderTestRequest -Method POST -PathLike '*/pf_acme_0004/*') | Should -HaveCount 2
    }

    It 'does not end in a NullReferenceException in an interactive session whose stdin is closed' {
        # Without -NonInteractive the prompt read end-of-file from the closed stdin and failed inside WriteVerbose.
        $script = @'
Import-Module (Join-Path $env:GLIDERPS_MODULE_PATH 'GliderPS.psd1') -ErrorAction Stop
try { $count = @(Get-GliderPortfolio -Debug).Count; "LISTED $count" } catch { "FAILED: $($_.Exception.GetType().FullName): $_" }
'@
        $result = Invoke-NonInteractiveChild $script -Interactive
        $result.Output | Should -Match 'LISTED 250' -Because ($result.Output + $result.Errors)
        $result.Output + $result.Errors | Should -Not -Match 'NullReferenceException|FAILED'
        $result.Output | Should -Match 'DEBUG: VERBOSE: Page 2: 50 portfolio\(s\), last page'
    }

    It 'still honours -Verbose:$false next to -Debug' {
        $script = @'
Import-Module (Join-Path $env:GLIDERPS_MODULE_PATH 'GliderPS.psd1') -ErrorAction Stop
Get-GliderPortfolio -PortfolioId pf_acme_0001 -Debug -Verbose:$false | Out-Null
"DONE"
'@
        $result = Invoke-NonInteractiveChild $script
        $result.Output | Should -Match 'DONE'
        $result.Output | Should -Not -Match 'VERBOSE:'
        $result.Output | Should -Match 'DEBUG: Glider connection'
    }
}
