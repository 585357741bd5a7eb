# Shared by tests/Pester/Resilience.*.Tests.ps1 and tools/Soak.ps1: connections with a short per-attempt timeout, a
# TCP trap that notices any connection, a bounded reflective walk of error objects, and key-fragment checks.
# Import after the module (GliderPS) so its types resolve.

Set-StrictMode -Version 3.0

# The emulator's secrecy-probe key: its key id (key_probe) shares no 6-character run with it.
$script:ProbeKey = 'gldr_sk_Qm7Zx2Vw9Kp4Ty6Hb3Nc'

function Get-ResilienceProbeKey { $script:ProbeKey }

function New-ResilienceClient {
    <#
    .SYNOPSIS
        A Glider client (internal to the module) with the given per-attempt timeout and retry settings; verbose traces are routed
        like the module's own (RequestTraceRouter.Dispatch), so a cmdlet given this client's connection shows them.
    #>
    param(
        [Parameter(Mandatory)] [string] $BaseUri,
        [string] $Key = $script:ProbeKey,
        [timespan] $RequestTimeout = [timespan]::FromSeconds(30),
        [int] $MaxRetryAttempts = 4,
        [timespan] $RetryBaseDelay = [timespan]::FromSeconds(1),
        [timespan] $MaxRetryDelay = [timespan]::FromSeconds(60),
        [string] $UserAgentSuffix = 'PowerShell/resilience-tests'
    )
    $router = [Glider.PowerShell.GliderConnection].Assembly.GetType('Glider.PowerShell.RequestTraceRouter', $true)
    $dispatch = $router.GetMethod('Dispatch', [System.Reflection.BindingFlags] 'Public,NonPublic,Static')

    # The client is internal to the module (users get it through the cmdlets); tests build it by reflection.
    $clientAssembly = [Glider.Client.Models.Portfolio].Assembly
    $options = [Activator]::CreateInstance($clientAssembly.GetType('Glider.Client.GliderClientOptions', $true))
    $options.BaseUri = [uri] $BaseUri
    $options.RequestTimeout = $RequestTimeout
    $options.MaxRetryAttempts = $MaxRetryAttempts
    $options.RetryBaseDelay = $RetryBaseDelay
    $options.MaxRetryDelay = $MaxRetryDelay
    $options.UserAgentSuffix = $UserAgentSuffix
    $traceType = $clientAssembly.GetType('Glider.Client.RequestTrace', $true)
    $options.OnRequest = $dispatch.CreateDelegate([System.Action``1].MakeGenericType($traceType))
    $secure = ConvertTo-SecureString -String $Key -AsPlainText -Force
    # Called through reflection with the unwrapped options: PowerShell would hand the constructor a PSObject.
    $constructor = $clientAssembly.GetType('Glider.Client.GliderClient', $true).GetConstructors()[0]
    $constructor.Invoke([object[]] @($options.PSObject.BaseObject, $secure.PSObject.BaseObject))
}

function New-ResilienceConnection {
    <#
    .SYNOPSIS
        A GliderConnection (for -Connection) whose client has the given per-attempt timeout and retry settings.
    .DESCRIPTION
        Connect-Glider's -RequestTimeoutSec and -MaxRetryCount take whole seconds and counts, and it has no knob for
        the retry delays, so tests that need a sub-second timeout or a short backoff build the client themselves
        (New-ResilienceClient) and wrap it with the module's internal GliderConnection constructor, as
        Connect-Glider -SkipValidation does.
    #>
    param(
        [Parameter(Mandatory)] [string] $BaseUri,
        [string] $Key = $script:ProbeKey,
        [timespan] $RequestTimeout = [timespan]::FromSeconds(30),
        [int] $MaxRetryAttempts = 4,
        [timespan] $RetryBaseDelay = [timespan]::FromSeconds(1),
        [timespan] $MaxRetryDelay = [timespan]::FromSeconds(60)
    )
    $client = New-ResilienceClient @PSBoundParameters
    $constructor = [Glider.PowerShell.GliderConnection].GetConstructors([System.Reflection.BindingFlags] 'NonPublic,Instance')[0]
    $constructor.Invoke(@($client, $null, $null, $null, $null, $false))
}

