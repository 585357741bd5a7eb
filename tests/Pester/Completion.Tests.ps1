# Tab completion: -PortfolioId from the connection's portfolios (cached, never holding the prompt), -Status from its set.

BeforeAll {
    $repoRoot = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path
    $modulePath = if ($env:GLIDERPS_MODULE_PATH) { $env:GLIDERPS_MODULE_PATH } else { Join-Path $repoRoot 'out/GliderPS' }
    Import-Module (Join-Path $repoRoot 'tools/GliderPS.Emulator/GliderPS.Emulator.psd1') -Force
    Import-Module $modulePath -Force
    $emulator = Start-GliderEmulator

    function Get-Completion([string] $InputScript) {
        (TabExpansion2 -inputScript $InputScript -cursorColumn $InputScript.Length).CompletionMatches
    }

    # The control API answers the log as one JSON array; enumerate it into entries.
    function Get-RequestLog { foreach ($entry in (Invoke-GliderEmulator $emulator GET requests)) { $entry } }
    function Get-RequestsReceived { [int] (Invoke-GliderEmulator $emulator GET stats).requests }
    # Polls a condition until it holds or the time is up; returns whether it held.
    function Wait-Until([scriptblock] $Condition, [double] $TimeoutSec) {
        $deadline = [DateTime]::UtcNow.AddSeconds($TimeoutSec)
        while ([DateTime]::UtcNow -lt $deadline) { if (& $Condition) { return $true }; Start-Sleep -Milliseconds 50 }
        [bool] (& $Condition)
    }

    function Connect-WithKey([string] $Key) {
        Connect-Glider -BaseUri $emulator.BaseUri -ApiKey (ConvertTo-SecureString $Key -AsPlainText -Force) -SkipValidation
    }
}

AfterAll {
    Disconnect-Glider
    if ($emulator) { $emulator | Stop-GliderEmulator }
}

Describe 'Tab completion' {
    BeforeEach {
        Invoke-GliderEmulator $emulator POST reset | Out-Null
    }

    It 'completes -PortfolioId from the connected tenant''s portfolios' {
        Connect-WithKey 'gldr_sk_extra_01_0000000000000000'
        $matches = Get-Completion 'Get-GliderPortfolio -PortfolioId pf_acme_024'
        $matches.CompletionText | Should -Be @('pf_acme_0240', 'pf_acme_0241', 'pf_acme_0242', 'pf_acme_0243', 'pf_acme_0244',
            'pf_acme_0245', 'pf_acme_0246', 'pf_acme_0247', 'pf_acme_0248', 'pf_acme_0249')
        $matches[0].ToolTip | Should -Match 'pf_acme_0240: .+ \((active|paused|no schedule)\)'
        (Get-Completion 'Invoke-GliderRebalance -PortfolioId pf_acme_0250').CompletionText | Should -Be 'pf_acme_0250'
        (Get-Completion 'Get-GliderPortfolio -PortfolioId pf_boreal').CompletionText | Should -BeNullOrEmpty -Because 'another tenant''s ids are not offered'
    }

    It 'asks the API once a minute at most, not on every Tab' {
        Connect-WithKey 'gldr_sk_extra_02_0000000000000000'
        $null = Get-Completion 'Get-GliderPortfolio -PortfolioId pf_'
        $null = Get-Completion 'Suspend-GliderPortfolio -PortfolioId pf_acme_01'
        $null = Get-Completion 'Wait-GliderOperation -PortfolioId pf_acme_02'
        # The emulator counts a request when it arrives: the refresh's two pages, and then nothing more.
        Wait-Until { (Get-RequestsReceived) -ge 2 } -TimeoutSec 10 | Should -BeTrue
        Wait-Until { (Get-RequestsReceived) -gt 2 } -TimeoutSec 1 | Should -BeFalse -Because 'one refresh walks the two pages of 250 portfolios, and the next Tabs use the cache'
    }

    It 'offers nothing and calls nothing without a connection' {
        Disconnect-Glider
        $saved = $env:GLIDER_API_KEY
        $env:GLIDER_API_KEY = $null
        try {
            (Get-Completion 'Get-GliderPortfolio -PortfolioId pf_acme_00').CompletionText | Should -BeNullOrEmpty
            Wait-Until { (Get-RequestsReceived) -gt 0 } -TimeoutSec 1 | Should -BeFalse
        }
        finally {
            $env:GLIDER_API_KEY = $saved
        }
    }

    It 'remembers a failed refresh for a while, so the next Tabs neither ask the API again nor wait' {
        Connect-WithKey 'gldr_sk_extra_04_0000000000000000'
        # A 403 is not retried: the refresh fails at once.
        Invoke-GliderEmulator $emulator POST faults @{ method = 'GET'; pathContains = '/v2/portfolios'; kind = 'status'; status = 403 } | Out-Null
        (Get-Completion 'Get-GliderPortfolio -PortfolioId pf_acme_00').CompletionText | Should -BeNullOrEmpty
        Wait-Until { (Get-RequestsReceived) -ge 1 } -TimeoutSec 10 | Should -BeTrue
        $null = Get-Completion 'Get-GliderPortfolio -PortfolioId pf_acme_01'
        $null = Get-Completion 'Suspend-GliderPortfolio -PortfolioId pf_acme_02'
        Wait-Until { (Get-RequestsReceived) -gt 1 } -TimeoutSec 1 | Should -BeFalse -Because 'the failure is remembered for 30 s'
    }

    It 'completes -Status from its allowed values' {
        (Get-Completion 'Get-GliderPortfolio -Status ').CompletionText | Should -Be @('active', 'paused')
    }
    It 'never holds the prompt for long when the API is slow' {
        Connect-WithKey 'gldr_sk_extra_03_0000000000000000'
        Invoke-GliderEmulator $emulator POST faults @{ method = 'GET'; pathContains = '/v2/portfolios'; count = 5; kind = 'delay'; delayMs = 8000 } | Out-Null
        $elapsed = Measure-Command { $null = Get-Completion 'Get-GliderPortfolio -PortfolioId pf_acme_00' }
        $elapsed.TotalSeconds | Should -BeLessThan 4
        # The refresh goes on in the background and fills the cache for a later Tab.
        Invoke-GliderEmulator $emulator DELETE faults | Out-Null
    }
}
