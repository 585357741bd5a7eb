#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.7.1' }

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'GliderTestHelper.psm1') -Force
    $emu = Initialize-GliderTest
}

AfterAll {
    Complete-GliderTest
}

Describe 'Invoke-GliderRebalance' {
    BeforeEach {
        Reset-GliderTestEmulator -OperationMs 1500 -CooldownSeconds 30
    }

    Context 'submitting' {
        It 'emits a RebalanceSubmission per portfolio' {
            $submissions = Invoke-GliderRebalance -PortfolioId pf_acme_0001, pf_acme_0002
            $submissions | Should -HaveCount 2
            $submissions[0] | Should -BeOfType ([Glider.Client.Models.RebalanceSubmission])
            # Written as the answers arrive: the order is the API's, not the input's.
            $submissions = $submissions | Sort-Object PortfolioId
            $submissions.PortfolioId | Should -Be 'pf_acme_0001', 'pf_acme_0002'
            $submissions[0].OperationId | Should -BeLike 'rebalance:pf_acme_0001:*'
            $submissions[0].SubmittedAt | Should -Not -BeNullOrEmpty
            (Get-GliderTestRequest -Method POST).rawTarget | Sort-Object | Should -Be '/v2/portfolios/pf_acme_0001/rebalance', '/v2/portfolios/pf_acme_0002/rebalance'
        }

        It 'takes portfolios from Get-GliderPortfolio (by property name) and ids by value' {
            (Get-GliderPortfolio -PortfolioId pf_acme_0003 | Invoke-GliderRebalance).PortfolioId | Should -Be 'pf_acme_0003'
            ('pf_acme_0004' | Invoke-GliderRebalance).PortfolioId | Should -Be 'pf_acme_0004'
        }

        It 'answers a second trigger while one is in flight with the same operation' {
            $first = Invoke-GliderRebalance -PortfolioId pf_acme_0006
            $second = Invoke-GliderRebalance -PortfolioId pf_acme_0006
            $second.OperationId | Should -BeExactly $first.OperationId
        }

        It 'sends no request with -WhatIf' {
            $output = Invoke-GliderRebalance -PortfolioId pf_acme_0001, pf_acme_0002 -WhatIf
            $output | Should -BeNullOrEmpty
            Get-GliderTestRequest | Should -BeNullOrEmpty
            (Get-GliderTestStat).rebalancesStarted.PSObject.Properties.Name | Should -BeNullOrEmpty
        }

        It 'names the portfolio in the -WhatIf message' {
            $transcript = Join-Path ([System.IO.Path]::GetTempPath()) "gliderps-whatif-$PID-$([guid]::NewGuid()).txt"
            Start-Transcript -Path $transcript -Force
            try { Invoke-GliderRebalance -PortfolioId pf_acme_0017 -WhatIf }
            finally { Stop-Transcript }
            $text = Get-Content -Raw $transcript
            Remove-Item $transcript -Force
            $text | Should -BeLike '*What if:*Start a rebalance*pf_acme_0017*'
            Get-GliderTestRequest | Should -BeNullOrEmpty
        }

        It 'asks first when $ConfirmPreference is Medium (ConfirmImpact Medium), and not at the default High' {
            # A child pwsh answers the prompt from standard input: "N" (no), so nothing may be sent for pf_acme_0018.
            $pwsh = Get-PwshCommandLine
            $module = Join-Path (Get-GliderTestModulePath) 'GliderPS.psd1'
            $script = @"
Import-Module '$module'
Connect-Glider -BaseUri '$($emu.BaseUri)' -ApiKey (ConvertTo-SecureString '$(Get-GliderTestKey)' -AsPlainText -Force) -SkipValidation
`$null = Invoke-GliderRebalance -PortfolioId pf_acme_0019
`$ConfirmPreference = 'Medium'
`$null = Invoke-GliderRebalance -PortfolioId pf_acme_0018
"@
            $scriptPath = Join-Path ([System.IO.Path]::GetTempPath()) "gliderps-confirmimpact-$PID.ps1"
            Set-Content -Path $scriptPath -Value $script
            try { $output = "N`n" | & $pwsh[0] @($pwsh | Select-Object -Skip 1) -NoProfile -File $scriptPath 2>&1 | Out-String }
            finally { Remove-Item $scriptPath -Force }
            $output | Should -Match 'Start a rebalance" on target "pf_acme_0018"'
            $output | Should -Not -Match 'on target "pf_acme_0019"'
            (Get-GliderTestRequest -Method POST).rawTarget | Should -Be '/v2/portfolios/pf_acme_0019/rebalance'
        }

        It 'refuses an empty id before any request' {
            $failure = { Invoke-GliderRebalance -PortfolioId '' } |
                Should -Throw -ErrorId 'ParameterArgumentValidationError,Glider.PowerShell.Commands.InvokeGliderRebalanceCommand' -PassThru
            $failure.Exception.Message | Should -BeLike "*'PortfolioId'*"
            Get-GliderTestRequest | Should -BeNullOrEmpty
        }

        It 'refuses -Timeout without -Wait' {
            { Invoke-GliderRebalance -PortfolioId pf_acme_0001 -Timeout 5 } |
                Should -Throw -ErrorId 'GliderWaitParameterWithoutWait,Glider.PowerShell.Commands.InvokeGliderRebalanceCommand'
            Get-GliderTestRequest | Should -BeNullOrEmpty
        }
    }

    Context 'failures' {
        It 'writes GliderNotFound for a missing portfolio and goes on with the others' {
            $submissions = Invoke-GliderRebalance -PortfolioId pf_nope_0001, pf_acme_0001 -ErrorVariable failures -ErrorAction SilentlyContinue
            $submissions.PortfolioId | Should -Be 'pf_acme_0001'
            $failures[0].FullyQualifiedErrorId | Should -Be 'GliderNotFound,Glider.PowerShell.Commands.InvokeGliderRebalanceCommand'
            $failures[0].TargetObject | Should -Be 'pf_nope_0001'
        }

        It 'writes GliderPermissionDenied per portfolio for a read-only key' {
            Reset-GliderTestEmulator -Key ReadOnly
            Invoke-GliderRebalance -PortfolioId pf_acme_0001, pf_acme_0002 -ErrorVariable failures -ErrorAction SilentlyContinue |
                Should -BeNullOrEmpty
            $failures | Should -HaveCount 2
            $failures.FullyQualifiedErrorId | Sort-Object -Unique | Should -Be 'GliderPermissionDenied,Glider.PowerShell.Commands.InvokeGliderRebalanceCommand'
            $failures[0].CategoryInfo.Category | Should -Be 'PermissionDenied'
            $failures.TargetObject | Sort-Object | Should -Be 'pf_acme_0001', 'pf_acme_0002'
            (Get-GliderTestRequest -Method POST).status | Sort-Object -Unique | Should -Be 403
        }

        It 'writes GliderRebalanceCooldown with RetryAfter and RetryAt when triggered again within the cooldown' {
            $done = Invoke-GliderRebalance -PortfolioId pf_acme_0007 -Wait -PollIntervalSec 1 -Timeout 20
            $done.State | Should -Be 'completed'

            $before = [DateTimeOffset]::UtcNow
            Invoke-GliderRebalance -PortfolioId pf_acme_0007, pf_acme_0008 -ErrorVariable failures -ErrorAction SilentlyContinue |
                Select-Object -ExpandProperty PortfolioId | Should -Be 'pf_acme_0008'
            $failures | Should -HaveCount 1
            $record = $failures[0]
            $record.FullyQualifiedErrorId | Should -Be 'GliderRebalanceCooldown,Glider.PowerShell.Commands.InvokeGliderRebalanceCommand'
            $record.CategoryInfo.Category | Should -Be 'LimitsExceeded'
            $record.TargetObject | Should -Be 'pf_acme_0007'
            $record.Exception | Should -BeOfType ([Glider.Client.Errors.GliderRateLimitException])
            $record.Exception.IsRebalanceCooldown | Should -BeTrue
            $record.Exception.RetryAfter.TotalSeconds | Should -BeGreaterThan 20
            $record.Exception.RetryAfter.TotalSeconds | Should -BeLessOrEqual 31
            $record.Exception.RetryAt | Should -BeGreaterThan $before.AddSeconds(20)
            $record.Exception.RetryAt | Should -BeLessThan $before.AddSeconds(40)
            $record.ErrorDetails.RecommendedAction | Should -BeLike 'Retry after *'
            @(Get-GliderTestRequest -Method POST -PathLike '*pf_acme_0007*').Count | Should -Be 2
        }

        It 'throws a catchable GliderRateLimitException with -ErrorAction Stop' {
            $null = Invoke-GliderRebalance -PortfolioId pf_acme_0009 -Wait -PollIntervalSec 1 -Timeout 20
            $caught = $null
            try { Invoke-GliderRebalance -PortfolioId pf_acme_0009 -ErrorAction Stop }
            catch [Glider.Client.Errors.GliderRateLimitException] { $caught = $_ }
            $caught | Should -Not -BeNullOrEmpty
            $caught.FullyQualifiedErrorId | Should -Be 'GliderRebalanceCooldown,Glider.PowerShell.Commands.InvokeGliderRebalanceCommand'
            $caught.Exception.RetryAfter | Should -BeGreaterThan ([TimeSpan]::Zero)
            $caught.Exception.RetryAt | Should -BeGreaterThan ([DateTimeOffset]::UtcNow)
        }

        It 're-sends a rebalance refused by the platform limiter after its Retry-After, so no error record is left' {
            $null = Add-GliderTestFault @{ method = 'POST'; portfolioId = 'pf_acme_0011'; count = 1; kind = 'status'; status = 429; platformBody = $true; retryAfter = '1' }
            $submission = Invoke-GliderRebalance -PortfolioId pf_acme_0011 -ErrorVariable failures
            $failures | Should -BeNullOrEmpty
            $submission.PortfolioId | Should -Be 'pf_acme_0011'
            $posts = Get-GliderTestRequest -Method POST
            $posts.status | Should -Be 429, 202
            # Re-sent after the wait the limiter asked for (allowing for two processes' clocks).
            ([DateTimeOffset] $posts[1].time - [DateTimeOffset] $posts[0].completedAt).TotalMilliseconds | Should -BeGreaterThan 900
        }

        It 'writes GliderRateLimited for a platform 429 with Retry-After as an HTTP-date' {
            # A wait past the connection's MaxRetryDelay (60 s) is not slept through: the 429 is the user's. It also
            # holds this connection's requests for 90 s, so the test uses a connection of its own.
            Connect-Glider -ApiKey (Get-GliderTestSecureKey) -BaseUri $emu.BaseUri -SkipValidation -RequestTimeoutSec 29
            $retryAt = [DateTimeOffset]::UtcNow.AddSeconds(90)
            $null = Add-GliderTestFault @{ method = 'POST'; portfolioId = 'pf_acme_0012'; count = 1; kind = 'status'; status = 429; platformBody = $true; retryAfter = $retryAt.ToString('r') }
            Invoke-GliderRebalance -PortfolioId pf_acme_0012 -ErrorVariable failures -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
            $record = $failures[0]
            $record.FullyQualifiedErrorId | Should -Be 'GliderRateLimited,Glider.PowerShell.Commands.InvokeGliderRebalanceCommand'
            [Math]::Abs(($record.Exception.RetryAt - $retryAt).TotalSeconds) | Should -BeLessThan 3
            $record.Exception.RetryAfter.TotalSeconds | Should -BeGreaterThan 80
        }

        It 'maps a server error to GliderServerError (ConnectionError) and goes on' {
            $null = Add-GliderTestFault @{ method = 'POST'; portfolioId = 'pf_acme_0013'; count = 20; kind = 'status'; status = 500 }
            Invoke-GliderRebalance -PortfolioId pf_acme_0013, pf_acme_0014 -ErrorVariable failures -ErrorAction SilentlyContinue |
                Select-Object -ExpandProperty PortfolioId | Should -Be 'pf_acme_0014'
            $failures[0].FullyQualifiedErrorId | Should -Be 'GliderServerError,Glider.PowerShell.Commands.InvokeGliderRebalanceCommand'
            $failures[0].CategoryInfo.Category | Should -Be 'ConnectionError'
            $failures[0].TargetObject | Should -Be 'pf_acme_0013'
        }
        It "maps a proxy's HTML error page to GliderServerError, never a bare JSON parse message" {
            # The rebalance POST is never re-sent on an HTTP error status, so this answers at once.
            $null = Add-GliderTestFault @{ method = 'POST'; portfolioId = 'pf_acme_0015'; count = 1; kind = 'nonjson'; status = 502 }
            Invoke-GliderRebalance -PortfolioId pf_acme_0015 -ErrorVariable failures -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
            $record = $failures[0]
            $record.FullyQualifiedErrorId | Should -Be 'GliderServerError,Glider.PowerShell.Commands.InvokeGliderRebalanceCommand'
            $record.Exception | Should -BeOfType ([Glider.Client.Errors.GliderServerException])
            $record.Exception.StatusCode | Should -Be 502
            $record.ErrorDetails.Message | Should -BeLike '*pf_acme_0015*'
            $record.ErrorDetails.Message | Should -Not -BeLike '*is an invalid start of a value*'
            $record.ErrorDetails.Message | Should -Not -BeLike '*JsonException*'
        }
    }

    Context '-Wait' {
        It 'emits the finished Operation instead of the submission' {
            $operations = Invoke-GliderRebalance -PortfolioId pf_acme_0001, pf_acme_0002 -Wait -PollIntervalSec 1 -Timeout 20
            $operations | Should -HaveCount 2
            $operations[0] | Should -BeOfType ([Glider.Client.Models.Operation])
            $operations.State | Sort-Object -Unique | Should -Be 'completed'
            $operations.PortfolioId | Sort-Object | Should -Be 'pf_acme_0001', 'pf_acme_0002'
        }

        It 'writes GliderOperationFailed like Wait-GliderOperation' {
            Set-GliderTestOutcome -PortfolioId pf_acme_0003 -Outcome failed -ErrorMessage 'slippage above tolerance'
            $operations = Invoke-GliderRebalance -PortfolioId pf_acme_0003 -Wait -PollIntervalSec 1 -Timeout 20 -ErrorVariable failures -ErrorAction SilentlyContinue
            $operations.State | Should -Be 'failed'
            $failures[0].FullyQualifiedErrorId | Should -Be 'GliderOperationFailed,Glider.PowerShell.Commands.InvokeGliderRebalanceCommand'
            $failures[0].Exception.Message | Should -BeLike '*slippage above tolerance*'
        }

        It 'writes GliderOperationTimeout when the run outlasts -Timeout' {
            Set-GliderTestTiming @{ operationMs = 30000 }
            $elapsed = Measure-Command {
                Invoke-GliderRebalance -PortfolioId pf_acme_0004 -Wait -PollIntervalSec 1 -Timeout 2 -ErrorVariable failures -ErrorAction SilentlyContinue |
                    Should -BeNullOrEmpty
            }
            $elapsed.TotalSeconds | Should -BeLessThan 6
            $failures[0].FullyQualifiedErrorId | Should -Be 'GliderOperationTimeout,Glider.PowerShell.Commands.InvokeGliderRebalanceCommand'
            $failures[0].CategoryInfo.Category | Should -Be 'OperationTimeout'
        }
    }
}
