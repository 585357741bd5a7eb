#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.7.1' }

# Every error blames the right thing: a wrong base path is not a wrong id, a refused filter is not a schedule problem,
# one attempt is not "retried", a typo'd host is not transient, a dropped rebalance may have started, and a wait that
# times out on awaiting_user waits for a person. Bad wait parameters are refused before the first request.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'GliderTestHelper.psm1') -Force
    $emu = Initialize-GliderTest
    $root = $emu.BaseUri -replace '/v2/?$', ''
}

AfterAll {
    Complete-GliderTest
}

Describe 'Error advice' {
    BeforeEach {
        Reset-GliderTestEmulator
    }

    Context 'a wrong base path' {
        It 'says the base URI is wrong, not the id, for -BaseUri <Suffix>' -ForEach @(
            @{ Suffix = '/v2/portfolios' }
            @{ Suffix = '/api' }
        ) {
            $failure = { Connect-Glider -ApiKey (Get-GliderTestSecureKey) -BaseUri "$root$Suffix" -ErrorAction Stop } | Should -Throw -PassThru
            $failure.FullyQualifiedErrorId | Should -Be 'GliderRouteNotFound,Glider.PowerShell.Commands.ConnectGliderCommand'
            $failure.ErrorDetails.RecommendedAction | Should -BeLike '*base URI is wrong*-BaseUri*GLIDER_BASE_URI*'
            $failure.ErrorDetails.RecommendedAction | Should -Not -BeLike '*Check the id*'
            $failure.Exception.Message | Should -BeLike '*no such route*'
        }

        It 'says so for an id route under GLIDER_BASE_URI with an extra path (API_200)' {
            Disconnect-Glider
            $env:GLIDER_API_KEY = Get-GliderTestKey ReadWrite
            $env:GLIDER_BASE_URI = "$root/api"
            try {
                $null = Get-GliderPortfolio -PortfolioId pf_acme_0001 -ErrorAction SilentlyContinue -ErrorVariable failures
            }
            finally { Remove-Item Env:GLIDER_API_KEY, Env:GLIDER_BASE_URI -ErrorAction Ignore }
            $failures[0].FullyQualifiedErrorId | Should -BeLike 'GliderRouteNotFound,*'
            (Get-GliderTestRequest).rawTarget | Should -Be '/api/v2/portfolios/pf_acme_0001'
        }

        It 'still says "check the id" for a portfolio that does not exist (API_006)' {
            $null = Get-GliderPortfolio -PortfolioId pf_nobody -ErrorAction SilentlyContinue -ErrorVariable failures
            $failures[0].FullyQualifiedErrorId | Should -BeLike 'GliderNotFound,*'
            $failures[0].ErrorDetails.RecommendedAction | Should -BeLike 'Check the id*'
        }
    }

    Context '400' {
        It 'names the refused parameter and gives no schedule hint for a bad -OwnerAccountId' {
            $null = Get-GliderPortfolio -OwnerAccountId 'eip155:1:not-hex' -ErrorAction SilentlyContinue -ErrorVariable failures
            $failures[0].FullyQualifiedErrorId | Should -BeLike 'GliderBadRequest,*'
            $failures[0].Exception.RefusedParameter | Should -Be 'ownerAccountId'
            $failures[0].ErrorDetails.RecommendedAction | Should -BeLike '*-OwnerAccountId*'
            $failures[0].ErrorDetails.RecommendedAction | Should -Not -BeLike '*schedule*'
        }

        It 'names -PortfolioId for an id the API refuses, without the schedule hint' {
            $null = Get-GliderPortfolio -PortfolioId 'pf_ünïcode' -ErrorAction SilentlyContinue -ErrorVariable failures
            $failures[0].FullyQualifiedErrorId | Should -BeLike 'GliderBadRequest,*'
            $failures[0].ErrorDetails.RecommendedAction | Should -BeLike '*-PortfolioId*'
            $failures[0].ErrorDetails.RecommendedAction | Should -Not -BeLike '*schedule*'
        }

        It 'gives the schedule hint where it applies: Suspend of a portfolio without a schedule' {
            $null = Suspend-GliderPortfolio -PortfolioId pf_acme_0025 -ErrorAction SilentlyContinue -ErrorVariable failures
            $failures[0].FullyQualifiedErrorId | Should -BeLike 'GliderBadRequest,*'
            $failures[0].ErrorDetails.RecommendedAction | Should -BeLike '*portfolio without a schedule*'
        }
    }

    Context 'server errors and attempts' {
        It 'does not claim a retry for a 503 on the rebalance POST (sent once)' {
            $null = Add-GliderTestFault @{ kind = 'status'; status = 503; method = 'POST'; pathContains = '/rebalance'; count = 1 }
            $null = Invoke-GliderRebalance -PortfolioId pf_acme_0006 -ErrorAction SilentlyContinue -ErrorVariable failures
            @(Get-GliderTestRequest -Method POST) | Should -HaveCount 1
            $failures[0].Exception.Attempts | Should -Be 1
            $failures[0].ErrorDetails.RecommendedAction | Should -BeLike '*sent once and not re-sent*'
            $failures[0].ErrorDetails.RecommendedAction | Should -Not -BeLike '*was retried*'
        }

        It 'says how many attempts a read made when every one failed' {
            $connection = Connect-Glider -ApiKey (Get-GliderTestSecureKey) -BaseUri $emu.BaseUri -SkipValidation -MaxRetryCount 2 -PassThru
            $null = Add-GliderTestFault @{ kind = 'status'; status = 503; method = 'GET'; pathContains = '/pf_acme_0007' }
            $null = Get-GliderPortfolio -PortfolioId pf_acme_0007 -Connection $connection -ErrorAction SilentlyContinue -ErrorVariable failures
            @(Get-GliderTestRequest -Method GET -PathLike '*pf_acme_0007') | Should -HaveCount 3
            $failures[0].Exception.Attempts | Should -Be 3
            $failures[0].ErrorDetails.RecommendedAction | Should -BeLike '*each of 3 attempts*'
        }
    }

    Context 'transport' {
        It 'fails at once, naming the host, when the host name does not resolve' {
            $failure = { Connect-Glider -ApiKey (Get-GliderTestSecureKey) -BaseUri 'https://api.glider-typo.invalid' -ErrorAction Stop } | Should -Throw -PassThru
            $failure.FullyQualifiedErrorId | Should -Be 'GliderHostNotFound,Glider.PowerShell.Commands.ConnectGliderCommand'
            $failure.Exception.Attempts | Should -Be 1 -Because 'a name that does not resolve is not retried'
            $failure.Exception.IsHostNotFound | Should -BeTrue
            $failure.Exception.Message | Should -BeLike '*api.glider-typo.invalid does not resolve*'
            $failure.ErrorDetails.RecommendedAction | Should -BeLike '*-BaseUri*GLIDER_BASE_URI*'
        }

        It 'says that a rebalance whose connection dropped after the server read it may have started, and how to find out' {
            $connection = Connect-Glider -ApiKey (Get-GliderTestSecureKey) -BaseUri $emu.BaseUri -SkipValidation -MaxRetryCount 1 -PassThru
            $null = Add-GliderTestFault @{ kind = 'drop-after-read'; method = 'POST'; pathContains = '/rebalance' }
            $null = Invoke-GliderRebalance -PortfolioId pf_acme_0008 -Connection $connection -ErrorAction SilentlyContinue -ErrorVariable failures
            @(Get-GliderTestRequest -Method POST) | Should -HaveCount 2
            (Get-GliderTestStat).rebalancesStarted.pf_acme_0008 | Should -Be 1
            $failures[0].FullyQualifiedErrorId | Should -BeLike 'GliderConnectionFailed,*'
            $failures[0].ErrorDetails.RecommendedAction | Should -BeLike '*may have started*Invoke-GliderRebalance again*in flight*'

            # Following the advice finds the run that did start, and starts no second one.
            Remove-Item -Path Variable:failures
            $null = Invoke-GliderEmulator $emu DELETE faults
            $again = Invoke-GliderRebalance -PortfolioId pf_acme_0008
            $again.OperationId | Should -BeLike 'rebalance:pf_acme_0008:*'
            (Get-GliderTestStat).rebalancesStarted.pf_acme_0008 | Should -Be 1
        }
    }

    Context 'wait timeout' {
        It 'says the run waits for a person when its last state is awaiting_user' {
            Set-GliderTestTiming @{ operationMs = 30000 }
            Set-GliderTestOutcome -PortfolioId pf_acme_0009 -Outcome completed -Via (@('awaiting_user') * 19)
            $submission = Invoke-GliderRebalance -PortfolioId pf_acme_0009
            Wait-GliderTestCondition { ($submission | Get-GliderOperation).State -eq 'awaiting_user' } -TimeoutSec 20 | Should -BeTrue
            $null = $submission | Wait-GliderOperation -Timeout 1 -PollIntervalSec 1 -ErrorAction SilentlyContinue -ErrorVariable failures
            $failures[0].FullyQualifiedErrorId | Should -BeLike 'GliderOperationTimeout,*'
            $failures[0].TargetObject.State | Should -Be 'awaiting_user'
            $failures[0].ErrorDetails.RecommendedAction | Should -BeLike '*waiting for a person*'
            $failures[0].ErrorDetails.RecommendedAction | Should -Not -BeLike '*may still finish*'
        }
    }

    Context 'wait parameters are validated before the first request' {
        It 'refuses <Parameter> <Value> before the POST' -ForEach @(
            @{ Parameter = 'PollIntervalSec'; Value = 100000 }
            @{ Parameter = 'Timeout'; Value = 604801 }
        ) {
            $arguments = @{ PortfolioId = 'pf_acme_0010'; Wait = $true; $Parameter = $Value }
            { Invoke-GliderRebalance @arguments -ErrorAction Stop } | Should -Throw -ErrorId "ParameterArgumentValidationError,Glider.PowerShell.Commands.InvokeGliderRebalanceCommand"
            $waitArguments = @{ PortfolioId = 'pf_acme_0010'; OperationId = 'op_1'; $Parameter = $Value }
            { Wait-GliderOperation @waitArguments -ErrorAction Stop } | Should -Throw -ErrorId "ParameterArgumentValidationError,Glider.PowerShell.Commands.WaitGliderOperationCommand"
            Get-GliderTestRequest | Should -BeNullOrEmpty
        }

        It 'accepts the largest values the client accepts (a day, a week)' {
            Set-GliderTestTiming @{ operationMs = 300 }
            $done = Invoke-GliderRebalance -PortfolioId pf_acme_0011 | Wait-GliderOperation -Timeout 604800 -PollIntervalSec 1
            $done.State | Should -Be 'completed'
            $cmd = Get-Command Invoke-GliderRebalance
            $cmd.Parameters.PollIntervalSec.Attributes.Where({ $_ -is [ValidateRange] }).MaxRange | Should -Be ([Glider.Client.Models.Portfolio].Assembly.GetType('Glider.Client.OperationWaitOptions', $true).GetField('MaxPollIntervalSeconds').GetValue($null))
        }
    }
}
