#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.7.1' }

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'GliderTestHelper.psm1') -Force
    $emu = Initialize-GliderTest
}

AfterAll {
    Complete-GliderTest
}

Describe 'Wait-GliderOperation' {
    BeforeEach {
        Reset-GliderTestEmulator -OperationMs 1500
    }

    Context 'waiting' {
        It 'runs the whole pipeline Get-GliderPortfolio | Invoke-GliderRebalance | Wait-GliderOperation' {
            $operations = Get-GliderPortfolio -PortfolioId pf_acme_0001, pf_acme_0002 | Invoke-GliderRebalance | Wait-GliderOperation -PollIntervalSec 1 -Timeout 20
            $operations | Should -HaveCount 2
            $operations[0] | Should -BeOfType ([Glider.Client.Models.Operation])
            $operations.State | Sort-Object -Unique | Should -Be 'completed'
            $operations.PortfolioId | Sort-Object | Should -Be 'pf_acme_0001', 'pf_acme_0002'
            $operations.FinishedAt | Should -Not -BeNullOrEmpty
        }

        It 'waits for several operations at once, in about one lifecycle' {
            Set-GliderTestTiming @{ operationMs = 2000 }
            $ids = 1..6 | ForEach-Object { 'pf_acme_{0:d4}' -f (100 + $_) }
            $submissions = Invoke-GliderRebalance -PortfolioId $ids
            $operations = $submissions | Wait-GliderOperation -PollIntervalSec 1 -Timeout 30
            $operations | Should -HaveCount 6
            $operations.State | Sort-Object -Unique | Should -Be 'completed'
            # Together, not one after another: every operation was first polled before any had its last poll.
            $polls = @(Get-GliderTestRequest -Method GET -PathLike '*/operations/*') | Group-Object { ($_.rawTarget -split '/')[3] }
            $polls | Should -HaveCount 6
            $firstPolls = $polls | ForEach-Object { [DateTimeOffset] $_.Group[0].time }
            $lastPolls = $polls | ForEach-Object { [DateTimeOffset] $_.Group[-1].time }
            ($firstPolls | Measure-Object -Maximum).Maximum | Should -BeLessThan ($lastPolls | Measure-Object -Minimum).Minimum
        }

        It 'takes -PortfolioId and -OperationId by name' {
            $submission = Invoke-GliderRebalance -PortfolioId pf_acme_0003
            $operation = Wait-GliderOperation -PortfolioId pf_acme_0003 -OperationId $submission.OperationId -PollIntervalSec 1 -Timeout 20
            $operation.State | Should -Be 'completed'
            $operation.OperationId | Should -BeExactly $submission.OperationId
        }

        It 'waits once for an operation piped twice' {
            $submission = Invoke-GliderRebalance -PortfolioId pf_acme_0004
            ($submission, $submission | Wait-GliderOperation -PollIntervalSec 1 -Timeout 20) | Should -HaveCount 1
        }

        It 'emits each operation as it finishes, not all at the end' {
            Set-GliderTestTiming @{ operationMs = 1000 }
            $first = Invoke-GliderRebalance -PortfolioId pf_acme_0005
            Set-GliderTestTiming @{ operationMs = 4000 }
            $second = Invoke-GliderRebalance -PortfolioId pf_acme_0006
            $arrivals = [System.Collections.Generic.List[object]]::new()
            $first, $second | Wait-GliderOperation -PollIntervalSec 1 -Timeout 20 | ForEach-Object {
                # What the emulator had answered about the slow one when this operation came out.
                $slowPolls = @(Read-GliderTestRequestLog | Where-Object { $_.rawTarget -like '*pf_acme_0006*operations*' })
                $arrivals.Add([pscustomobject]@{ PortfolioId = $_.PortfolioId; SlowPollsSoFar = $slowPolls.Count })
            }
            $arrivals.PortfolioId | Should -Be 'pf_acme_0005', 'pf_acme_0006'
            # The fast one came out while the slow one was still being polled: more polls of it followed.
            $arrivals[0].SlowPollsSoFar | Should -BeLessThan $arrivals[1].SlowPollsSoFar
        }

        It 'returns after the first finished operation with -Any' {
            $first = Invoke-GliderRebalance -PortfolioId pf_acme_0007
            Set-GliderTestTiming @{ operationMs = 20000 }
            $slow = Invoke-GliderRebalance -PortfolioId pf_acme_0008
            $operations = $first, $slow | Wait-GliderOperation -Any -PollIntervalSec 1 -Timeout 15
            $operations.PortfolioId | Should -Be 'pf_acme_0007'
            # Waiting on for the 20 s run would have polled it every second until the 15 s timeout.
            @(Get-GliderTestRequest -Method GET -PathLike '*pf_acme_0008*operations*').Count | Should -BeLessOrEqual 3
        }

        It 'first polls a fresh submission one interval after it was submitted, not at once' {
            # 1.5 s runs, polled every 2 s: one poll each when the first waits for submittedAt + 2 s; polling at once
            # would take two (one at once, wasted, and one 2 s later).
            $operations = Invoke-GliderRebalance -PortfolioId pf_acme_0021, pf_acme_0022, pf_acme_0023 |
                Wait-GliderOperation -PollIntervalSec 2 -Timeout 20
            $operations.State | Sort-Object -Unique | Should -Be 'completed'
            @(Get-GliderTestRequest -Method GET -PathLike '*/operations/*').Count | Should -Be 3
        }

        It 'polls at once an operation submitted longer ago than one interval' {
            $submission = Invoke-GliderRebalance -PortfolioId pf_acme_0024
            Start-Sleep -Milliseconds 2500
            $submission.SubmittedAt | Should -Not -BeNullOrEmpty
            $elapsed = Measure-Command { $operation = $submission | Wait-GliderOperation -PollIntervalSec 2 -Timeout 20 }
            $operation.State | Should -Be 'completed'
            $elapsed.TotalSeconds | Should -BeLessThan 1.5 -Because 'a first poll delayed by another interval would take 2 s'
            @(Get-GliderTestRequest -Method GET -PathLike '*/operations/*').Count | Should -Be 1
        }

        It 'shows each poll with -Verbose, written from the pipeline thread' {
            $submission = Invoke-GliderRebalance -PortfolioId pf_acme_0009
            $verbose = $submission | Wait-GliderOperation -PollIntervalSec 1 -Timeout 20 -Verbose 4>&1 |
                Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }
            @($verbose | Where-Object Message -Like 'GET */operations/* 200 *').Count | Should -BeGreaterThan 0
        }

        It 'refuses -PollIntervalSec 0 and an empty -OperationId' {
            { Wait-GliderOperation -PortfolioId pf_acme_0001 -OperationId x -PollIntervalSec 0 } |
                Should -Throw -ErrorId 'ParameterArgumentValidationError,Glider.PowerShell.Commands.WaitGliderOperationCommand'
            { Wait-GliderOperation -PortfolioId pf_acme_0001 -OperationId '' } |
                Should -Throw -ErrorId 'ParameterArgumentValidationError,Glider.PowerShell.Commands.WaitGliderOperationCommand'
            Get-GliderTestRequest | Should -BeNullOrEmpty
        }
    }

    Context 'unsuccessful operations' {
        It 'writes GliderOperationFailed with the operation as target and the server error in the message' {
            Set-GliderTestOutcome -PortfolioId pf_acme_0011 -Outcome failed -ErrorMessage 'slippage above tolerance' -Via retrying
            $operations = Invoke-GliderRebalance -PortfolioId pf_acme_0011, pf_acme_0012 |
                Wait-GliderOperation -PollIntervalSec 1 -Timeout 20 -ErrorVariable failures -ErrorAction SilentlyContinue
            ($operations | Where-Object PortfolioId -EQ 'pf_acme_0012').State | Should -Be 'completed'
            ($operations | Where-Object PortfolioId -EQ 'pf_acme_0011').State | Should -Be 'failed'
            $failures | Should -HaveCount 1
            $record = $failures[0]
            $record.FullyQualifiedErrorId | Should -Be 'GliderOperationFailed,Glider.PowerShell.Commands.WaitGliderOperationCommand'
            $record.TargetObject | Should -BeOfType ([Glider.Client.Models.Operation])
            $record.TargetObject.PortfolioId | Should -Be 'pf_acme_0011'
            $record.Exception.Message | Should -BeLike '*slippage above tolerance*'
            $record.Exception.OperationError | Should -Be 'slippage above tolerance'
        }

        It 'writes GliderOperationCancelled for a cancelled operation' {
            Set-GliderTestOutcome -PortfolioId pf_acme_0013 -Outcome cancelled -ErrorMessage 'cancelled by the owner'
            Invoke-GliderRebalance -PortfolioId pf_acme_0013 |
                Wait-GliderOperation -PollIntervalSec 1 -Timeout 20 -ErrorVariable failures -ErrorAction SilentlyContinue |
                Select-Object -ExpandProperty State | Should -Be 'cancelled'
            $failures[0].FullyQualifiedErrorId | Should -Be 'GliderOperationCancelled,Glider.PowerShell.Commands.WaitGliderOperationCommand'
            $failures[0].Exception.Message | Should -BeLike '*cancelled by the owner*'
        }

        It 'fails a runbook with -ErrorAction Stop (catchable, with the operation)' {
            Set-GliderTestOutcome -PortfolioId pf_acme_0014 -Outcome failed -ErrorMessage 'venue unavailable'
            $submission = Invoke-GliderRebalance -PortfolioId pf_acme_0014
            $caught = $null
            try { $submission | Wait-GliderOperation -PollIntervalSec 1 -Timeout 20 -ErrorAction Stop }
            catch [Glider.Client.Errors.GliderException] { $caught = $_ }
            $caught | Should -Not -BeNullOrEmpty
            $caught.FullyQualifiedErrorId | Should -Be 'GliderOperationFailed,Glider.PowerShell.Commands.WaitGliderOperationCommand'
            $caught.Exception.Operation.State | Should -Be 'failed'
        }

        It 'writes GliderOperationTimeout (OperationTimeout) for each unfinished operation' {
            Set-GliderTestTiming @{ operationMs = 30000 }
            $submissions = Invoke-GliderRebalance -PortfolioId pf_acme_0015, pf_acme_0016
            $elapsed = Measure-Command {
                $submissions | Wait-GliderOperation -PollIntervalSec 1 -Timeout 2 -ErrorVariable failures -ErrorAction SilentlyContinue |
                    Should -BeNullOrEmpty
            }
            $elapsed.TotalSeconds | Should -BeLessThan 6
            $failures | Should -HaveCount 2
            $failures.FullyQualifiedErrorId | Sort-Object -Unique | Should -Be 'GliderOperationTimeout,Glider.PowerShell.Commands.WaitGliderOperationCommand'
            $failures[0].CategoryInfo.Category | Should -Be 'OperationTimeout'
            @($failures.TargetObject.PortfolioId | Sort-Object) | Should -Be 'pf_acme_0015', 'pf_acme_0016'
        }

        It 'writes GliderNotFound for an unknown operation and still waits for the others' {
            $good = Invoke-GliderRebalance -PortfolioId pf_acme_0017
            $bad = [pscustomobject]@{ PortfolioId = 'pf_acme_0017'; OperationId = 'rebalance:unknown' }
            ($bad, $good | Wait-GliderOperation -PollIntervalSec 1 -Timeout 20 -ErrorVariable failures -ErrorAction SilentlyContinue).State |
                Should -Be 'completed'
            $failures[0].FullyQualifiedErrorId | Should -Be 'GliderNotFound,Glider.PowerShell.Commands.WaitGliderOperationCommand'
            $failures[0].TargetObject.OperationId | Should -Be 'rebalance:unknown'
        }
    }

    Context 'progress and Ctrl+C' {
        It 'writes rate-limited progress with the count per state and a completed record at the end' {
            $submissions = Invoke-GliderRebalance -PortfolioId pf_acme_0021, pf_acme_0022
            $ps = New-GliderTestRunspace
            try {
                $null = $ps.AddScript({
                        param($Connection, $Submissions)
                        $Submissions | Wait-GliderOperation -Connection $Connection -PollIntervalSec 1 -Timeout 20
                    }).AddArgument((Get-GliderContext)).AddArgument($submissions)
                $elapsed = Measure-Command { $operations = $ps.Invoke() }
                $operations | Should -HaveCount 2
                $progress = @($ps.Streams.Progress)
                $progress.Count | Should -BeGreaterThan 1
                $progress.Count | Should -BeLessOrEqual ([Math]::Ceiling($elapsed.TotalMilliseconds / 250) + 2)
                $progress[-1].RecordType | Should -Be 'Completed'
                @($progress | Where-Object StatusDescription -Like '*of 2 finished*').Count | Should -BeGreaterThan 0
                @($progress | Where-Object { $_.StatusDescription -like '*running: *' -or $_.StatusDescription -like '*accepted: *' }).Count | Should -BeGreaterThan 0
            }
            finally {
                $ps.Dispose()
            }
        }

        It 'stops quietly within a second or two on Ctrl+C' {
            Set-GliderTestTiming @{ operationMs = 60000 }
            $submission = Invoke-GliderRebalance -PortfolioId pf_acme_0023
            $ps = New-GliderTestRunspace
            try {
                $null = $ps.AddScript({
                        param($Connection, $Submission)
                        $Submission | Wait-GliderOperation -Connection $Connection -PollIntervalSec 1
                    }).AddArgument((Get-GliderContext)).AddArgument($submission)
                $null = $ps.BeginInvoke()
                # Let it poll a few times first.
                Start-Sleep -Milliseconds 2500
                $ps.InvocationStateInfo.State | Should -Be 'Running'
                @(Get-GliderTestRequest -Method GET -PathLike '*/operations/*').Count | Should -BeGreaterThan 0
                $elapsed = Measure-Command { $ps.Stop() }
                $elapsed.TotalSeconds | Should -BeLessThan 1.5
                $ps.InvocationStateInfo.State | Should -Be 'Stopped'
                $ps.InvocationStateInfo.Reason | Should -BeOfType ([System.Management.Automation.PipelineStoppedException])
                $ps.Streams.Error | Should -BeNullOrEmpty
                # No poll loop left behind.
                $count = @(Get-GliderTestRequest -Method GET -PathLike '*/operations/*').Count
                Start-Sleep -Milliseconds 2500
                @(Get-GliderTestRequest -Method GET -PathLike '*/operations/*').Count | Should -Be $count
            }
            finally {
                $ps.Dispose()
            }
        }
    }
}
