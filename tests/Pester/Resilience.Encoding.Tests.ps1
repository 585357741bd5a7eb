#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.7.1' }
# Resilience, input and encoding: odd operation ids reach the emulator as exactly one path segment that decodes back to
# the id, never leave the base host, and dot segments are refused before anything is sent.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'GliderTestHelper.psm1') -Force
    $emu = Initialize-GliderTest
    Import-Module (Join-Path $PSScriptRoot 'Resilience.Support.psm1') -Force
    $prefix = '/v2/portfolios/pf_acme_0001/operations/'
}

AfterAll {
    Complete-GliderTest
}

Describe 'Resilience: operation ids are sent as data' {
    BeforeEach {
        Reset-GliderTestEmulator
    }

    It 'sends <Name> as one segment that decodes back to exactly the id, on the base host' -ForEach @(
        @{ Name = 'op:1'; Id = 'op:1' }
        @{ Name = 'a%3Ab'; Id = 'a%3Ab' }
        @{ Name = 'a%2Fb'; Id = 'a%2Fb' }
        @{ Name = 'a/b'; Id = 'a/b' }
        @{ Name = 'a b'; Id = 'a b' }
        @{ Name = 'é'; Id = [string] [char] 0xE9 }
        @{ Name = '+'; Id = '+' }
        @{ Name = '#'; Id = '#' }
        @{ Name = '?'; Id = '?' }
        @{ Name = 'urn:x'; Id = 'urn:x' }
        # Ids are at most 1,024 characters (GliderId.MaxLength; longer ones are refused at binding, IdInput.Tests.ps1).
        @{ Name = 'a 1,020-character id with colons'; Id = ((1..255 | ForEach-Object { 'ab:c' }) -join '') }
    ) {
        $Id.Length | Should -BeGreaterThan 0
        # Not an existing operation: the emulator answers 404 (or 400 for a non-ASCII id); either is final, not retried.
        $null = Get-GliderOperation -PortfolioId pf_acme_0001 -OperationId $Id -ErrorAction SilentlyContinue -ErrorVariable failures
        $failures | Should -HaveCount 1
        $failures[0].FullyQualifiedErrorId | Should -Match '^Glider(NotFound|BadRequest),'

        $log = Get-ResilienceLog $emu -AtLeast 1
        $log | Should -HaveCount 1 -Because 'the request reached the emulator (the base host), once'
        $raw = $log[0].rawTarget
        $raw | Should -BeLike "$prefix*"
        $segment = $raw.Substring($prefix.Length)
        $segment | Should -Not -Match '[/?#]' -Because 'the id is one path segment, with no query or fragment'
        $segment | Should -Not -Match '%(?![0-9A-F]{2})' -Because 'every % is an escape (a literal % goes out as %25)'
        [uri]::UnescapeDataString($segment) | Should -BeExactly $Id
        if ($Id.Contains('%')) { $segment | Should -BeLike '*%25*' }
    }

    It 'round-trips the documented operation id with its literal %3A' {
        $submission = Invoke-GliderRebalance -PortfolioId pf_acme_0001
        $submission.OperationId | Should -BeLike '*%3A*'
        $operation = Get-GliderOperation -PortfolioId pf_acme_0001 -OperationId $submission.OperationId
        $operation.OperationId | Should -BeExactly $submission.OperationId
        $get = @(Get-ResilienceLog $emu -AtLeast 2 | Where-Object method -EQ 'GET')
        $get | Should -HaveCount 1
        [uri]::UnescapeDataString($get[0].rawTarget.Substring($prefix.Length)) | Should -BeExactly $submission.OperationId
    }
}

Describe 'Resilience: dot-segment ids are refused before anything is sent' {
    BeforeEach {
        Reset-GliderTestEmulator
    }

    It 'refuses operation id <Id> with a parameter error and sends nothing' -ForEach @(
        @{ Id = '.' }, @{ Id = '..' }, @{ Id = '%2E%2E' }, @{ Id = 'a/../b' }
    ) {
        $caught = $null
        try {
            Get-GliderOperation -PortfolioId pf_acme_0001 -OperationId $Id -ErrorAction Stop
        }
        catch {
            $caught = $_
        }
        $caught | Should -Not -BeNullOrEmpty
        # A parameter validation error names the parameter; it is not an unexpected exception from inside the cmdlet.
        $caught.FullyQualifiedErrorId | Should -BeLike 'ParameterArgumentValidationError*'
        $caught.Exception.Message | Should -BeLike "*'OperationId'*"
        $caught.Exception.Message | Should -BeLike '*segment*'
        Start-Sleep -Milliseconds 300 # a request, had one been sent, would be in the log by now
        Get-ResilienceLog $emu | Should -HaveCount 0
    }

    It 'refuses a dot-segment portfolio id and a dot-segment id piped to Wait-GliderOperation, sending nothing' {
        { Get-GliderPortfolio -PortfolioId '..' -ErrorAction Stop } | Should -Throw -ErrorId 'ParameterArgumentValidationError*'
        { [pscustomobject]@{ PortfolioId = 'pf_acme_0001'; OperationId = 'x/../y' } | Wait-GliderOperation -Timeout 5 -ErrorAction Stop } |
            Should -Throw -ErrorId 'ParameterArgumentValidationError*'
        Start-Sleep -Milliseconds 300 # a request, had one been sent, would be in the log by now
        Get-ResilienceLog $emu | Should -HaveCount 0
    }
}
