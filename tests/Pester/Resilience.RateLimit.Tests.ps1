#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.7.1' }
# Resilience, rate limiting: Retry-After is a floor on the next attempt, odd values never throw, and a wait longer than
# the command may spend is not slept through but handed back as an error that says when to retry.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'GliderTestHelper.psm1') -Force
    $emu = Initialize-GliderTest
    Import-Module (Join-Path $PSScriptRoot 'Resilience.Support.psm1') -Force

    # Seconds between the arrival of the faulted request and the next request to the same target.
    function Get-GapAfterFault {
        param([Parameter(Mandatory)] [object[]] $Log)
        $index = [array]::FindIndex($Log, [Predicate[object]] { param($e) $null -ne $e.fault })
        $index | Should -BeGreaterOrEqual 0 -Because 'the fault fired'
        $next = $Log | Select-Object -Skip ($index + 1) | Where-Object rawTarget -EQ $Log[$index].rawTarget | Select-Object -First 1
        $next | Should -Not -BeNullOrEmpty -Because 'the request was retried'
        ([datetimeoffset] $next.time - [datetimeoffset] $Log[$index].time).TotalSeconds
    }
}

AfterAll {
    Complete-GliderTest
}

Describe 'Resilience: Retry-After on a poll' {
    BeforeEach {
        # The run may end during the wait: the poll after it then reads the terminal state.
        Reset-GliderTestEmulator -OperationMs 2000
    }

    It 'waits no less than Retry-After: 3 (<Shape>) before the next poll, then finishes' -ForEach @(
        @{ Shape = 'cooldown envelope'; PlatformBody = $false }
        @{ Shape = 'platform body'; PlatformBody = $true }
    ) {
        $submission = Invoke-GliderRebalance -PortfolioId pf_acme_0020
        $null = Add-GliderTestFault @{ kind = 'status'; status = 429; retryAfter = '3'; platformBody = $PlatformBody; method = 'GET'; pathContains = '/operations/'; count = 1 }
        $operation = $submission | Wait-GliderOperation -PollIntervalSec 1 -Timeout 40
        $operation.State | Should -Be 'completed'

        $polls = @(Get-ResilienceLog $emu -AtLeast 3 | Where-Object { $_.method -eq 'GET' })
        $polls[0].status | Should -Be 429
        Get-GapAfterFault -Log $polls | Should -BeGreaterOrEqual 3.0
    }

    It 'reads an HTTP-date Retry-After (about 4 s ahead by the server''s clock) as a floor too' {
        $submission = Invoke-GliderRebalance -PortfolioId pf_acme_0021
        $at = [datetimeoffset]::UtcNow.AddSeconds(4).ToString('r', [cultureinfo]::InvariantCulture)
        $null = Add-GliderTestFault @{ kind = 'status'; status = 503; retryAfter = $at; method = 'GET'; pathContains = '/operations/'; count = 1 }
        ($submission | Wait-GliderOperation -PollIntervalSec 1 -Timeout 40).State | Should -Be 'completed'
        # The date has whole seconds, and a moment passed between writing it and the fault firing.
        Get-GapAfterFault -Log @(Get-ResilienceLog $emu -AtLeast 3 | Where-Object method -EQ 'GET') | Should -BeGreaterOrEqual 2.0
    }
}

