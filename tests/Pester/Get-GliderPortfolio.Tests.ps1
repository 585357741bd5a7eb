#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.7.1' }

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'GliderTestHelper.psm1') -Force
    $emu = Initialize-GliderTest
}

AfterAll {
    Complete-GliderTest
}

Describe 'Get-GliderPortfolio' {
    BeforeEach {
        Reset-GliderTestEmulator
    }

    Context 'all portfolios' {
        It 'follows nextCursor to the last page' {
            $portfolios = Get-GliderPortfolio
            $portfolios | Should -HaveCount 250
            $portfolios[0] | Should -BeOfType ([Glider.Client.Models.Portfolio])
            @($portfolios.PortfolioId | Sort-Object -Unique).Count | Should -Be 250

            $requests = Get-GliderTestRequest -Method GET -PathLike '/v2/portfolios*'
            $requests.Count | Should -Be 2
            $requests[0].rawTarget | Should -Not -BeLike '*cursor=*'
            $requests[1].rawTarget | Should -BeLike '*cursor=*'
        }

        It 'filters by -Status' {
            $paused = Get-GliderPortfolio -Status paused
            # Every 5th seed portfolio is paused, but every 25th has no schedule at all: 50 - 10.
            $paused | Should -HaveCount 40
            $paused.ScheduleStatus | Sort-Object -Unique | Should -Be 'paused'
            (Get-GliderTestRequest)[0].rawTarget | Should -BeLike '*status=paused*'
        }

        It 'sends -Status as the API spells it, however it was typed' {
            # PowerShell's ValidateSet accepts 'Active'; the API compares exactly and would answer 400.
            $active = Get-GliderPortfolio -Status Active
            $active | Should -HaveCount 200
            (Get-GliderTestRequest)[0].rawTarget | Should -BeLikeExactly '*status=active*'
        }

        It 'filters by -StrategyId and -OwnerAccountId' {
            $sample = Get-GliderPortfolio -PortfolioId pf_acme_0042
            $byStrategy = Get-GliderPortfolio -StrategyId $sample.StrategyId
            $byStrategy.StrategyId | Sort-Object -Unique | Should -Be $sample.StrategyId
            $byOwner = Get-GliderPortfolio -OwnerAccountId $sample.OwnerAccountId
            $byOwner.PortfolioId | Should -Contain 'pf_acme_0042'
            $byOwner.OwnerAccountId | Sort-Object -Unique | Should -Be $sample.OwnerAccountId
        }

        It 'refuses a -Status outside active|paused before any request' {
            { Get-GliderPortfolio -Status archived } |
                Should -Throw -ErrorId 'ParameterArgumentValidationError,Glider.PowerShell.Commands.GetGliderPortfolioCommand'
            Get-GliderTestRequest | Should -BeNullOrEmpty
        }
    }

    Context 'by id' {
        It 'gets several by -PortfolioId' {
            $portfolios = Get-GliderPortfolio -PortfolioId pf_acme_0001, pf_acme_0002
            # Written as the answers arrive (up to -ThrottleLimit at once): the order is the API's.
            $portfolios.PortfolioId | Sort-Object | Should -Be 'pf_acme_0001', 'pf_acme_0002'
            $portfolios[0].StrategyName | Should -Not -BeNullOrEmpty
            $portfolios[0].Schedule | Should -Not -BeNullOrEmpty
        }

        It 'takes ids from the pipeline by value' {
            ('pf_acme_0003', 'pf_acme_0004' | Get-GliderPortfolio).PortfolioId | Sort-Object | Should -Be 'pf_acme_0003', 'pf_acme_0004'
        }

        It 'takes ids from the pipeline by property name' {
            $rows = [pscustomobject]@{ PortfolioId = 'pf_acme_0005' }, [pscustomobject]@{ PortfolioId = 'pf_acme_0006' }
            ($rows | Get-GliderPortfolio).PortfolioId | Sort-Object | Should -Be 'pf_acme_0005', 'pf_acme_0006'
        }

        It 'writes a non-terminating ObjectNotFound for a missing id and goes on with the others' {
            $portfolios = Get-GliderPortfolio -PortfolioId pf_acme_0001, pf_nope_0001, pf_acme_0002 -ErrorVariable failures -ErrorAction SilentlyContinue
            $portfolios.PortfolioId | Sort-Object | Should -Be 'pf_acme_0001', 'pf_acme_0002'
            $failures.Count | Should -Be 1
            $failures[0].FullyQualifiedErrorId | Should -Be 'GliderNotFound,Glider.PowerShell.Commands.GetGliderPortfolioCommand'
            $failures[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
            $failures[0].TargetObject | Should -Be 'pf_nope_0001'
            $failures[0].ErrorDetails.Message | Should -BeLike '*orrelation id*'
            $failures[0].ErrorDetails.RecommendedAction | Should -Not -BeNullOrEmpty
        }

        It "answers another tenant's portfolio as not found" {
            Get-GliderPortfolio -PortfolioId pf_boreal_0001 -ErrorVariable failures -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
            $failures[0].FullyQualifiedErrorId | Should -Be 'GliderNotFound,Glider.PowerShell.Commands.GetGliderPortfolioCommand'
        }

        It 'throws a catchable error with -ErrorAction Stop' {
            $caught = $null
            try { Get-GliderPortfolio -PortfolioId pf_nope_0001 -ErrorAction Stop }
            catch [Glider.Client.Errors.GliderNotFoundException] { $caught = $_ }
            $caught | Should -Not -BeNullOrEmpty
            $caught.Exception.StatusCode | Should -Be 404
        }

        It 'refuses <Case> before any request, naming the parameter' -ForEach @(
            @{ Case = 'an empty id'; Ids = @('') }
            @{ Case = 'a whitespace id'; Ids = @('   ') }
            @{ Case = 'an empty id among good ones'; Ids = @('pf_acme_0001', '') }
        ) {
            $failure = { Get-GliderPortfolio -PortfolioId $Ids } |
                Should -Throw -ErrorId 'ParameterArgumentValidationError,Glider.PowerShell.Commands.GetGliderPortfolioCommand' -PassThru
            $failure.Exception.Message | Should -BeLike "*'PortfolioId'*"
            Get-GliderTestRequest | Should -BeNullOrEmpty
        }

        It 'refuses a dot-segment id <Id> at binding, sending nothing' -ForEach @(
            @{ Id = '..' }, @{ Id = '.' }, @{ Id = '%2E%2E' }, @{ Id = 'pf_acme_0001/../pf_boreal_0001' }
        ) {
            $failure = { Get-GliderPortfolio -PortfolioId $Id } |
                Should -Throw -ErrorId 'ParameterArgumentValidationError,Glider.PowerShell.Commands.GetGliderPortfolioCommand' -PassThru
            $failure.Exception.Message | Should -BeLike "*'PortfolioId'*segment*"
            Get-GliderTestRequest | Should -BeNullOrEmpty
        }

        It 'accepts ids with dots that are not whole segments' {
            Get-GliderPortfolio -PortfolioId 'pf.acme..0001' -ErrorVariable failures -ErrorAction SilentlyContinue
            $failures[0].FullyQualifiedErrorId | Should -Be 'GliderNotFound,Glider.PowerShell.Commands.GetGliderPortfolioCommand'
        }
    }

    Context 'connections and output' {
        It 'uses -Connection over the default connection' {
            $tenant2 = Connect-Glider -ApiKey (Get-GliderTestSecureKey Tenant2) -BaseUri $emu.BaseUri -PassThru
            Connect-Glider -ApiKey (Get-GliderTestSecureKey) -BaseUri $emu.BaseUri -SkipValidation
            (Get-GliderPortfolio -Connection $tenant2).PortfolioId | Should -Be ('pf_boreal_0005', 'pf_boreal_0004', 'pf_boreal_0003', 'pf_boreal_0002', 'pf_boreal_0001')
            (Get-GliderTestRequest -PathLike '/v2/portfolios*').apiKeyId | Sort-Object -Unique | Should -Be 'key_demo_t2'
        }

        It 'shows method, URL, status, elapsed time and correlation id with -Verbose' {
            $verbose = Get-GliderPortfolio -PortfolioId pf_acme_0001 -Verbose 4>&1 | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }
            $request = (Get-GliderTestRequest)[0]
            $line = @($verbose.Message) -like 'GET *'
            $line | Should -HaveCount 1
            $line[0] | Should -BeLike "GET *$($emu.BaseUri)/v2/portfolios/pf_acme_0001* 200 * ms*"
            $line[0] | Should -BeLike "*$($request.correlationId)*"
        }

        It 'has a table view' {
            $table = Get-GliderPortfolio -PortfolioId pf_acme_0001 | Out-String -Width 300
            $table | Should -BeLike '*PortfolioId*Strategy*Schedule*NextDue*LastRebalance (local)*'
            $table | Should -BeLike '*pf_acme_0001*'
        }
    }

    Context 'failures' {
        It 'maps <Status> to <ErrorId> (<Category>)' -ForEach @(
            @{ Status = 400; ErrorId = 'GliderBadRequest'; Category = 'InvalidArgument' }
            @{ Status = 403; ErrorId = 'GliderPermissionDenied'; Category = 'PermissionDenied' }
        ) {
            $null = Add-GliderTestFault @{ method = 'GET'; portfolioId = 'pf_acme_0009'; count = 10; kind = 'status'; status = $Status }
            Get-GliderPortfolio -PortfolioId pf_acme_0009, pf_acme_0010 -ErrorVariable failures -ErrorAction SilentlyContinue |
                Select-Object -ExpandProperty PortfolioId | Should -Be 'pf_acme_0010'
            $failures[0].FullyQualifiedErrorId | Should -Be "$ErrorId,Glider.PowerShell.Commands.GetGliderPortfolioCommand"
            $failures[0].CategoryInfo.Category | Should -Be $Category
            $failures[0].TargetObject | Should -Be 'pf_acme_0009'
        }

        It 'ends the command on 401 (every other item would fail the same way)' {
            $null = Add-GliderTestFault @{ method = 'GET'; count = 10; kind = 'status'; status = 401 }
            # One at a time, so the 401 on the first is in before the second would be sent: it never is.
            { Get-GliderPortfolio -PortfolioId pf_acme_0001, pf_acme_0002 -ThrottleLimit 1 -ErrorAction SilentlyContinue } |
                Should -Throw -ErrorId 'GliderAuthenticationFailed,Glider.PowerShell.Commands.GetGliderPortfolioCommand'
            (Get-GliderTestRequest -PathLike '*pf_acme_0002*') | Should -BeNullOrEmpty
        }

        It 'stops within a second on Ctrl+C while a request hangs' {
            $null = Add-GliderTestFault @{ method = 'GET'; portfolioId = 'pf_acme_0001'; count = 5; kind = 'delay'; delayMs = 20000 }
            $ps = New-GliderTestRunspace
            try {
                $null = $ps.AddScript({
                        param($BaseUri, $Key)
                        Connect-Glider -ApiKey (ConvertTo-SecureString $Key -AsPlainText -Force) -BaseUri $BaseUri -SkipValidation
                        Get-GliderPortfolio -PortfolioId pf_acme_0001
                    }).AddArgument($emu.BaseUri).AddArgument((Get-GliderTestKey))
                $async = $ps.BeginInvoke()
                # The emulator counts a request when it arrives (and logs it only when it answers).
                (Wait-GliderTestCondition { (Get-GliderTestStat).requests -ge 1 } -TimeoutSec 30) | Should -BeTrue
                $ps.InvocationStateInfo.State | Should -Be 'Running'
                $elapsed = Measure-Command { $ps.Stop() }
                $elapsed.TotalSeconds | Should -BeLessThan 1.5
                $ps.InvocationStateInfo.State | Should -Be 'Stopped'
                $ps.Streams.Error | Where-Object { $_.Exception -is [System.AggregateException] } | Should -BeNullOrEmpty
            }
            finally {
                $ps.Dispose()
            }
        }
    }
}

