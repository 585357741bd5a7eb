# What a user sees: the default table of each output type, and readable ToString() values.

BeforeAll {
    $repoRoot = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path
    $modulePath = if ($env:GLIDERPS_MODULE_PATH) { $env:GLIDERPS_MODULE_PATH } else { Join-Path $repoRoot 'out/GliderPS' }
    Import-Module (Join-Path $repoRoot 'tools/GliderPS.Emulator/GliderPS.Emulator.psd1') -Force
    Import-Module $modulePath -Force
    $emulator = Start-GliderEmulator -ArgumentList '--operation-ms', '1000'
    $connection = Connect-Glider -BaseUri $emulator.BaseUri -PassThru `
        -ApiKey (ConvertTo-SecureString 'gldr_sk_demo_rw_4f8a2c9e7b1d6053' -AsPlainText -Force)

    function Get-TableText($InputObject) {
        $text = $InputObject | Format-Table | Out-String -Width 200
        $text -split "`r?`n" | Where-Object { $_.Trim() }
    }
}

AfterAll {
    Disconnect-Glider
    if ($emulator) { $emulator | Stop-GliderEmulator }
}

Describe 'Default table views' {
    It 'shows a portfolio with its strategy, schedule, next due as a relative time and last rebalance in local time' {
        $portfolio = Get-GliderPortfolio -PortfolioId pf_acme_0001 -Connection $connection
        $lines = Get-TableText $portfolio
        $lines[0] | Should -Match '^PortfolioId\s+Strategy\s+Schedule\s+NextDue\s+LastRebalance \(local\)'
        $lines[2] | Should -Match '^pf_acme_0001\s+Balanced 60/40\s+active\s+(in|\d).*\s+\d{4}-\d\d-\d\d \d\d:\d\d$'
        $lines[2] | Should -Match ([regex]::Escape($portfolio.LastRebalanceAt.ToLocalTime().ToString('yyyy-MM-dd HH:mm')))
        $portfolio.NextDueAt | Should -BeOfType [System.DateTimeOffset] -Because 'only the table shortens it'
    }

    It 'shows a submission and an operation with a short operation id, and the time an operation took' {
        Invoke-GliderEmulator $emulator POST reset | Out-Null
        $submission = Invoke-GliderRebalance -PortfolioId pf_acme_0002 -Connection $connection
        $lines = Get-TableText $submission
        $lines[0] | Should -Match '^PortfolioId\s+Operation\s+Submitted \(local\)$'
        $lines[2] | Should -Match ('^pf_acme_0002\s+\.\.\.' + [regex]::Escape($submission.OperationId.Substring($submission.OperationId.Length - 14)))

        $operation = $submission | Wait-GliderOperation -Connection $connection -PollIntervalSec 1 -Timeout 30
        $lines = Get-TableText $operation
        $lines[0] | Should -Match '^Operation\s+PortfolioId\s+State\s+Time\s+Error$'
        $lines[2] | Should -Match '^\.\.\.\S{14}\s+pf_acme_0002\s+completed\s+took \d+s'
        $operation.CreatedAt | Should -BeOfType [System.DateTimeOffset]
    }

    It 'shows the connection without the key' {
        $lines = Get-TableText $connection
        $lines[0] | Should -Match '^Tenant\s+ApiKeyId\s+BaseUri\s+Scopes$'
        $lines[2] | Should -Match '^Acme Capital\s+key_demo_rw\s+http://127\.0\.0\.1:\d+/v2/\s+portfolios:read, portfolios:write'
        ($connection | Format-List * | Out-String) | Should -Not -Match 'gldr_sk_'
    }
}

Describe 'ToString' {
    It 'names what each object is about' {
        Invoke-GliderEmulator $emulator POST reset | Out-Null
        $portfolio = Get-GliderPortfolio -PortfolioId pf_acme_0003 -Connection $connection
        "$portfolio" | Should -Be 'pf_acme_0003'
        $submission = Invoke-GliderRebalance -PortfolioId pf_acme_0003 -Connection $connection
        "$submission" | Should -Be $submission.OperationId
        $operation = $submission | Get-GliderOperation -Connection $connection
        "$operation" | Should -Be "$($submission.OperationId) ($($operation.State))"
        "$connection" | Should -Match '^Acme Capital \(key_demo_rw\) at http://127\.0\.0\.1:\d+/v2/$'
    }
}
