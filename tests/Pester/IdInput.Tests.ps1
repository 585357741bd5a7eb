#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.7.1' }

# What users actually pipe and paste as ids: objects and hashtables, ids with a stray newline or space, control
# characters, thousands of characters. Each is either turned into the id or refused at binding, before any request,
# with an error that names the parameter; and no message prints an id raw.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'GliderTestHelper.psm1') -Force
    $emu = Initialize-GliderTest
}

AfterAll {
    Complete-GliderTest
}

Describe 'Id parameters' {
    BeforeEach {
        Reset-GliderTestEmulator
    }

    Context 'objects and dictionaries' {
        It 'takes the PortfolioId key of a piped hashtable' {
            $portfolio = @{ PortfolioId = 'pf_acme_0001' } | Get-GliderPortfolio
            $portfolio.PortfolioId | Should -Be 'pf_acme_0001'
            (Get-GliderTestRequest).rawTarget | Should -Be '/v2/portfolios/pf_acme_0001'
        }

        It 'takes the PortfolioId of a [pscustomobject] and of an ordered dictionary' {
            $ids = @([pscustomobject]@{ PortfolioId = 'pf_acme_0002' }, [ordered]@{ PortfolioId = 'pf_acme_0003' }) | Get-GliderPortfolio
            $ids.PortfolioId | Sort-Object | Should -Be 'pf_acme_0002', 'pf_acme_0003'
            (Get-GliderTestRequest).rawTarget | Sort-Object | Should -Be '/v2/portfolios/pf_acme_0002', '/v2/portfolios/pf_acme_0003'
        }

        It 'refuses an object without PortfolioId, naming the parameter and the type, and sends nothing' {
            { [pscustomobject]@{ Id = 'pf_acme_0001' } | Get-GliderPortfolio -ErrorAction Stop } |
                Should -Throw "*'PortfolioId'*PSCustomObject with properties Id*"
            { Invoke-GliderRebalance -PortfolioId @{ Id = 'pf_acme_0001' } -ErrorAction Stop } |
                Should -Throw "*'PortfolioId'*Hashtable without the PortfolioId key*"
            { Suspend-GliderPortfolio -PortfolioId (Get-Date) -ErrorAction Stop } |
                Should -Throw "*'PortfolioId'*System.DateTime*"
            { Get-GliderPortfolio -StrategyId @{ Name = 'x' } -ErrorAction Stop } | Should -Throw "*'StrategyId'*without the StrategyId key*"
            { Get-GliderPortfolio -OwnerAccountId 42 -ErrorAction Stop } | Should -Throw "*'OwnerAccountId'*System.Int32*"
            { Get-GliderOperation -PortfolioId pf_acme_0001 -OperationId @{ Id = 'op' } -ErrorAction Stop } |
                Should -Throw "*'OperationId'*without the OperationId key*"
            Get-GliderTestRequest | Should -BeNullOrEmpty
        }

        It 'refuses the object in a pipeline of otherwise good ids, and goes on with the others' {
            $found = 'pf_acme_0001', [pscustomobject]@{ Id = 'pf_acme_0002' }, 'pf_acme_0003' |
                Get-GliderPortfolio -ErrorAction SilentlyContinue -ErrorVariable failures
            $found.PortfolioId | Sort-Object | Should -Be 'pf_acme_0001', 'pf_acme_0003'
            $failures | Should -HaveCount 1
            "$($failures[0])" | Should -BeLike "*'PortfolioId'*PSCustomObject*"
            (Get-GliderTestRequest).rawTarget | Should -Not -Contain '/v2/portfolios/%40%7BId%3Dpf_acme_0002%7D'
            @(Get-GliderTestRequest) | Should -HaveCount 2
        }

        It 'still binds a submission to Wait-GliderOperation and a portfolio to Invoke-GliderRebalance' {
            Set-GliderTestTiming @{ operationMs = 300 }
            $done = Get-GliderPortfolio -PortfolioId pf_acme_0005 | Invoke-GliderRebalance | Wait-GliderOperation -Timeout 60 -PollIntervalSec 1
            $done.State | Should -Be 'completed'
        }
    }

    Context 'the text of an id' {
        It 'refuses <Name> at binding, with a reason, before any request' -ForEach @(
            @{ Name = 'a trailing newline'; Id = "pf_acme_0001`n"; Reason = '*starts or ends with whitespace*' }
            @{ Name = 'a leading space'; Id = ' pf_acme_0001'; Reason = '*starts or ends with whitespace*' }
            @{ Name = 'a NUL'; Id = "pf_acme`0_0001"; Reason = '*control character*' }
            @{ Name = 'an embedded line break'; Id = "pf_acme`r`nINJECTED"; Reason = '*control character*' }
            @{ Name = 'thousands of characters'; Id = ('x' * 5000); Reason = '*5000 characters long; ids are at most 1024*' }
        ) {
            { Get-GliderPortfolio -PortfolioId $Id -ErrorAction Stop } | Should -Throw "Cannot validate argument on parameter 'PortfolioId'*$Reason"
            { Invoke-GliderRebalance -PortfolioId $Id -ErrorAction Stop } | Should -Throw "*'PortfolioId'*"
            { Get-GliderOperation -PortfolioId pf_acme_0001 -OperationId $Id -ErrorAction Stop } | Should -Throw "*'OperationId'*$Reason"
            Get-GliderTestRequest | Should -BeNullOrEmpty
        }

        It 'never prints an id raw: control characters escaped, long ids cut' {
            $newline = { Get-GliderPortfolio -PortfolioId "pf_1`nFAKE: forged line" -ErrorAction Stop } | Should -Throw -PassThru
            $newline.Exception.Message | Should -Not -Match "`n"
            $newline.Exception.Message | Should -BeLike "*'pf_1\nFAKE: forged line'*"

            $long = { Get-GliderPortfolio -PortfolioId ('y' * 4000) -ErrorAction Stop } | Should -Throw -PassThru
            $long.Exception.Message.Length | Should -BeLessThan 400
            $long.Exception.Message | Should -BeLike '*(4000 characters)*'
        }

        It 'does not offer a portfolio id as the example for an empty -OperationId' {
            $empty = { Get-GliderOperation -PortfolioId pf_acme_0001 -OperationId '' -ErrorAction Stop } | Should -Throw -PassThru
            $empty.Exception.Message | Should -BeLike "*'OperationId'*empty*"
            $empty.Exception.Message | Should -Not -BeLike '*pf_*'
        }

        It 'accepts an id of exactly 1024 characters (the API then answers for it)' {
            $null = Get-GliderPortfolio -PortfolioId ('z' * 1024) -ErrorAction SilentlyContinue -ErrorVariable failures
            @(Get-GliderTestRequest) | Should -HaveCount 1
        }
    }
}