Describe 'Resilience: odd Retry-After values' {
    BeforeEach {
        Reset-GliderTestEmulator
    }

    It 'Retry-After <Name>: nothing throws, the read is retried after <Expect>' -ForEach @(
        @{ Name = '-1'; Value = '-1'; Expect = 'backoff'; MinGap = 0 }
        @{ Name = 'abc'; Value = 'abc'; Expect = 'backoff'; MinGap = 0 }
        @{ Name = 'empty'; Value = ''; Expect = 'backoff'; MinGap = 0 }
        @{ Name = 'a date in the past'; Value = 'Tue, 24 Nov 2026 10:00:00 GMT'; Expect = 'backoff'; MinGap = 0 }
        @{ Name = '2.5'; Value = '2.5'; Expect = 'at least 2.5 s'; MinGap = 2.5 }
        @{ Name = 'duplicated (1 and 2)'; Value = @('1', '2'); Expect = 'at least the longer, 2 s'; MinGap = 2.0 }
        @{ Name = 'folded (1, 2)'; Value = '1, 2'; Expect = 'at least the longer, 2 s'; MinGap = 2.0 }
    ) {
        $null = Add-GliderTestFault @{ kind = 'status'; status = 429; code = 'API_005'; retryAfter = $Value; method = 'GET'; count = 1 }
        $portfolio = Get-GliderPortfolio -PortfolioId pf_acme_0001 -ErrorAction SilentlyContinue -ErrorVariable failures
        $failures | Should -BeNullOrEmpty
        $portfolio.PortfolioId | Should -Be 'pf_acme_0001'
        $log = @(Get-ResilienceLog $emu -AtLeast 2)
        $log | Should -HaveCount 2
        $gap = Get-GapAfterFault -Log $log
        $gap | Should -BeGreaterOrEqual $MinGap
        if ($Expect -eq 'backoff') {
            # Backoff (1 s base, full jitter), not the absurd or unreadable value.
            $gap | Should -BeLessThan 10
        }
    }

    It 'Retry-After <Value> (longer than the 60 s cap) is not slept through: a rate-limit error says when to retry' -ForEach @(
        @{ Value = '2147483647'; TimeoutSec = 27 }, @{ Value = '120'; TimeoutSec = 28 }
    ) {
        # That 429 holds every request of the connection until its RetryAt (the pacing gate): a connection of its own
        # keeps the hold out of the tests that follow.
        Connect-Glider -ApiKey (Get-GliderTestSecureKey) -BaseUri $emu.BaseUri -SkipValidation -RequestTimeoutSec $TimeoutSec
        $null = Add-GliderTestFault @{ kind = 'status'; status = 429; code = 'API_005'; retryAfter = $Value; method = 'GET'; count = 1 }
        $started = [datetimeoffset]::UtcNow
        $elapsed = Measure-Command {
            $null = Get-GliderPortfolio -PortfolioId pf_acme_0001 -ErrorAction SilentlyContinue -ErrorVariable failures
        }
        $elapsed.TotalSeconds | Should -BeLessThan 10
        $failures | Should -HaveCount 1
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'GliderRateLimited,*'
        $failures[0].CategoryInfo.Category | Should -Be 'LimitsExceeded'
        $failures[0].ErrorDetails.RecommendedAction | Should -BeLike 'Retry after *'
        $failures[0].Exception.RetryAt | Should -BeGreaterThan $started.AddSeconds(100)
        Get-ResilienceLog $emu -AtLeast 1 | Should -HaveCount 1
    }
}

Describe 'Resilience: a wait longer than the command''s remaining timeout' {
    BeforeEach {
        Reset-GliderTestEmulator -OperationMs 60000
    }

    It 'Wait-GliderOperation -Timeout 8 given Retry-After: 30 ends that wait at once as a timeout caused by the 429' {
        Connect-Glider -ApiKey (Get-GliderTestSecureKey) -BaseUri $emu.BaseUri -SkipValidation -RequestTimeoutSec 26
        $submission = Invoke-GliderRebalance -PortfolioId pf_acme_0022
        $null = Add-GliderTestFault @{ kind = 'status'; status = 429; retryAfter = '30'; platformBody = $true; method = 'GET'; pathContains = '/operations/'; count = 1 }
        $started = [datetimeoffset]::UtcNow
        $elapsed = Measure-Command {
            $result = $submission | Wait-GliderOperation -PollIntervalSec 1 -Timeout 8 -ErrorAction SilentlyContinue -ErrorVariable failures
        }
        $result | Should -BeNullOrEmpty
        $elapsed.TotalSeconds | Should -BeLessThan 6 -Because 'neither the 30 s nor the 8 s timeout was slept through'
        $failures | Should -HaveCount 1
        # What users catch for a wait that cannot finish in time is one documented thing: GliderOperationTimeout,
        # here with the 429 (and when to retry) as its cause.
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'GliderOperationTimeout,*'
        $failures[0].CategoryInfo.Category | Should -Be 'OperationTimeout'
        $failures[0].Exception.InnerException | Should -BeOfType ([Glider.Client.Errors.GliderRateLimitException])
        $failures[0].Exception.InnerException.RetryAt | Should -BeGreaterThan $started.AddSeconds(25)
        $failures[0].Exception.Message | Should -BeLike '*no poll before*'
        $failures[0].TargetObject.OperationId | Should -Be $submission.OperationId
        @(Get-ResilienceLog $emu -AtLeast 2 | Where-Object method -EQ 'GET') | Should -HaveCount 1
    }
}