function New-TcpTrap {
    <#
    .SYNOPSIS
        A listener on 127.0.0.1 that never accepts: any connection attempt (http or a TLS hello) stays pending, so
        Test-TcpTrap tells whether anything tried to reach it.
    #>
    $listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
    $listener.Start()
    [pscustomobject]@{ Listener = $listener; Port = $listener.LocalEndpoint.Port }
}

function Test-TcpTrap {
    param([Parameter(Mandatory)] $Trap)
    $Trap.Listener.Pending()
}

function Stop-TcpTrap {
    param([Parameter(Mandatory)] $Trap)
    $Trap.Listener.Stop()
    $Trap.Listener.Dispose()
}

function Get-KeyFragment {
    <# Every run of Length characters of the key. #>
    param([Parameter(Mandatory)] [string] $Key, [int] $Length = 6)
    for ($i = 0; $i -le $Key.Length - $Length; $i++) { $Key.Substring($i, $Length) }
}

function Find-KeyFragment {
    <# The fragments of Key (ordinal, case-sensitive) found in Text; empty when none. #>
    param([AllowNull()] [AllowEmptyString()] [string] $Text, [Parameter(Mandatory)] [string] $Key, [int] $Length = 6)
    if ([string]::IsNullOrEmpty($Text)) { return @() }
    @(Get-KeyFragment -Key $Key -Length $Length | Where-Object { $Text.IndexOf($_, [System.StringComparison]::Ordinal) -ge 0 })
}

# Types whose instances lead into the whole session (commands, modules, runspaces, the test's own variables) or into
# reflection metadata; none of them is created from the HTTP exchange, so the walk does not enter them.
$script:WalkStopTypes = @(
    'System.Management.Automation.CommandInfo', 'System.Management.Automation.PSModuleInfo',
    'System.Management.Automation.SessionState', 'System.Management.Automation.ScriptBlock',
    'System.Management.Automation.Runspaces.Runspace', 'System.Management.Automation.EngineIntrinsics',
    'System.Management.Automation.Host.PSHost', 'System.Management.Automation.PSCmdlet',
    'System.Management.Automation.Language.Ast', 'System.Management.Automation.Language.IScriptExtent',
    'System.Management.Automation.Language.IScriptPosition',
    'System.Reflection.MemberInfo', 'System.Reflection.Module', 'System.Reflection.Assembly',
    'System.Delegate', 'System.Threading.Thread', 'System.Threading.ExecutionContext'
) | ForEach-Object { $_ -as [type] } | Where-Object { $_ }

