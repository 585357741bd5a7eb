#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.7.1' }

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'GliderTestHelper.psm1') -Force
    $emu = Initialize-GliderTest
}

AfterAll {
    Complete-GliderTest
}

Describe 'Get-GliderOperation' {
    BeforeEach {
        Reset-GliderTestEmulator -OperationMs 1500
    }

    It 'gets the operation of a piped submission, sending the opaque id back byte for byte' {
        $submission = Invoke-GliderRebalance -PortfolioId pf_acme_0001
        $submission.OperationId | Should -BeLike '*%3A*'

        $operation = $submission | Get-GliderOperation
        $operation | Should -BeOfType ([Glider.Client.Models.Operation])
        $operation.OperationId | Should -BeExactly $submission.OperationId
        $operation.PortfolioId | Should -Be 'pf_acme_0001'
        $operation.State | Should -BeIn 'accepted', 'running'
        $operation.IsTerminal | Should -BeFalse

        $get = Get-GliderTestRequest -Method GET -PathLike '*/operations/*'
        $get.Count | Should -Be 1
        # The emulator decodes each path segment once and compares ordinally: 200 means the id survived intact.
        $get[0].status | Should -Be 200
        $get[0].rawTarget | Should -BeLike '/v2/portfolios/pf_acme_0001/operations/*'
    }

    It 'sees the operation complete' {
        $submission = Invoke-GliderRebalance -PortfolioId pf_acme_0002
        Start-Sleep -Milliseconds 2200
        $operation = Get-GliderOperation -PortfolioId pf_acme_0002 -OperationId $submission.OperationId
        $operation.State | Should -Be 'completed'
        $operation.FinishedAt | Should -Not -BeNullOrEmpty
    }

    It 'traces each request when $VerbosePreference asks for it, and not with -Verbose:$false' {
        $submission = Invoke-GliderRebalance -PortfolioId pf_acme_0005
        $shown = & {
            $VerbosePreference = 'Continue'
            $submission | Get-GliderOperation 4>&1
        }
        @($shown | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] -and $_.Message -like 'GET */operations/* -> 200 *' }) |
            Should -HaveCount 1
        $hidden = & {
            $VerbosePreference = 'Continue'
            $submission | Get-GliderOperation -Verbose:$false 4>&1
        }
        @($hidden | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }) | Should -BeNullOrEmpty
        @($hidden | Where-Object { $_ -is [Glider.Client.Models.Operation] }) | Should -HaveCount 1
    }

    It 'takes both ids by position' {
        $submission = Invoke-GliderRebalance -PortfolioId pf_acme_0003
        (Get-GliderOperation pf_acme_0003 $submission.OperationId).OperationId | Should -BeExactly $submission.OperationId
    }

    It 'writes GliderNotFound with the operation reference as target for an unknown operation' {
        Get-GliderOperation -PortfolioId pf_acme_0001 -OperationId 'rebalance:nope' -ErrorVariable failures -ErrorAction SilentlyContinue |
            Should -BeNullOrEmpty
        $failures[0].FullyQualifiedErrorId | Should -Be 'GliderNotFound,Glider.PowerShell.Commands.GetGliderOperationCommand'
        $failures[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $failures[0].TargetObject.OperationId | Should -Be 'rebalance:nope'
        $failures[0].TargetObject.PortfolioId | Should -Be 'pf_acme_0001'
    }

    It 'goes on after a failing item' {
        $good = Invoke-GliderRebalance -PortfolioId pf_acme_0004
        $items = [pscustomobject]@{ PortfolioId = 'pf_acme_0004'; OperationId = 'rebalance:nope' }, $good
        ($items | Get-GliderOperation -ErrorVariable failures -ErrorAction SilentlyContinue).OperationId | Should -Be $good.OperationId
        $failures.Count | Should -Be 1
    }

    It 'refuses an empty <Parameter> before any request' -ForEach @(
        @{ Parameter = 'PortfolioId'; Arguments = @{ PortfolioId = ' '; OperationId = 'x' } }
        @{ Parameter = 'OperationId'; Arguments = @{ PortfolioId = 'pf_acme_0001'; OperationId = '' } }
    ) {
        $failure = { Get-GliderOperation @Arguments } |
            Should -Throw -ErrorId 'ParameterArgumentValidationError,Glider.PowerShell.Commands.GetGliderOperationCommand' -PassThru
        $failure.Exception.Message | Should -BeLike "*'$Parameter'*"
        Get-GliderTestRequest | Should -BeNullOrEmpty
    }

    It 'has a table view' {
        $operation = Invoke-GliderRebalance -PortfolioId pf_acme_0005 | Get-GliderOperation
        $operation | Out-String -Width 300 | Should -BeLike '*Operation*PortfolioId*State*Time*Error*'
    }
}

Describe 'Get-GliderOperation with no ids: the runs this session started' {
    BeforeEach {
        Reset-GliderTestEmulator -OperationMs 1000
    }

    It 'lists them newest first with the last state known, without a request, and they pipe into the wait' {
        $since = [datetimeoffset]::Now
        $first = Invoke-GliderRebalance -PortfolioId pf_acme_0031
        $second = Invoke-GliderRebalance -PortfolioId pf_acme_0032
        $null = Invoke-GliderEmulator (Get-GliderTestEmulator) DELETE requests

        $listed = @(Get-GliderOperation | Where-Object SentAt -GE $since)
        $listed | Should -HaveCount 2
        $listed[0] | Should -BeOfType ([Glider.PowerShell.StartedOperation])
        $listed.OperationId | Should -Be $second.OperationId, $first.OperationId
        $listed.State | Sort-Object -Unique | Should -Be 'submitted'
        $listed.Command | Sort-Object -Unique | Should -Be 'Invoke-GliderRebalance'
        @(Read-GliderTestRequestLog) | Should -BeNullOrEmpty -Because 'the list is the session''s record, not a call'

        $finished = @($listed | Wait-GliderOperation -PollIntervalSec 1 -Timeout 30)
        $finished.State | Sort-Object -Unique | Should -Be 'completed'
        # The wait's polls updated the record.
        @(Get-GliderOperation | Where-Object SentAt -GE $since).State | Sort-Object -Unique | Should -Be 'completed'
    }

    It 'lists runs also without a connection' {
        $null = Invoke-GliderRebalance -PortfolioId pf_acme_0033
        Disconnect-Glider
        @(Get-GliderOperation).PortfolioId | Should -Contain 'pf_acme_0033'
    }

    It 'keeps the newest 1,000 runs of the runspace' {
        $type = [Glider.PowerShell.GliderConnection].Assembly.GetType('Glider.PowerShell.SessionOperations', $true)
        $record = [System.Activator]::CreateInstance($type, $true)
        foreach ($n in 1..1001) { $null = $record.Sending(('pf_bound_{0:d4}' -f $n), 'test') }
        $kept = @($record.Newest())
        $kept | Should -HaveCount 1000
        $kept[0].PortfolioId | Should -Be 'pf_bound_1001'
        $kept[-1].PortfolioId | Should -Be 'pf_bound_0002'
    }
}