Describe 'API key input' {
    BeforeEach {
        Reset-GliderTestEmulator -Key None
    }

    It 'trims whitespace around the key from -ApiKey, -Credential and GLIDER_API_KEY' {
        $padded = " $(Get-GliderTestKey ReadWrite)`r`n"
        (Connect-Glider -ApiKey (ConvertTo-SecureString $padded -AsPlainText -Force) -BaseUri $emu.BaseUri -PassThru).IsValidated | Should -BeTrue
        $credential = [pscredential]::new('automation', (ConvertTo-SecureString $padded -AsPlainText -Force))
        (Connect-Glider -Credential $credential -BaseUri $emu.BaseUri -PassThru).TenantName | Should -Not -BeNullOrEmpty
        Disconnect-Glider
        $env:GLIDER_API_KEY = $padded
        $env:GLIDER_BASE_URI = $emu.BaseUri
        try {
            (Get-GliderPortfolio -PortfolioId pf_acme_0001).PortfolioId | Should -Be 'pf_acme_0001'
            (Connect-Glider -PassThru).IsValidated | Should -BeTrue
        }
        finally { Remove-Item Env:GLIDER_API_KEY, Env:GLIDER_BASE_URI -ErrorAction Ignore }
        @(Get-GliderTestRequest | Where-Object status -ne 200) | Should -BeNullOrEmpty
    }

    It 'still refuses a key that is only whitespace' {
        { Connect-Glider -ApiKey (ConvertTo-SecureString " `n" -AsPlainText -Force) -BaseUri $emu.BaseUri -ErrorAction Stop } |
            Should -Throw -ErrorId 'GliderApiKeyMissing,Glider.PowerShell.Commands.ConnectGliderCommand'
    }
}