function Find-ErrorGraphLeak {
    <#
    .SYNOPSIS
        Walks an object graph (fields of every class, public and private, base classes included; array and collection
        items) to MaxDepth and returns a description of each HTTP message, HTTP content or header collection reached,
        and of each string that contains the key or one of its 6-character fragments.
    #>
    param(
        [Parameter(Mandatory)] [AllowNull()] $Root,
        [Parameter(Mandatory)] [string] $Key,
        [int] $MaxDepth = 12,
        [int] $MaxNodes = 50000
    )
    $visited = [System.Collections.Generic.HashSet[object]]::new([System.Collections.Generic.ReferenceEqualityComparer]::Instance)
    $found = [System.Collections.Generic.List[string]]::new()
    $stack = [System.Collections.Generic.Stack[object]]::new()
    $stack.Push([pscustomobject]@{ Value = $Root; Path = 'root'; Depth = 0 })
    $flags = [System.Reflection.BindingFlags] 'Instance,Public,NonPublic,DeclaredOnly'
    $nodes = 0
    $httpTypes = @([System.Net.Http.HttpRequestMessage], [System.Net.Http.HttpResponseMessage], [System.Net.Http.HttpContent],
        [System.Net.Http.Headers.HttpHeaders], [System.Net.Http.HttpMessageHandler], [System.Net.Http.HttpMessageInvoker])
    while ($stack.Count -gt 0 -and $nodes -lt $MaxNodes) {
        $item = $stack.Pop()
        $value = $item.Value
        if ($null -eq $value) { continue }
        $nodes++
        if ($value -is [string]) {
            $hits = @(Find-KeyFragment -Text $value -Key $Key)
            if ($hits.Count -gt 0) { $found.Add("$($item.Path): string containing key fragment(s) $($hits -join ', ')") }
            continue
        }
        $type = $value.GetType()
        if ($type.IsPrimitive -or $type.IsEnum -or $value -is [decimal] -or $value -is [datetime] -or $value -is [datetimeoffset] -or $value -is [timespan] -or $value -is [guid]) { continue }
        if ($value -is [System.Security.SecureString]) { continue } # not decoded; the key inside stays opaque
        foreach ($httpType in $httpTypes) {
            if ($httpType.IsInstanceOfType($value)) { $found.Add("$($item.Path): reachable $($type.FullName)") }
        }
        if ($item.Depth -ge $MaxDepth) { continue }
        if (-not $type.IsValueType -and -not $visited.Add($value)) { continue }
        $stop = $false
        foreach ($stopType in $script:WalkStopTypes) { if ($stopType.IsInstanceOfType($value)) { $stop = $true; break } }
        if ($stop) { continue }

        # Note properties (added by PowerShell or a script) live outside the object's fields: walk them by name.
        foreach ($property in @($value.PSObject.Properties | Where-Object MemberType -EQ 'NoteProperty')) {
            try { $child = $property.Value } catch { continue }
            if ($null -ne $child) { $stack.Push([pscustomobject]@{ Value = $child; Path = "$($item.Path).$($property.Name)"; Depth = $item.Depth + 1 }) }
        }
        if ($value -is [System.Management.Automation.PSCustomObject]) { continue }

        if ($value -is [System.Array]) {
            $i = 0
            foreach ($element in $value) {
                if ($i -ge 200) { break }
                $stack.Push([pscustomobject]@{ Value = $element; Path = "$($item.Path)[$i]"; Depth = $item.Depth + 1 })
                $i++
            }
            continue
        }
        for ($t = $type; $null -ne $t -and $t -ne [object]; $t = $t.BaseType) {
            foreach ($field in $t.GetFields($flags)) {
                if ($field.FieldType.IsPointer -or $field.FieldType.IsByRef -or $field.FieldType.IsByRefLike) { continue }
                try { $child = $field.GetValue($value) } catch { continue }
                if ($null -ne $child) { $stack.Push([pscustomobject]@{ Value = $child; Path = "$($item.Path).$($field.Name)"; Depth = $item.Depth + 1 }) }
            }
        }
    }
    , $found.ToArray()
}

function Get-ResilienceLog {
    <#
    .SYNOPSIS
        The emulator's request log (oldest first) as one flat array.
    .DESCRIPTION
        The emulator adds an entry once it has sent the answer, so a client may see the answer a moment before the
        entry exists. With -AtLeast, waits (up to 10 s) for that many entries, then a short settle for any straggler.
    #>
    param([Parameter(Mandatory)] $Emulator, [int] $AtLeast = 0)
    $read = { $log = Invoke-GliderEmulator $Emulator GET requests; @(foreach ($entry in $log) { $entry }) }
    $entries = @(& $read)
    if ($AtLeast -gt 0) {
        $deadline = [datetime]::UtcNow.AddSeconds(10)
        while ($entries.Count -lt $AtLeast -and [datetime]::UtcNow -lt $deadline) {
            Start-Sleep -Milliseconds 50
            $entries = @(& $read)
        }
        Start-Sleep -Milliseconds 200
        $entries = @(& $read)
    }
    $entries
}

Export-ModuleMember -Function Get-ResilienceProbeKey, New-ResilienceClient, New-ResilienceConnection, New-TcpTrap, Test-TcpTrap, Stop-TcpTrap,
    Get-KeyFragment, Find-KeyFragment, Find-ErrorGraphLeak, Get-ResilienceLog
