function Invoke-GliderEmulator {
    <#
    .SYNOPSIS
        Calls the emulator's control API (/_emulator/...), e.g. Invoke-GliderEmulator $emulator PUT timings @{ latencyMs = 200 }.
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory, Position = 0)] [AllowNull()] $Emulator,
        [Parameter(Mandatory, Position = 1)] [ValidateSet('GET', 'POST', 'PUT', 'DELETE')] [string] $Method,
        [Parameter(Mandatory, Position = 2)] [string] $Path,
        [Parameter(Position = 3)] $Body
    )
    $target = Resolve-GliderEmulatorTarget $Emulator
    $parameters = @{
        Method = $Method
        Uri    = "$($target.BaseUri)/_emulator/$($Path.TrimStart('/'))"
    }
    # The emulator listens on loopback only; served over https, its certificate is the one its starter gave it.
    if ($target.BaseUri -like 'https://*') { $parameters.SkipCertificateCheck = $true }
    if ($null -ne $Body) {
        $parameters.Body = ($Body | ConvertTo-Json -Depth 10 -Compress)
        $parameters.ContentType = 'application/json'
    }
    Invoke-RestMethod @parameters
}
