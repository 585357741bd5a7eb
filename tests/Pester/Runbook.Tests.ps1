#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.7.1' }

# The runbook pattern the README, about_GliderPS and tools/Demo.ps1 teach: wait for every run, write every result and
# every error, and only then fail the job when anything failed. (-ErrorAction Stop on the wait would stop at the first
# failed operation and never write the others.)

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'GliderTestHelper.psm1') -Force
    $emu = Initialize-GliderTest

    # The pattern as the README writes it, run in a child scope as a runbook job would run it.
    $runbook = {
        [CmdletBinding()]
        param([string[]] $PortfolioId)
        $PortfolioId | Invoke-GliderRebalance -ErrorVariable +problems |
            Wait-GliderOperation -Timeout 600 -PollIntervalSec 1 -ErrorVariable +problems
        if ($problems) { throw "$($problems.Count) rebalance(s) did not complete; every result and error is written above." }
    }
}

AfterAll {
    Complete-GliderTest
}

Describe 'The runbook pattern' {
    BeforeEach {
        Reset-GliderTestEmulator -OperationMs 600
    }

    It 'writes every result and every error, then fails the job once at the end' {
        Set-GliderTestOutcome -PortfolioId pf_acme_0012 -Outcome failed -ErrorMessage 'Slippage above 2% on ETH/USDC'
        # pf_acme_0014 is put in its cooldown first, so its trigger fails before any wait.
        $null = Invoke-GliderRebalance -PortfolioId pf_acme_0014 -Wait -Timeout 60 -PollIntervalSec 1
        $null = Invoke-GliderEmulator $emu DELETE requests

        $written = [System.Collections.Generic.List[object]]::new()
        $thrown = $null
        try {
            & $runbook -PortfolioId pf_acme_0011, pf_acme_0012, pf_acme_0013, pf_acme_0014 2>&1 |
                ForEach-Object { $written.Add($_) }
        }
        catch { $thrown = $_ }

        # Every operation that started was waited for and written, the failed one included.
        $operations = @($written | Where-Object { $_ -is [Glider.Client.Models.Operation] })
        @($operations | Sort-Object PortfolioId | ForEach-Object { "$($_.PortfolioId)=$($_.State)" }) |
            Should -Be 'pf_acme_0011=completed', 'pf_acme_0012=failed', 'pf_acme_0013=completed'
        # Both problems reached the error stream as they happened (the job log shows them) ...
        @($written | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] } |
            ForEach-Object { $_.FullyQualifiedErrorId.Split(',')[0] } | Sort-Object) |
            Should -Be 'GliderOperationFailed', 'GliderRebalanceCooldown'
        # ... and the job failed at the end, once, counting them.
        $thrown | Should -Not -BeNullOrEmpty
        "$thrown" | Should -BeLike '2 rebalance(s) did not complete*'
        @(Get-GliderTestRequest -Method POST) | Should -HaveCount 4
    }

    It 'ends without an error when every rebalance completed' {
        $written = & $runbook -PortfolioId pf_acme_0015, pf_acme_0016
        @($written.State) | Should -Be 'completed', 'completed'
    }
}

# The runbooks of the README and about_GliderPS, verbatim, each run as Azure Automation runs a job: a new process, the
# module auto-loaded, Get-AutomationPSCredential handing out the credential asset, PowerShell's default error action.
# A job ends Failed only when the script throws (here: a non-zero exit code); a nightly job that ends Completed having
# done nothing is the outcome these tests exist to rule out.
BeforeDiscovery {
    $repoRoot = [System.IO.Path]::GetFullPath((Join-Path $PSScriptRoot '../..'))

    # The first powershell block after a heading, exactly as the page shows it.
    function Get-DocumentedBlock([string] $Path, [string] $Heading) {
        $lines = Get-Content -LiteralPath $Path
        $start = [array]::IndexOf($lines, $Heading)
        if ($start -lt 0) { throw "No heading '$Heading' in $Path." }
        $open = $null
        for ($i = $start + 1; $i -lt $lines.Count; $i++) {
            if ($null -eq $open -and $lines[$i] -eq '```powershell') { $open = $i; continue }
            if ($null -ne $open -and $lines[$i] -eq '```') { return ($lines[($open + 1)..($i - 1)] -join "`n") }
        }
        throw "No powershell block after '$Heading' in $Path."
    }

    $readme = Join-Path $repoRoot 'README.md'
    $about = Join-Path $repoRoot 'docs/help/about_GliderPS.md'
    $runbooks = @(
        @{ Name = 'README: In Azure Automation'; Code = Get-DocumentedBlock $readme '### In Azure Automation' }
        @{ Name = 'about: the runbook pattern'; Code = Get-DocumentedBlock $about '## The runbook pattern: wait for everything, then fail' }
        # Its horizon skips the portfolios due within two hours; the seed's are all due within minutes.
        @{ Name = 'about: nightly rebalance'; Code = Get-DocumentedBlock $about '## Runbook: nightly rebalance'; Arguments = '-NotDueWithinHours 0' }
        @{ Name = 'about: retry on cooldown'; Code = Get-DocumentedBlock $about '## Runbook: retry on cooldown' }
    )
    $listingRunbooks = @($runbooks | Where-Object { $_.Code -match 'Get-GliderPortfolio' })
}

