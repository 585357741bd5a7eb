#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.7.1' }
<#
    The module's help, as users see it: Get-Help -Full of every exported cmdlet is complete, about_GliderPS is found,
    and every example (docs/help/*.md, listed by tools/Build-Help.ps1 -ListExamples, the parser that builds the help)
    runs against the emulator without an error. Examples marked <!-- no-run: reason --> are reported as skipped.
#>

BeforeDiscovery {
    $repoRoot = [System.IO.Path]::GetFullPath((Join-Path $PSScriptRoot '../..'))
    # The source manifest (the staged one is its copy): discovery then works before the module is staged, and
    # BeforeAll reports a missing stage clearly.
    $manifest = Import-PowerShellDataFile -Path (Join-Path $repoRoot 'GliderPS.psd1')
    $cmdletNames = @($manifest.CmdletsToExport | Sort-Object)
    $examples = @(& (Join-Path $repoRoot 'tools/Build-Help.ps1') -SourcePath (Join-Path $repoRoot 'docs/help') -ListExamples |
            ForEach-Object {
                @{ Source = $_.Source; Number = $_.Number; Title = $_.Title; Code = $_.Code; NoRun = $_.NoRun; Line = $_.Line }
            })
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'GliderTestHelper.psm1') -Force
    $script:Emulator = Initialize-GliderTest
    $script:RepoRoot = [System.IO.Path]::GetFullPath((Join-Path $PSScriptRoot '../..'))
    $script:ModulePath = Get-GliderTestModulePath
    $script:DocExamples = @(& (Join-Path $script:RepoRoot 'tools/Build-Help.ps1') -SourcePath (Join-Path $script:RepoRoot 'docs/help') -ListExamples)

    # Each example's runspace imports the staged manifest; the runspaces of ForEach-Object -Parallel in an example
    # auto-load GliderPS by name, as from an installed module: put the folder holding the module folder on
    # PSModulePath for this process (restored in AfterAll).
    $folder = [System.IO.DirectoryInfo]::new($script:ModulePath)
    if ($folder.Name -ne 'GliderPS' -and $folder.Parent -and $folder.Parent.Name -eq 'GliderPS') { $folder = $folder.Parent }
    $script:SavedModulePath = $env:PSModulePath
    $env:PSModulePath = $folder.Parent.FullName + [System.IO.Path]::PathSeparator + $env:PSModulePath

    # Runs one example in a fresh runspace: emulator back to the seed with short timings, GLIDER_API_KEY and
    # GLIDER_BASE_URI pointing at it, and a stand-in for Azure Automation's Get-AutomationPSCredential.
    function Invoke-HelpExample {
        param([Parameter(Mandatory)] [string] $Code, [int] $TimeoutSec = 120)

        Reset-GliderTestEmulator -OperationMs 400 -CooldownSeconds 10 -Key None
        $env:GLIDER_API_KEY = Get-GliderTestKey ReadWrite
        $env:GLIDER_BASE_URI = $script:Emulator.BaseUri

        $runspace = [runspacefactory]::CreateRunspace([System.Management.Automation.Runspaces.InitialSessionState]::CreateDefault2())
        $runspace.Open()
        $ps = [powershell]::Create()
        $ps.Runspace = $runspace
        try {
            $null = $ps.AddScript({
                    param($Manifest, $Key)
                    Import-Module -Name $Manifest -ErrorAction Stop
                    $secureKey = ConvertTo-SecureString -String $Key -AsPlainText -Force
                    # Azure Automation's cmdlet; here it returns the emulator's demo key as the asset's password.
                    $stub = { param([Parameter(Mandatory)] [string] $Name) [pscredential]::new($Name, $secureKey) }.GetNewClosure()
                    Set-Item -Path Function:global:Get-AutomationPSCredential -Value $stub
                }).AddArgument((Join-Path $script:ModulePath 'GliderPS.psd1')).AddArgument((Get-GliderTestKey ReadWrite))
            $null = $ps.Invoke()
            if ($ps.Streams.Error.Count -gt 0) { throw "Preparing the runspace failed: $($ps.Streams.Error[0])" }
            $ps.Commands.Clear()

            $null = $ps.AddScript($Code)
            $watch = [System.Diagnostics.Stopwatch]::StartNew()
            $async = $ps.BeginInvoke()
            if (-not $async.AsyncWaitHandle.WaitOne([TimeSpan]::FromSeconds($TimeoutSec))) {
                $ps.Stop()
                throw "The example did not finish within $TimeoutSec s."
            }
            $threw = $null
            $output = $null
            try { $output = $ps.EndInvoke($async) }
            catch {
                $inner = $_.Exception
                while ($inner.InnerException -and $inner -is [System.Management.Automation.MethodInvocationException]) { $inner = $inner.InnerException }
                $threw = $inner
            }
            [pscustomobject]@{
                Output  = @($output)
                Errors  = @($ps.Streams.Error)
                Threw   = $threw
                Elapsed = $watch.Elapsed
                Text    = (@($output) | Out-String -Width 200)
            }
        }
        finally {
            $ps.Dispose()
            $runspace.Dispose()
            Remove-Item -Path Env:GLIDER_API_KEY, Env:GLIDER_BASE_URI -ErrorAction Ignore
        }
    }

    function Get-HelpText($Node) {
        # Get-Help's description-like fields are arrays of objects with a Text property.
        (@($Node) | ForEach-Object { if ($_ -is [string]) { $_ } elseif ($_.PSObject.Properties['Text']) { $_.Text } }) -join "`n"
    }
}

AfterAll {
    if ($null -ne $script:SavedModulePath) { $env:PSModulePath = $script:SavedModulePath }
    Complete-GliderTest
}

Describe 'GliderPS help' {
    It 'documents exactly the cmdlets the module exports' {
        $exported = @(Get-Command -Module GliderPS -CommandType Cmdlet | ForEach-Object Name | Sort-Object)
        $documented = @(Get-ChildItem -Path (Join-Path $script:RepoRoot 'docs/help') -Filter '*-*.md' | ForEach-Object BaseName | Sort-Object)
        $exported.Count | Should -BeGreaterThan 0
        $documented | Should -Be $exported
    }

    It 'ships the MAML beside GliderPS.dll of every edition, and the about topic' {
        foreach ($edition in 'core', 'desktop') {
            $xmlPath = Join-Path $script:ModulePath "bin/$edition/en-US/GliderPS.dll-Help.xml"
            $xmlPath | Should -Exist
            [xml] $xml = Get-Content -Raw -Path $xmlPath
            $xml.helpItems.schema | Should -Be 'maml'
            @($xml.helpItems.command).Count | Should -Be @(Get-Command -Module GliderPS -CommandType Cmdlet).Count
        }
        Join-Path $script:ModulePath 'en-US/about_GliderPS.help.txt' | Should -Exist
    }

    It 'names only error ids that the module really raises' {
        # Every Glider* word in the help is a type name, the module name, the example credential asset name, or an
        # error id that appears as a string literal in the cmdlets' source: renaming an id must not leave stale docs.
        $source = Get-ChildItem -Path (Join-Path $script:RepoRoot 'src/Glider.PowerShell') -Filter '*.cs' -Recurse |
            ForEach-Object { [System.IO.File]::ReadAllText($_.FullName) }
        $literals = @([regex]::Matches(($source -join "`n"), '"(Glider[A-Za-z]+)"') | ForEach-Object { $_.Groups[1].Value } | Sort-Object -Unique)
        $literals += @([regex]::Matches(($source -join "`n"), 'const string \w+Id = "(Glider[A-Za-z]+)"') | ForEach-Object { $_.Groups[1].Value })
        $words = Get-ChildItem -Path (Join-Path $script:RepoRoot 'docs/help') -Filter '*.md' |
            Where-Object Name -ne 'README.md' |
            ForEach-Object { [regex]::Matches([System.IO.File]::ReadAllText($_.FullName), '\bGlider[A-Z][A-Za-z]+\b') } |
            ForEach-Object Value | Sort-Object -Unique
        $unknown = foreach ($word in $words) {
            if ($word -in 'GliderPS', 'GliderApiKey') { continue }
            $isType = $false
            foreach ($namespace in 'Glider.PowerShell', 'Glider.Client', 'Glider.Client.Models', 'Glider.Client.Errors') {
                if ("$namespace.$word" -as [type]) { $isType = $true }
            }
            if (-not $isType -and $word -notin $literals) { $word }
        }
        $unknown | Should -BeNullOrEmpty -Because 'these look like error ids but the cmdlets never raise them'
    }

    It 'Get-Help about_GliderPS shows the topic' {
        $text = Get-Help about_GliderPS | Out-String
        $text | Should -Match 'about_GliderPS'
        foreach ($term in 'GLIDER_API_KEY', 'GLIDER_BASE_URI', 'Get-AutomationPSCredential', '-Connection', 'GliderRebalanceCooldown',
            'GliderRateLimited', 'LimitsExceeded', 'RetryAfter', 'RecommendedAction', 'GliderOperationFailed', 'GliderOperationCancelled',
            'GliderOperationTimeout', 'PollIntervalSec', 'RUNBOOK') {
            $text | Should -BeLike "*$term*" -Because "about_GliderPS should explain $term"
        }
    }
}

Describe 'tools/Build-Help.ps1' {
    BeforeAll {
        $script:Generator = Join-Path $script:RepoRoot 'tools/Build-Help.ps1'
        # A copy of docs/help to break in each test; the generator fails before writing anything, so the staged
        # module is only read.
        function New-BrokenSource([scriptblock] $Break) {
            $copy = Join-Path $TestDrive ([guid]::NewGuid().ToString('n'))
            Copy-Item -Path (Join-Path $script:RepoRoot 'docs/help') -Destination $copy -Recurse
            & $Break $copy
            $copy
        }
    }

    It 'is idempotent: a second run writes the same bytes' {
        $xmlPath = Join-Path $script:ModulePath 'bin/core/en-US/GliderPS.dll-Help.xml'
        $aboutPath = Join-Path $script:ModulePath 'en-US/about_GliderPS.help.txt'
        & $script:Generator -SourcePath (Join-Path $script:RepoRoot 'docs/help') -ModulePath $script:ModulePath
        $first = (Get-FileHash $xmlPath).Hash, (Get-FileHash $aboutPath).Hash
        & $script:Generator -SourcePath (Join-Path $script:RepoRoot 'docs/help') -ModulePath $script:ModulePath
        ((Get-FileHash $xmlPath).Hash, (Get-FileHash $aboutPath).Hash) | Should -Be $first
        (Get-FileHash (Join-Path $script:ModulePath 'bin/desktop/en-US/GliderPS.dll-Help.xml')).Hash | Should -Be $first[0]
    }

    It 'fails, naming the cmdlet, when an exported cmdlet has no help file' {
        $source = New-BrokenSource { param($dir) Remove-Item (Join-Path $dir 'Wait-GliderOperation.md') }
        { & $script:Generator -SourcePath $source -ModulePath $script:ModulePath } |
            Should -Throw '*Wait-GliderOperation*no help file*'
    }

    It 'fails, naming the parameter, when a public parameter has no description' {
        $source = New-BrokenSource {
            param($dir)
            $file = Join-Path $dir 'Invoke-GliderRebalance.md'
            $text = [System.IO.File]::ReadAllText($file) -replace '(?ms)^### -PollIntervalSec\r?\n.*?(?=^### )', ''
            [System.IO.File]::WriteAllText($file, $text)
        }
        { & $script:Generator -SourcePath $source -ModulePath $script:ModulePath } |
            Should -Throw '*-PollIntervalSec of Invoke-GliderRebalance has no*description*'
    }

    It 'fails when a help file documents a parameter the cmdlet does not have' {
        $source = New-BrokenSource {
            param($dir)
            $file = Join-Path $dir 'Get-GliderOperation.md'
            $text = [System.IO.File]::ReadAllText($file) -replace '(?m)^## EXAMPLES', "### -Force`nForces it.`n`n## EXAMPLES"
            [System.IO.File]::WriteAllText($file, $text)
        }
        { & $script:Generator -SourcePath $source -ModulePath $script:ModulePath } |
            Should -Throw '*documents -Force*'
    }

    It 'fails when a Default value: line contradicts the default the code sets' {
        $source = New-BrokenSource {
            param($dir)
            $file = Join-Path $dir 'Wait-GliderOperation.md'
            $text = [System.IO.File]::ReadAllText($file) -replace '(?m)^### -PollIntervalSec\r?\n', "### -PollIntervalSec`nDefault value: 5`n`n"
            [System.IO.File]::WriteAllText($file, $text)
        }
        { & $script:Generator -SourcePath $source -ModulePath $script:ModulePath } |
            Should -Throw "*-PollIntervalSec: 'Default value: 5' contradicts the code's default '2'*"
    }

    It 'fails on an example without remarks, with file and line' {
        $source = New-BrokenSource {
            param($dir)
            $file = Join-Path $dir 'Get-GliderContext.md'
            $text = [System.IO.File]::ReadAllText($file) -replace '(?m)^Shows who the key belongs to and what it may do\.\r?\n', ''
            [System.IO.File]::WriteAllText($file, $text)
        }
        { & $script:Generator -SourcePath $source -ModulePath $script:ModulePath } |
            Should -Throw '*Get-GliderContext.md:*Example 1*no remarks*'
    }
}

Describe 'Get-Help <_> -Full' -ForEach $cmdletNames {
    BeforeAll {
        $name = $_
        $help = Get-Help -Name $name -Full
        $command = Get-Command -Name $name
        $common = [System.Management.Automation.PSCmdlet]::CommonParameters
        $publicParameters = @($command.Parameters.Keys | Where-Object { -not $common.Contains($_) -and $_ -ne 'UseTransaction' })
    }

    It 'comes from the MAML file (not the generated stub)' {
        $help.PSObject.TypeNames | Should -Contain 'MamlCommandHelpInfo'
        (Get-HelpText $help.description) | Should -Not -BeNullOrEmpty
    }

    It 'has a synopsis' {
        $help.Synopsis | Should -Not -BeNullOrEmpty
        $help.Synopsis | Should -Not -BeLike "$name *" -Because 'a synopsis that repeats the syntax means no help was found'
    }

    It 'has a description' {
        (Get-HelpText $help.description).Length | Should -BeGreaterThan 40
    }

    It 'describes every public parameter' {
        foreach ($parameterName in $publicParameters) {
            $entry = @($help.parameters.parameter | Where-Object { $_.name -eq $parameterName })
            $entry.Count | Should -Be 1 -Because "-$parameterName must appear once under PARAMETERS"
            (Get-HelpText $entry[0].description) | Should -Not -BeNullOrEmpty -Because "-$parameterName needs a description"
        }
        $documented = @($help.parameters.parameter | Where-Object { $_ } | ForEach-Object name)
        foreach ($documentedName in $documented) {
            $publicParameters | Should -Contain $documentedName -Because 'help must not describe parameters the cmdlet does not have'
        }
    }

    It 'shows the syntax of every parameter set' {
        @($help.syntax.syntaxItem).Count | Should -Be @($command.ParameterSets).Count
    }

    It 'renders as text, naming every public parameter' {
        $text = Get-Help -Name $name -Full | Out-String -Width 200
        $text | Should -Match "NAME\s+$name"
        foreach ($parameterName in $publicParameters) {
            $text | Should -BeLike "*-$parameterName*"
        }
    }

    It 'has at least two examples, at least two of them executed by these tests' {
        $shown = @($help.examples.example)
        $shown.Count | Should -BeGreaterOrEqual 2
        $source = @($script:DocExamples | Where-Object Source -eq $name)
        $source.Count | Should -Be $shown.Count
        @($source | Where-Object { -not $_.NoRun }).Count | Should -BeGreaterOrEqual 2
        for ($i = 0; $i -lt $shown.Count; $i++) {
            $shown[$i].code | Should -Be $source[$i].Code -Because 'the help must show the code the tests run'
            (Get-HelpText $shown[$i].remarks) | Should -Not -BeNullOrEmpty
        }
    }

    It 'lists its inputs' {
        $inputs = @($help.inputTypes.inputType)
        $inputs.Count | Should -BeGreaterThan 0
        foreach ($entry in $inputs) { $entry.type.name | Should -Not -BeNullOrEmpty }
    }

    It 'lists its outputs, including every declared [OutputType]' {
        $outputs = @($help.returnValues.returnValue)
        $outputs.Count | Should -BeGreaterThan 0
        $names = @($outputs | ForEach-Object { $_.type.name })
        foreach ($type in @($command.OutputType | ForEach-Object Name | Where-Object { $_ -ne 'System.Void' })) {
            $names | Should -Contain $type
        }
    }

    It 'has related links' {
        @($help.relatedLinks.navigationLink | Where-Object { $_.linkText }).Count | Should -BeGreaterThan 0
    }
}

Describe 'Example <Source> #<Number>: <Title>, after the README''s Import-Module by path' -ForEach @($examples | Where-Object { -not $_.NoRun -and $_.Code -match 'ForEach-Object -Parallel|Start-ThreadJob' }) {
    It 'runs in other runspaces without GliderPS on PSModulePath' {
        # The README imports the module by path (Import-Module ./out/GliderPS); new runspaces then cannot load it by
        # name, so an example that relies on PSModulePath fails for a user who followed the README.
        $onPath = $env:PSModulePath
        $env:PSModulePath = $script:SavedModulePath
        try { $result = Invoke-HelpExample -Code $Code }
        finally { $env:PSModulePath = $onPath }
        $result.Threw | Should -BeNullOrEmpty -Because "docs/help/$Source.md:$Line must not throw. Output:`n$($result.Text)"
        $result.Errors | ForEach-Object { "$_ ($($_.FullyQualifiedErrorId))" } | Should -BeNullOrEmpty -Because "docs/help/$Source.md:$Line must not write errors. Output:`n$($result.Text)"
    }
}

Describe 'Where a new user is pointed' {
    It '<_> has a HelpUri (Get-Help -Online) at its help source in the repository' -ForEach $cmdletNames {
        $command = Get-Command -Name $_ -Module GliderPS
        $manifest = Import-PowerShellDataFile -Path (Join-Path $script:RepoRoot 'GliderPS.psd1')
        $command.HelpUri | Should -Be "$($manifest.PrivateData.PSData.ProjectUri)/blob/main/docs/help/$_.md"
        Join-Path $script:RepoRoot "docs/help/$_.md" | Should -Exist
    }

    It 'the manifest''s license is the repository''s LICENSE file' {
        $manifest = Import-PowerShellDataFile -Path (Join-Path $script:RepoRoot 'GliderPS.psd1')
        $manifest.PrivateData.PSData.LicenseUri | Should -Be "$($manifest.PrivateData.PSData.ProjectUri)/blob/main/LICENSE"
        $license = Join-Path $script:RepoRoot 'LICENSE'
        $license | Should -Exist
        $manifest.Copyright | Should -BeLike '*MIT License*'
        (Get-Content -LiteralPath $license -TotalCount 1) | Should -Be 'MIT License'
        Get-Content -Raw -LiteralPath $license | Should -Match 'Copyright \(c\) GliderPS contributors'
    }

    It 'the README''s Get-Help excerpt shows every parameter that Get-Help shows' {
        $readme = Get-Content -Raw -LiteralPath (Join-Path $script:RepoRoot 'README.md')
        $excerpt = [regex]::Match($readme, '(?s)PS> Get-Help (?<name>[A-Za-z-]+)\r?\n.*?SYNTAX\r?\n(?<syntax>.*?)\r?\n\.\.\.')
        $excerpt.Success | Should -BeTrue -Because 'the README shows a Get-Help excerpt'
        $shown = @([regex]::Matches($excerpt.Groups['syntax'].Value, '\[?-(\w+)\]?') | ForEach-Object { $_.Groups[1].Value })
        $syntax = (Get-Help $excerpt.Groups['name'].Value).syntax | Out-String -Width 500
        $actual = @([regex]::Matches($syntax, '\[?-(\w+)\]?') | ForEach-Object { $_.Groups[1].Value })
        $shown | Should -Be $actual
    }
}

Describe 'Example <Source> #<Number>: <Title>' -ForEach $examples {
    It 'runs against the emulator without an error' {
        if ($NoRun) {
            Set-ItResult -Skipped -Because "it is marked no-run in docs/help/$Source.md:$Line ($NoRun)"
            return
        }
        $result = Invoke-HelpExample -Code $Code
        $result.Threw | Should -BeNullOrEmpty -Because "docs/help/$Source.md:$Line must not throw. Output:`n$($result.Text)"
        $result.Errors | ForEach-Object { "$_ ($($_.FullyQualifiedErrorId))" } | Should -BeNullOrEmpty -Because "docs/help/$Source.md:$Line must not write errors. Output:`n$($result.Text)"
    }
}
