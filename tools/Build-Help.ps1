<#
.SYNOPSIS
    Generates the GliderPS help (MAML for the cmdlets, plain text for about_GliderPS) from docs/help.

.DESCRIPTION
    Reads one markdown file per cmdlet from -SourcePath (the format is described in docs/help/README.md) and the
    facts that belong to the code (parameter types, mandatory, position, pipeline input, aliases, parameter sets,
    allowed values, field-initializer defaults) from the staged module itself: the module is imported in a private
    runspace and every exported cmdlet is read through PowerShell's own command metadata.

    Writes:
        <ModulePath>/bin/<edition>/en-US/GliderPS.dll-Help.xml   for every bin/<edition> holding GliderPS.dll
        <ModulePath>/en-US/about_GliderPS.help.txt

    Fails, listing every problem at once, when an exported cmdlet has no help file, a public parameter has no
    description, a help file documents a parameter or a cmdlet that does not exist, or a file breaks the format.
    Idempotent: the outputs are rewritten from scratch on every run. Runs on PowerShell 7.4+ and Windows PowerShell 5.1.

.EXAMPLE
    ./tools/Build-Help.ps1 -SourcePath docs/help -ModulePath out/GliderPS
#>
[CmdletBinding(DefaultParameterSetName = 'Build')]
param(
    [Parameter(Mandatory, ParameterSetName = 'Build')]
    [Parameter(Mandatory, ParameterSetName = 'List')]
    [string] $SourcePath,

    [Parameter(Mandatory, ParameterSetName = 'Build')]
    [string] $ModulePath,

    # Instead of building: writes one object per example code block (cmdlet examples and the powershell blocks of
    # about_<Module>.md) with Source, Number, Title, Code, NoRun (the no-run reason or $null) and Line. The help
    # tests use it, so the examples are parsed by the same code that builds the help.
    [Parameter(Mandatory, ParameterSetName = 'List')]
    [switch] $ListExamples,

    [string] $ModuleName = 'GliderPS',
    [string] $Culture = 'en-US'
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0

$SourcePath = (Resolve-Path -LiteralPath $SourcePath).ProviderPath
if (-not $ListExamples) { $ModulePath = (Resolve-Path -LiteralPath $ModulePath).ProviderPath }

$script:Problems = [System.Collections.Generic.List[string]]::new()
function Add-Problem([string] $Where, [string] $Message) {
    $script:Problems.Add("${Where}: $Message")
}

#region Markdown reading

# Splits a markdown file into: the H1 title, then H2 sections, each with blocks before its first H3 ("Blocks")
# and H3 subsections ("Items"), each with blocks. A block is a paragraph, a bullet, a fenced code block or a
# one-line HTML comment (a marker). Anything the format does not know is reported, not guessed at.
function Read-MarkdownTree([string] $Path) {
    $fileName = [System.IO.Path]::GetFileName($Path)
    $lines = [System.IO.File]::ReadAllLines($Path)
    $tree = [pscustomobject]@{ Title = $null; TitleLine = 0; Sections = [System.Collections.Generic.List[object]]::new(); File = $fileName }
    $section = $null
    $target = $null      # where blocks go: the current ### item, else the current ## section
    $para = $null        # the paragraph being collected
    $fence = $null       # the code block being collected

    # One extra blank line at the end closes the last paragraph.
    for ($n = 0; $n -le $lines.Length; $n++) {
        $lineNo = $n + 1
        $line = ''
        if ($n -lt $lines.Length) { $line = $lines[$n] }
        if ($null -ne $fence) {
            if ($n -eq $lines.Length) { Add-Problem "${fileName}:$($fence.Line)" 'code block is never closed'; break }
            if ($line -match '^\s*```\s*$') {
                $block = [pscustomobject]@{ Kind = 'code'; Lang = $fence.Lang; Text = ($fence.Lines -join "`n"); Line = $fence.Line }
                if ($null -eq $target) { Add-Problem "${fileName}:$($fence.Line)" 'code block before the first ## section' } else { $target.Blocks.Add($block) }
                $fence = $null
            }
            else {
                $fence.Lines.Add($line)
            }
            continue
        }

        # Classify the line; anything but a plain text line ends the paragraph being collected.
        $kind = 'text'
        if ($line -match '^\s*$') { $kind = 'blank' }
        elseif ($line -match '^\s*```\s*([A-Za-z0-9_-]*)\s*$') { $kind = 'fence' }
        elseif ($line -match '^(#{1,3})\s+(.+?)\s*$') { $kind = 'h' + $Matches[1].Length }
        elseif ($line -match '^####') { $kind = 'deep' }
        elseif ($line -match '^\s*<!--(.*?)-->\s*$') { $kind = 'marker' }
        elseif ($line -match '^\s*([-*]|\d+\.)\s+(.*)$') { $kind = 'bullet' }

        if ($null -ne $para -and $kind -ne 'text') {
            if ($null -eq $target) { Add-Problem "${fileName}:$($para.Line)" 'text before the first ## section' }
            else { $target.Blocks.Add([pscustomobject]@{ Kind = 'para'; Text = ($para.Parts -join ' '); Line = $para.Line; Bullet = $para.Bullet }) }
            $para = $null
        }

        switch ($kind) {
            'blank' { }
            'fence' { $fence = [pscustomobject]@{ Lang = $Matches[1]; Lines = [System.Collections.Generic.List[string]]::new(); Line = $lineNo } }
            'h1' {
                if ($null -ne $tree.Title) { Add-Problem "${fileName}:$lineNo" 'a second # title' }
                elseif ($null -ne $section) { Add-Problem "${fileName}:$lineNo" 'the # title must come first' }
                else { $tree.Title = $Matches[2]; $tree.TitleLine = $lineNo }
            }
            'h2' {
                $section = [pscustomobject]@{ Name = $Matches[2]; Line = $lineNo; Blocks = [System.Collections.Generic.List[object]]::new(); Items = [System.Collections.Generic.List[object]]::new() }
                $tree.Sections.Add($section)
                $target = $section
            }
            'h3' {
                if ($null -eq $section) { Add-Problem "${fileName}:$lineNo" '### heading before the first ## section'; break }
                $item = [pscustomobject]@{ Name = $Matches[2]; Line = $lineNo; Blocks = [System.Collections.Generic.List[object]]::new() }
                $section.Items.Add($item)
                $target = $item
            }
            'deep' { Add-Problem "${fileName}:$lineNo" 'headings deeper than ### are not part of the format' }
            'marker' {
                $block = [pscustomobject]@{ Kind = 'marker'; Text = $Matches[1].Trim(); Line = $lineNo }
                if ($null -eq $target) { Add-Problem "${fileName}:$lineNo" 'marker before the first ## section' } else { $target.Blocks.Add($block) }
            }
            'bullet' {
                $marker = $Matches[1]
                $bulletText = "- $($Matches[2])"
                if ($marker -match '^\d') { $bulletText = "$marker $($bulletText.Substring(2))" }
                $para = [pscustomobject]@{ Parts = [System.Collections.Generic.List[string]]::new(); Line = $lineNo; Bullet = $true }
                $para.Parts.Add($bulletText.Trim())
            }
            'text' {
                if ($null -eq $para) {
                    $para = [pscustomobject]@{ Parts = [System.Collections.Generic.List[string]]::new(); Line = $lineNo; Bullet = $false }
                }
                $para.Parts.Add($line.Trim())
            }
        }
    }
    if ($null -eq $tree.Title) { Add-Problem $fileName 'no # title' }
    $tree
}

# Markdown inline syntax that means nothing in a console: `code`, **bold**, [text](uri), backslash escapes.
function ConvertTo-PlainInline([string] $Text) {
    $Text -replace '\[([^\]]+)\]\(([^)\s]+)\)', '$1 ($2)' -replace '`([^`]+)`', '$1' -replace '\*\*([^*]+)\*\*', '$1' -replace '\\([\\`*_\[\]<>#-])', '$1'
}

$script:CmdletSections = @('SYNOPSIS', 'DESCRIPTION', 'PARAMETERS', 'EXAMPLES', 'INPUTS', 'OUTPUTS', 'NOTES', 'RELATED LINKS')
$script:OptionalSections = @('NOTES')

function Get-Paragraphs($Container, [string] $Where, [switch] $Required) {
    $texts = [System.Collections.Generic.List[string]]::new()
    foreach ($block in $Container.Blocks) {
        if ($block.Kind -eq 'para') { $texts.Add((ConvertTo-PlainInline $block.Text)) }
        else { Add-Problem "${Where}:$($block.Line)" "a $($block.Kind) block is not allowed here (code blocks belong in EXAMPLES)" }
    }
    if ($Required -and $texts.Count -eq 0) { Add-Problem "${Where}:$($Container.Line)" "'$($Container.Name)' has no text" }
    , $texts.ToArray()
}

# Turns a cmdlet's markdown tree into the help content; reports every departure from docs/help/README.md.
function ConvertFrom-CmdletTree($Tree) {
    $file = $Tree.File
    $doc = [pscustomobject]@{
        Name = $Tree.Title; File = $file
        Synopsis = @(); Description = @(); Parameters = [ordered]@{}; Examples = [System.Collections.Generic.List[object]]::new()
        Inputs = [System.Collections.Generic.List[object]]::new(); Outputs = [System.Collections.Generic.List[object]]::new()
        Notes = @(); Links = [System.Collections.Generic.List[object]]::new()
    }
    $seen = @{}
    $lastIndex = -1
    foreach ($section in $Tree.Sections) {
        $key = $section.Name.ToUpperInvariant()
        $where = "${file}:$($section.Line)"
        $index = [array]::IndexOf($script:CmdletSections, $key)
        if ($index -lt 0) { Add-Problem $where "unknown section '## $($section.Name)' (allowed: $($script:CmdletSections -join ', '))"; continue }
        if ($seen.ContainsKey($key)) { Add-Problem $where "section '## $key' appears twice"; continue }
        if ($index -lt $lastIndex) { Add-Problem $where "section '## $key' is out of order (order: $($script:CmdletSections -join ', '))" }
        $seen[$key] = $true
        $lastIndex = $index
        $flat = @('SYNOPSIS', 'DESCRIPTION', 'NOTES', 'RELATED LINKS')
        if ($key -in $flat -and $section.Items.Count -gt 0) { Add-Problem "${file}:$($section.Items[0].Line)" "'## $key' takes no ### subsections" }
        if ($key -notin $flat) {
            foreach ($block in $section.Blocks) { Add-Problem "${file}:$($block.Line)" "text in '## $key' must sit under a ### subsection" }
        }
        switch ($key) {
            'SYNOPSIS' { $doc.Synopsis = Get-Paragraphs $section $file -Required }
            'DESCRIPTION' { $doc.Description = Get-Paragraphs $section $file -Required }
            'NOTES' { $doc.Notes = Get-Paragraphs $section $file -Required }
            'PARAMETERS' {
                foreach ($p in $section.Items) {
                    if ($p.Name -notmatch '^-([A-Za-z][A-Za-z0-9]*)$') { Add-Problem "${file}:$($p.Line)" "parameter heading must be '### -Name', not '### $($p.Name)'"; continue }
                    $pName = $Matches[1]
                    if ($doc.Parameters.Contains($pName)) { Add-Problem "${file}:$($p.Line)" "parameter -$pName is documented twice"; continue }
                    $default = $null
                    $paras = [System.Collections.Generic.List[string]]::new()
                    foreach ($text in (Get-Paragraphs $p $file)) {
                        if ($text -match '^Default value:\s*(.+)$') { $default = $Matches[1] } else { $paras.Add($text) }
                    }
                    if ($paras.Count -eq 0) { Add-Problem "${file}:$($p.Line)" "parameter -$pName has no description" }
                    $doc.Parameters[$pName] = [pscustomobject]@{ Name = $pName; Description = $paras.ToArray(); Default = $default; Line = $p.Line; File = $file }
                }
            }
            'EXAMPLES' {
                $number = 0
                foreach ($e in $section.Items) {
                    $number++
                    if ($e.Name -notmatch '^Example (\d+):\s*(\S.*)$') { Add-Problem "${file}:$($e.Line)" "example heading must be '### Example $($number): <title>'"; continue }
                    if ([int]$Matches[1] -ne $number) { Add-Problem "${file}:$($e.Line)" "examples must be numbered 1, 2, 3...; expected Example $number" }
                    $example = [pscustomobject]@{ Number = $number; Title = $e.Name; Code = $null; Remarks = [System.Collections.Generic.List[string]]::new(); NoRun = $null; Line = $e.Line }
                    foreach ($block in $e.Blocks) {
                        switch ($block.Kind) {
                            'marker' {
                                if ($block.Text -match '^no-run:\s*(\S.*)$' -and $null -eq $example.Code) { $example.NoRun = $Matches[1] }
                                elseif ($block.Text -match '^no-run') { Add-Problem "${file}:$($block.Line)" "the marker must read '<!-- no-run: <reason> -->' and come before the code block" }
                            }
                            'code' {
                                if ($null -ne $example.Code) { Add-Problem "${file}:$($block.Line)" 'an example has exactly one code block' }
                                elseif ($block.Lang -ne 'powershell') { Add-Problem "${file}:$($block.Line)" "example code must be fenced as ``````powershell, not '$($block.Lang)'" }
                                else { $example.Code = $block.Text }
                            }
                            'para' {
                                if ($null -eq $example.Code) { Add-Problem "${file}:$($block.Line)" 'the example text (remarks) must follow the code block' }
                                else { $example.Remarks.Add((ConvertTo-PlainInline $block.Text)) }
                            }
                        }
                    }
                    if ($null -eq $example.Code) { Add-Problem "${file}:$($e.Line)" "$($e.Name) has no powershell code block" }
                    elseif ($example.Code.Trim().Length -eq 0) { Add-Problem "${file}:$($e.Line)" "$($e.Name) has an empty code block" }
                    if ($example.Remarks.Count -eq 0) { Add-Problem "${file}:$($e.Line)" "$($e.Name) has no remarks after its code block" }
                    $doc.Examples.Add($example)
                }
                if ($doc.Examples.Count -eq 0) { Add-Problem "${file}:$($section.Line)" 'EXAMPLES has no ### Example' }
            }
            { $_ -in 'INPUTS', 'OUTPUTS' } {
                $list = $doc.Inputs
                if ($key -eq 'OUTPUTS') { $list = $doc.Outputs }
                foreach ($t in $section.Items) {
                    $list.Add([pscustomobject]@{ Type = (ConvertTo-PlainInline $t.Name); Description = (Get-Paragraphs $t $file -Required); Line = $t.Line })
                }
                if ($list.Count -eq 0) { Add-Problem "${file}:$($section.Line)" "$key needs at least one ### <type name> (### None when there is none)" }
            }
            'RELATED LINKS' {
                foreach ($block in $section.Blocks) {
                    if ($block.Kind -ne 'para' -or -not $block.Bullet) { Add-Problem "${file}:$($block.Line)" 'RELATED LINKS is a bullet list'; continue }
                    $text = $block.Text -replace '^-\s+', ''
                    if ($text -match '^\[([^\]]+)\]\(([^)\s]+)\)$') { $doc.Links.Add([pscustomobject]@{ Text = $Matches[1]; Uri = $Matches[2] }) }
                    else { $doc.Links.Add([pscustomobject]@{ Text = (ConvertTo-PlainInline $text); Uri = '' }) }
                }
                if ($doc.Links.Count -eq 0) { Add-Problem "${file}:$($section.Line)" 'RELATED LINKS is empty' }
            }
        }
    }
    foreach ($required in $script:CmdletSections) {
        if ($required -notin $script:OptionalSections -and -not $seen.ContainsKey($required)) { Add-Problem $file "missing section '## $required'" }
    }
    $doc
}

#endregion

#region Command metadata from the staged module

# Imports the module in a runspace of its own (the caller's session is left as it was) and returns, per exported
# cmdlet, what Get-Help needs that belongs to the code.
function Get-CmdletFacts([string] $ManifestPath, [string] $Name) {
    $iss = [System.Management.Automation.Runspaces.InitialSessionState]::CreateDefault2()
    $ps = [System.Management.Automation.PowerShell]::Create($iss)
    try {
        $null = $ps.AddScript({
                param($Manifest, $Name)
                $ErrorActionPreference = 'Stop'
                $module = Import-Module -Name $Manifest -PassThru -Force
                Get-Command -Module $module.Name -CommandType Cmdlet | Sort-Object Name
            }).AddArgument($ManifestPath).AddArgument($Name)
        $commands = $ps.Invoke()
        if ($ps.Streams.Error.Count -gt 0) { throw "Importing $ManifestPath failed: $($ps.Streams.Error[0])" }
    }
    finally {
        $ps.Dispose()
    }

    $common = [System.Management.Automation.Cmdlet]::CommonParameters
    $optionalCommon = [System.Management.Automation.Cmdlet]::OptionalCommonParameters
    foreach ($wrapped in $commands) {
        $cmd = $wrapped.psobject.BaseObject
        $instance = $null
        try { $instance = [System.Activator]::CreateInstance($cmd.ImplementingType) } catch { $instance = $null }

        $params = [ordered]@{}
        $declared = 0
        foreach ($set in $cmd.ParameterSets) {
            foreach ($p in $set.Parameters) {
                if ($common.Contains($p.Name) -or $p.Name -eq 'UseTransaction') { continue }
                if (-not $params.Contains($p.Name)) {
                    $validValues = @()
                    $wildcards = $false
                    foreach ($attribute in $p.Attributes) {
                        if ($attribute -is [System.Management.Automation.ValidateSetAttribute]) { $validValues = @($attribute.ValidValues) }
                        if ($attribute.GetType().Name -eq 'SupportsWildcardsAttribute') { $wildcards = $true }
                    }
                    $default = $null
                    $property = $cmd.ImplementingType.GetProperty($p.Name)
                    if ($null -ne $instance -and $null -ne $property -and $property.CanRead) {
                        try { $default = $property.GetValue($instance, $null) } catch { $default = $null }
                    }
                    $params[$p.Name] = [pscustomobject]@{
                        Name = $p.Name; Type = $p.ParameterType; Aliases = @($p.Aliases); ValidValues = $validValues
                        Wildcards = $wildcards; Default = $default; IsOptionalCommon = $optionalCommon.Contains($p.Name)
                        Order = $declared++; Sets = [ordered]@{}
                    }
                }
                $params[$p.Name].Sets[$set.Name] = $p
            }
        }
        [pscustomobject]@{
            Name = $cmd.Name; Verb = $cmd.Verb; Noun = $cmd.Noun
            ParameterSets = @($cmd.ParameterSets | Sort-Object { -not $_.IsDefault })
            Parameters = $params
            OutputTypes = @($cmd.OutputType | ForEach-Object { $_.Name })
        }
        if ($instance -is [System.IDisposable]) { $instance.Dispose() }
    }
}

# String[], SecureString, Nullable<Int32> -> Int32: the short names Get-Help shows in the syntax.
function Get-TypeDisplayName([type] $Type) {
    $underlying = [System.Nullable]::GetUnderlyingType($Type)
    if ($null -ne $underlying) { $Type = $underlying }
    if ($Type.IsArray) { return (Get-TypeDisplayName $Type.GetElementType()) + '[]' }
    $Type.Name
}

function Get-TypeFullName([type] $Type) {
    $underlying = [System.Nullable]::GetUnderlyingType($Type)
    if ($null -ne $underlying) { $Type = $underlying }
    if ($Type.IsArray) { return (Get-TypeFullName $Type.GetElementType()) + '[]' }
    $Type.FullName
}

function Format-DefaultValue($Fact, $Doc) {
    $value = $Fact.Default
    $reflected = $null
    if ($null -ne $value) {
        if ($value -is [System.Management.Automation.SwitchParameter]) { if ($value.IsPresent) { $reflected = 'True' } }
        elseif ($value -is [bool]) { if ($value) { $reflected = 'True' } }
        elseif ($value -is [System.Array]) { if ($value.Length -gt 0) { $reflected = ($value | ForEach-Object { "$_" }) -join ', ' } }
        elseif ($value -is [System.ValueType] -and $value -eq [System.Activator]::CreateInstance($value.GetType())) { $reflected = $null }
        elseif (([string]$value).Length -gt 0) { $reflected = [string]$value }
    }
    if ($null -ne $Doc -and $null -ne $Doc.Default) {
        if ($null -ne $reflected -and $reflected -ne $Doc.Default) {
            Add-Problem "$($Doc.File):$($Doc.Line)" "-$($Fact.Name): 'Default value: $($Doc.Default)' contradicts the code's default '$reflected'; delete the line"
        }
        return $Doc.Default
    }
    if ($null -ne $reflected) { return $reflected }
    if ($Fact.Type -eq [System.Management.Automation.SwitchParameter]) { return 'False' }
    'None'
}

function Get-PipelineText($ParameterInfo) {
    $kinds = @()
    if ($ParameterInfo.ValueFromPipeline) { $kinds += 'ByValue' }
    if ($ParameterInfo.ValueFromPipelineByPropertyName) { $kinds += 'ByPropertyName' }
    if ($kinds.Count -eq 0) { 'False' } else { "True ($($kinds -join ', '))" }
}

#endregion

#region MAML writing

$script:NsMaml = 'http://schemas.microsoft.com/maml/2004/10'
$script:NsCommand = 'http://schemas.microsoft.com/maml/dev/command/2004/10'
$script:NsDev = 'http://schemas.microsoft.com/maml/dev/2004/10'

function Write-Paras([System.Xml.XmlWriter] $W, [string[]] $Paras) {
    foreach ($text in $Paras) { $W.WriteElementString('maml', 'para', $script:NsMaml, $text) }
}

function Write-Description([System.Xml.XmlWriter] $W, [string] $Prefix, [string] $Ns, [string[]] $Paras) {
    $W.WriteStartElement($Prefix, 'description', $Ns)
    Write-Paras $W $Paras
    $W.WriteEndElement()
}

$script:BuiltInDescriptions = @{
    WhatIf  = @('Shows what would happen if the cmdlet runs. The cmdlet is not run: no request that changes anything is sent.')
    Confirm = @('Prompts you for confirmation before running the cmdlet.')
}

# One <command:parameter>; in a syntax item ($SetParameter given) the set's own mandatory/position/pipeline values.
function Write-Parameter([System.Xml.XmlWriter] $W, $Fact, $Doc, $SetParameter) {
    $isSwitch = $Fact.Type -eq [System.Management.Automation.SwitchParameter]
    $infos = @($Fact.Sets.Values)
    $info = if ($null -ne $SetParameter) { $SetParameter } else { $infos[0] }
    $required = $true
    $pipeline = 'False'
    $position = $infos[0].Position
    foreach ($i in $infos) {
        if (-not $i.IsMandatory) { $required = $false }
        if ($i.Position -ne $position) { $position = [int]::MinValue }
        $text = Get-PipelineText $i
        if ($text -ne 'False' -and $pipeline -eq 'False') { $pipeline = $text }
    }
    if ($null -ne $SetParameter) {
        $required = $SetParameter.IsMandatory
        $position = $SetParameter.Position
        $pipeline = Get-PipelineText $SetParameter
    }
    $description = if ($null -ne $Doc) { $Doc.Description } else { $script:BuiltInDescriptions[$Fact.Name] }

    $W.WriteStartElement('command', 'parameter', $script:NsCommand)
    $W.WriteAttributeString('required', $(if ($required) { 'true' } else { 'false' }))
    $W.WriteAttributeString('variableLength', $(if ($Fact.Type.IsArray) { 'true' } else { 'false' }))
    $W.WriteAttributeString('globbing', $(if ($Fact.Wildcards) { 'true' } else { 'false' }))
    $W.WriteAttributeString('pipelineInput', $pipeline)
    $W.WriteAttributeString('position', $(if ($position -eq [int]::MinValue) { 'named' } else { [string]$position }))
    $W.WriteAttributeString('aliases', $(if ($Fact.Aliases.Count -gt 0) { $Fact.Aliases -join ', ' } else { 'none' }))
    $W.WriteElementString('maml', 'name', $script:NsMaml, $Fact.Name)
    Write-Description $W 'maml' $script:NsMaml $description
    if ($Fact.ValidValues.Count -gt 0) {
        $W.WriteStartElement('command', 'parameterValueGroup', $script:NsCommand)
        foreach ($value in $Fact.ValidValues) {
            $W.WriteStartElement('command', 'parameterValue', $script:NsCommand)
            $W.WriteAttributeString('required', 'false')
            $W.WriteAttributeString('variableLength', 'false')
            $W.WriteString([string]$value)
            $W.WriteEndElement()
        }
        $W.WriteEndElement()
    }
    if (-not $isSwitch -or $null -eq $SetParameter) {
        $W.WriteStartElement('command', 'parameterValue', $script:NsCommand)
        $W.WriteAttributeString('required', $(if ($isSwitch) { 'false' } else { 'true' }))
        $W.WriteAttributeString('variableLength', $(if ($Fact.Type.IsArray) { 'true' } else { 'false' }))
        $W.WriteString((Get-TypeDisplayName $Fact.Type))
        $W.WriteEndElement()
    }
    $W.WriteStartElement('dev', 'type', $script:NsDev)
    $W.WriteElementString('maml', 'name', $script:NsMaml, (Get-TypeFullName $Fact.Type))
    $W.WriteElementString('maml', 'uri', $script:NsMaml, '')
    $W.WriteEndElement()
    $W.WriteElementString('dev', 'defaultValue', $script:NsDev, (Format-DefaultValue $Fact $Doc))
    $W.WriteEndElement()
}

function Write-TypeList([System.Xml.XmlWriter] $W, [string] $ListName, [string] $ItemName, $Entries) {
    $W.WriteStartElement('command', $ListName, $script:NsCommand)
    foreach ($entry in $Entries) {
        $W.WriteStartElement('command', $ItemName, $script:NsCommand)
        $W.WriteStartElement('dev', 'type', $script:NsDev)
        $W.WriteElementString('maml', 'name', $script:NsMaml, $entry.Type)
        $W.WriteElementString('maml', 'uri', $script:NsMaml, '')
        $W.WriteEndElement()
        Write-Description $W 'maml' $script:NsMaml $entry.Description
        $W.WriteEndElement()
    }
    $W.WriteEndElement()
}

function Write-Command([System.Xml.XmlWriter] $W, $Facts, $Doc) {
    $W.WriteStartElement('command', 'command', $script:NsCommand)
    $W.WriteAttributeString('xmlns', 'maml', $null, $script:NsMaml)
    $W.WriteAttributeString('xmlns', 'dev', $null, $script:NsDev)

    $W.WriteStartElement('command', 'details', $script:NsCommand)
    $W.WriteElementString('command', 'name', $script:NsCommand, $Facts.Name)
    $W.WriteElementString('command', 'verb', $script:NsCommand, $Facts.Verb)
    $W.WriteElementString('command', 'noun', $script:NsCommand, $Facts.Noun)
    Write-Description $W 'maml' $script:NsMaml $Doc.Synopsis
    $W.WriteEndElement()

    Write-Description $W 'maml' $script:NsMaml $Doc.Description

    # Syntax: one item per parameter set, default set first; positional parameters by position, then mandatory
    # ones, then the rest in declaration order; -WhatIf/-Confirm last.
    $W.WriteStartElement('command', 'syntax', $script:NsCommand)
    foreach ($set in $Facts.ParameterSets) {
        $W.WriteStartElement('command', 'syntaxItem', $script:NsCommand)
        $W.WriteElementString('maml', 'name', $script:NsMaml, $Facts.Name)
        $ordered = [System.Collections.Generic.SortedDictionary[int, object]]::new()
        foreach ($p in $set.Parameters) {
            if (-not $Facts.Parameters.Contains($p.Name)) { continue }
            $fact = $Facts.Parameters[$p.Name]
            $positionKey = 999
            if ($p.Position -ge 0) { $positionKey = $p.Position }
            $key = [int]$fact.IsOptionalCommon * 1000000 + $positionKey * 1000 + [int](-not $p.IsMandatory) * 500 + $fact.Order
            $ordered.Add($key, $p)
        }
        foreach ($p in $ordered.Values) {
            Write-Parameter $W $Facts.Parameters[$p.Name] $Doc.Parameters[$p.Name] $p
        }
        $W.WriteEndElement()
    }
    $W.WriteEndElement()

    $W.WriteStartElement('command', 'parameters', $script:NsCommand)
    foreach ($late in @($false, $true)) {
        foreach ($fact in $Facts.Parameters.Values) {
            if ($fact.IsOptionalCommon -eq $late) { Write-Parameter $W $fact $Doc.Parameters[$fact.Name] $null }
        }
    }
    $W.WriteEndElement()

    Write-TypeList $W 'inputTypes' 'inputType' $Doc.Inputs
    Write-TypeList $W 'returnValues' 'returnValue' $Doc.Outputs

    if ($Doc.Notes.Count -gt 0) {
        $W.WriteStartElement('maml', 'alertSet', $script:NsMaml)
        $W.WriteStartElement('maml', 'alert', $script:NsMaml)
        Write-Paras $W $Doc.Notes
        $W.WriteEndElement()
        $W.WriteEndElement()
    }

    $W.WriteStartElement('command', 'examples', $script:NsCommand)
    foreach ($example in $Doc.Examples) {
        $W.WriteStartElement('command', 'example', $script:NsCommand)
        $W.WriteElementString('maml', 'title', $script:NsMaml, "--------- $($example.Title) ---------")
        $W.WriteElementString('dev', 'code', $script:NsDev, $example.Code)
        $W.WriteStartElement('dev', 'remarks', $script:NsDev)
        Write-Paras $W $example.Remarks
        # An empty paragraph: Get-Help then leaves a blank line before the next example's title.
        $W.WriteElementString('maml', 'para', $script:NsMaml, '')
        $W.WriteEndElement()
        $W.WriteEndElement()
    }
    $W.WriteEndElement()

    $W.WriteStartElement('command', 'relatedLinks', $script:NsCommand)
    foreach ($link in $Doc.Links) {
        $W.WriteStartElement('maml', 'navigationLink', $script:NsMaml)
        $W.WriteElementString('maml', 'linkText', $script:NsMaml, $link.Text)
        $W.WriteElementString('maml', 'uri', $script:NsMaml, $link.Uri)
        $W.WriteEndElement()
    }
    $W.WriteEndElement()

    $W.WriteEndElement()
}

#endregion

#region about topic

function Get-Wrapped([string] $Text, [int] $Indent, [int] $HangingIndent, [int] $Width = 80) {
    $out = [System.Collections.Generic.List[string]]::new()
    $line = ''
    $pad = ' ' * $Indent
    foreach ($word in ($Text.Trim() -split '\s+')) {
        if ($line.Length -gt 0 -and ($pad.Length + $line.Length + 1 + $word.Length) -gt $Width) {
            $out.Add($pad + $line)
            $pad = ' ' * $HangingIndent
            $line = $word
        }
        elseif ($line.Length -gt 0) { $line += ' ' + $word }
        else { $line = $word }
    }
    if ($line.Length -gt 0) { $out.Add($pad + $line) }
    $out
}

# about_<Topic>.md -> the conventional plain-text layout: TOPIC, upper-case section titles, text indented four
# spaces and wrapped at 80 columns, code indented eight spaces and kept verbatim.
function ConvertTo-AboutText($Tree) {
    $sb = [System.Text.StringBuilder]::new()
    $nl = [System.Environment]::NewLine
    [void]$sb.Append("TOPIC$nl    $($Tree.Title)$nl")
    # A blank line between blocks, none right under a heading and none between the bullets of one list.
    # Get-Help takes an about topic's synopsis from the one line under SHORT DESCRIPTION, so that paragraph is never
    # wrapped (wrapped, Get-Help about_* showed it cut mid-sentence).
    $state = @{ Previous = 'heading'; Width = 80 }
    $writeBlocks = {
        param($blocks)
        foreach ($block in $blocks) {
            if ($block.Kind -eq 'marker') { continue }
            $kind = $block.Kind
            if ($kind -eq 'para' -and $block.Bullet) { $kind = 'bullet' }
            if ($state.Previous -ne 'heading' -and -not ($kind -eq 'bullet' -and $state.Previous -eq 'bullet')) { [void]$sb.Append($nl) }
            if ($block.Kind -eq 'para') {
                $hanging = 4
                if ($block.Bullet) { $hanging = 6 }
                foreach ($l in (Get-Wrapped (ConvertTo-PlainInline $block.Text) 4 $hanging $state.Width)) { [void]$sb.Append($l + $nl) }
            }
            else {
                foreach ($l in ($block.Text -split "`n")) { [void]$sb.Append(((' ' * 8) + $l).TrimEnd() + $nl) }
            }
            $state.Previous = $kind
        }
    }
    foreach ($section in $Tree.Sections) {
        [void]$sb.Append($nl + $section.Name.ToUpperInvariant() + $nl)
        $state.Previous = 'heading'
        $state.Width = if ($section.Name -eq 'Short description') { [int]::MaxValue } else { 80 }
        & $writeBlocks $section.Blocks
        $state.Width = 80
        foreach ($item in $section.Items) {
            $title = ConvertTo-PlainInline $item.Name
            [void]$sb.Append("$nl    $title$nl    $('-' * $title.Length)$nl")
            $state.Previous = 'heading'
            & $writeBlocks $item.Blocks
        }
    }
    $sb.ToString()
}

#endregion

# The powershell code blocks of about_<Module>.md, each with the no-run marker that directly precedes it.
function Get-AboutExamples($Tree) {
    $number = 0
    foreach ($section in $Tree.Sections) {
        $containers = @($section) + @($section.Items)
        foreach ($container in $containers) {
            $previous = $null
            foreach ($block in $container.Blocks) {
                if ($block.Kind -eq 'code' -and $block.Lang -eq 'powershell') {
                    $number++
                    $noRun = $null
                    if ($null -ne $previous -and $previous.Kind -eq 'marker' -and $previous.Text -match '^no-run:\s*(\S.*)$') { $noRun = $Matches[1] }
                    $title = $section.Name
                    if ($container -ne $section) { $title = "$($section.Name): $($container.Name)" }
                    [pscustomobject]@{ Source = $Tree.Title; Number = $number; Title = $title; Code = $block.Text; NoRun = $noRun; Line = $block.Line }
                }
                $previous = $block
            }
        }
    }
}

$started = [System.Diagnostics.Stopwatch]::StartNew()

if ($ListExamples) {
    $list = [System.Collections.Generic.List[object]]::new()
    foreach ($file in (Get-ChildItem -LiteralPath $SourcePath -Filter '*.md' -File | Sort-Object Name)) {
        if ($file.Name -eq 'README.md') { continue }
        $tree = Read-MarkdownTree $file.FullName
        if ($file.Name -like 'about_*') {
            foreach ($example in (Get-AboutExamples $tree)) { $list.Add($example) }
            continue
        }
        $doc = ConvertFrom-CmdletTree $tree
        foreach ($example in $doc.Examples) {
            $list.Add([pscustomobject]@{ Source = $doc.Name; Number = $example.Number; Title = $example.Title; Code = $example.Code; NoRun = $example.NoRun; Line = $example.Line })
        }
    }
    if ($script:Problems.Count -gt 0) {
        throw ("Build-Help: the help in $SourcePath is malformed:" + [System.Environment]::NewLine + '  ' + ($script:Problems -join ([System.Environment]::NewLine + '  ')))
    }
    return $list
}

$manifest = Join-Path $ModulePath "$ModuleName.psd1"
if (-not (Test-Path -LiteralPath $manifest)) { throw "Build-Help: no module manifest at $manifest; stage the module first." }

$facts = @(Get-CmdletFacts $manifest $ModuleName)
if ($facts.Count -eq 0) { throw "Build-Help: $manifest exports no cmdlets (check CmdletsToExport in $ModuleName.psd1)." }

$docs = @{}
foreach ($file in (Get-ChildItem -LiteralPath $SourcePath -Filter '*.md' -File | Sort-Object Name)) {
    if ($file.Name -eq 'README.md' -or $file.Name -like 'about_*') { continue }
    $tree = Read-MarkdownTree $file.FullName
    $doc = ConvertFrom-CmdletTree $tree
    if ($doc.Name -ne $file.BaseName) { Add-Problem $file.Name "the title '# $($doc.Name)' does not match the file name" }
    $docs[$file.BaseName] = $doc
}

foreach ($fact in $facts) {
    if (-not $docs.ContainsKey($fact.Name)) {
        Add-Problem $fact.Name "the module exports this cmdlet but there is no help file $(Join-Path $SourcePath "$($fact.Name).md")"
        continue
    }
    $doc = $docs[$fact.Name]
    foreach ($p in $fact.Parameters.Values) {
        $pd = $doc.Parameters[$p.Name]
        # Reports a 'Default value:' line that contradicts the code before anything is written.
        if ($null -ne $pd) { $null = Format-DefaultValue $p $pd }
        if ($null -eq $pd -and -not $script:BuiltInDescriptions.ContainsKey($p.Name)) {
            Add-Problem "$($doc.File)" "public parameter -$($p.Name) of $($fact.Name) has no '### -$($p.Name)' description under ## PARAMETERS"
        }
    }
    foreach ($name in $doc.Parameters.Keys) {
        if (-not $fact.Parameters.Contains($name)) {
            Add-Problem "$($doc.File):$($doc.Parameters[$name].Line)" "documents -$name, which $($fact.Name) does not have (removed or renamed?)"
        }
    }
    foreach ($type in @($fact.OutputTypes | Where-Object { $_ -ne 'System.Void' })) {
        $short = ($type -split '\.')[-1]
        if (-not ($doc.Outputs | Where-Object { $_.Type -eq $type -or $_.Type -eq $short })) {
            Write-Warning "$($doc.File): $($fact.Name) declares [OutputType($type)] but ## OUTPUTS does not list it."
        }
    }
}
foreach ($name in $docs.Keys) {
    if (-not ($facts | Where-Object { $_.Name -eq $name })) {
        Add-Problem "$name.md" "documents a cmdlet that $ModuleName does not export"
    }
}

$aboutSource = Join-Path $SourcePath "about_$ModuleName.md"
$aboutText = $null
if (-not (Test-Path -LiteralPath $aboutSource)) { Add-Problem "about_$ModuleName.md" 'missing' }
else {
    $aboutTree = Read-MarkdownTree $aboutSource
    if ($aboutTree.Title -ne "about_$ModuleName") { Add-Problem "about_$ModuleName.md" "the title must be '# about_$ModuleName'" }
    $aboutText = ConvertTo-AboutText $aboutTree
}

if ($script:Problems.Count -gt 0) {
    throw ("Build-Help: the help in $SourcePath is incomplete or malformed ($($script:Problems.Count) problem(s)):" +
        [System.Environment]::NewLine + '  ' + ($script:Problems -join ([System.Environment]::NewLine + '  ')))
}

# Write the MAML once into memory, then copy it beside every staged GliderPS.dll.
$stream = New-Object System.IO.MemoryStream
$settings = New-Object System.Xml.XmlWriterSettings
$settings.Indent = $true
$settings.Encoding = New-Object System.Text.UTF8Encoding($false)
$settings.NewLineChars = "`n"
$writer = [System.Xml.XmlWriter]::Create($stream, $settings)
try {
    $writer.WriteStartDocument()
    $writer.WriteStartElement('helpItems', 'http://msh')
    $writer.WriteAttributeString('schema', 'maml')
    foreach ($fact in $facts) { Write-Command $writer $fact $docs[$fact.Name] }
    $writer.WriteEndElement()
    $writer.WriteEndDocument()
}
finally {
    $writer.Dispose()
}
$bytes = $stream.ToArray()
if ($script:Problems.Count -gt 0) {
    throw ('Build-Help: ' + ($script:Problems -join [System.Environment]::NewLine))
}

$assemblyFolders = @(Get-ChildItem -LiteralPath (Join-Path $ModulePath 'bin') -Directory | Where-Object { Test-Path -LiteralPath (Join-Path $_.FullName "$ModuleName.dll") })
if ($assemblyFolders.Count -eq 0) { throw "Build-Help: no $ModuleName.dll under $(Join-Path $ModulePath 'bin')." }
foreach ($folder in $assemblyFolders) {
    $target = Join-Path $folder.FullName $Culture
    $null = New-Item -ItemType Directory -Force -Path $target
    [System.IO.File]::WriteAllBytes((Join-Path $target "$ModuleName.dll-Help.xml"), $bytes)
}
$aboutFolder = Join-Path $ModulePath $Culture
$null = New-Item -ItemType Directory -Force -Path $aboutFolder
[System.IO.File]::WriteAllText((Join-Path $aboutFolder "about_$ModuleName.help.txt"), $aboutText, (New-Object System.Text.UTF8Encoding($false)))

Write-Verbose "Build-Help: $($facts.Count) cmdlets, $($assemblyFolders.Count) assembly folder(s), $([int]$started.Elapsed.TotalMilliseconds) ms."