Describe 'The documented runbooks, run as jobs' {
    BeforeAll {
        Import-Module (Join-Path $PSScriptRoot 'Support/ChildPwsh.psm1') -Force
        $script:ModuleRoot = ([System.IO.DirectoryInfo]::new((Get-GliderTestModulePath))).Parent.FullName

        function Invoke-DocumentedRunbook([string] $Code, [string] $Arguments, [string] $Key) {
            $file = Join-Path ([System.IO.Path]::GetTempPath()) "glider-runbook-$([guid]::NewGuid().ToString('N')).ps1"
            Set-Content -LiteralPath $file -Value $Code
            $environment = @{
                PSModulePath                 = $script:ModuleRoot + [System.IO.Path]::PathSeparator + $env:PSModulePath
                GLIDER_BASE_URI              = (Get-GliderTestEmulator).BaseUri
                GLIDERPS_TEST_CREDENTIAL_KEY = $Key
                GLIDER_API_KEY               = ''
            }
            # A runbook that never connects runs on the job's GLIDER_API_KEY.
            if ($Code -notmatch 'Connect-Glider') { $environment.GLIDER_API_KEY = $Key }
            try {
                $result = Invoke-ChildPwsh -AsWritten -Environment $environment -TimeoutSec 180 -Script @"
`$ErrorView = 'NormalView'
function global:Get-AutomationPSCredential {
    param([Parameter(Mandatory)] [string] `$Name)
    [pscredential]::new(`$Name, (ConvertTo-SecureString `$env:GLIDERPS_TEST_CREDENTIAL_KEY -AsPlainText -Force))
}
& '$file' $Arguments
"@
                [pscustomobject]@{
                    ExitCode = $result.ExitCode
                    Text     = (@($result.Output) + $result.Error) -join "`n"
                    Posts    = @(Get-GliderTestRequest -Method POST)
                }
            }
            finally {
                Remove-Item -LiteralPath $file -ErrorAction Ignore
            }
        }
    }

    BeforeEach {
        # Six portfolios keep a run short: 0001-0004 and 0006 are active, 0005 is paused.
        $null = Invoke-GliderEmulator (Get-GliderTestEmulator) POST reset @{ portfolioCount = 6 }
        $null = Invoke-GliderEmulator (Get-GliderTestEmulator) PUT timings @{ operationMs = 400; cooldownSeconds = 30 }
        $null = Invoke-GliderEmulator (Get-GliderTestEmulator) DELETE requests
    }

    It '<Name>: a wrong key fails the job, and nothing is triggered' -TestCases $runbooks {
        $run = Invoke-DocumentedRunbook $Code $Arguments (Get-GliderTestKey Unknown)
        $run.ExitCode | Should -Not -Be 0 -Because $run.Text
        $run.Text | Should -Match 'GliderAuthenticationFailed'
        # A runbook without Connect-Glider learns of the key on its first trigger, which the API refuses.
        @($run.Posts | Where-Object status -lt 400) | Should -HaveCount 0
    }

    It '<Name>: a listing that fails fails the job, and nothing is triggered' -TestCases $listingRunbooks {
        $null = Add-GliderTestFault @{ method = 'GET'; pathContains = '/v2/portfolios'; kind = 'status'; status = 503; retryAfter = '0' }
        $run = Invoke-DocumentedRunbook $Code $Arguments (Get-GliderTestKey ReadWrite)
        $run.ExitCode | Should -Not -Be 0 -Because $run.Text
        $run.Text | Should -Match 'GliderServerError'
        $run.Posts | Should -HaveCount 0
    }

    It '<Name>: a failed rebalance fails the job after the others were written' -TestCases $runbooks {
        Set-GliderTestOutcome -PortfolioId pf_acme_0002 -Outcome failed -ErrorMessage 'Slippage above 2% on ETH/USDC'
        $run = Invoke-DocumentedRunbook $Code $Arguments (Get-GliderTestKey ReadWrite)
        $run.ExitCode | Should -Not -Be 0 -Because $run.Text
        $run.Text | Should -Match 'Slippage above 2% on ETH/USDC'
        @($run.Posts.rawTarget) | Should -Contain '/v2/portfolios/pf_acme_0002/rebalance'
    }

    It '<Name>: a clean run completes the job' -TestCases $runbooks {
        $run = Invoke-DocumentedRunbook $Code $Arguments (Get-GliderTestKey ReadWrite)
        $run.ExitCode | Should -Be 0 -Because $run.Text
        $run.Text | Should -Not -Match 'Glider[A-Za-z]+(Error|Failed)'
        $expected = if ($Code -match 'Get-GliderPortfolio') { 5 } else { 2 }
        $run.Posts | Should -HaveCount $expected
        $run.Text | Should -Match 'completed'
    }
}