Describe 'Get-GliderPortfolio paging (-First, -Skip)' {
    BeforeEach {
        Reset-GliderTestEmulator
    }

    It '-First 5 asks the API for five, in one request, with no page read ahead' {
        $portfolios = @(Get-GliderPortfolio -First 5)

        $portfolios.PortfolioId | Should -Be @('pf_acme_0250', 'pf_acme_0249', 'pf_acme_0248', 'pf_acme_0247', 'pf_acme_0246')
        $lists = @(Get-GliderTestRequest -Method GET -PathLike '/v2/portfolios`?*')
        $lists.Count | Should -Be 1
        $lists[0].rawTarget | Should -BeLike '*limit=5*'
    }

    It '-Skip 198 -First 5 reads the two pages that hold them, the second only as large as needed' {
        $portfolios = @(Get-GliderPortfolio -Skip 198 -First 5)

        $portfolios.PortfolioId | Should -Be @('pf_acme_0052', 'pf_acme_0051', 'pf_acme_0050', 'pf_acme_0049', 'pf_acme_0048')
        $lists = @(Get-GliderTestRequest -Method GET -PathLike '/v2/portfolios`?*')
        $lists.Count | Should -Be 2
        $lists[0].rawTarget | Should -BeLike '*limit=200*'
        $lists[1].rawTarget | Should -BeLike '*limit=3*'
    }

    It '-Skip alone writes the rest of the listing' {
        @(Get-GliderPortfolio -Skip 245).PortfolioId | Should -Be @('pf_acme_0005', 'pf_acme_0004', 'pf_acme_0003', 'pf_acme_0002', 'pf_acme_0001')
    }

    It '-IncludeTotalCount says the total is unknown, and -First 0 sends nothing' {
        $output = @(Get-GliderPortfolio -IncludeTotalCount -First 0)
        $output.Count | Should -Be 1
        $output[0].ToString() | Should -BeLike "Unknown total count*"
        @(Get-GliderTestRequest) | Should -BeNullOrEmpty
    }

    It 'refuses -First with -PortfolioId, naming the parameters, before anything is sent' {
        { Get-GliderPortfolio -PortfolioId pf_acme_0001 -First 1 -ErrorAction Stop } |
            Should -Throw -ErrorId 'GliderPagingWithPortfolioId,Glider.PowerShell.Commands.GetGliderPortfolioCommand' -ExpectedMessage '*-First*'
        @(Get-GliderTestRequest) | Should -BeNullOrEmpty
    }
}
