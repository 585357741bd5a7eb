function Add-GliderEmulatorFault {
    <#
    .SYNOPSIS
        Adds a fault rule and returns its id: an HTTP status (429, 5xx), a dropped connection, slow headers (delay) or
        any other kind of the emulator README, for a route, a method, a path fragment or a portfolio, for the next
        -Count requests or with a -Probability.
    .EXAMPLE
        Add-GliderEmulatorFault -Route GetOperation -Kind status -Status 503 -Probability 0.2
    .EXAMPLE
        Add-GliderEmulatorFault -Rule @{ kind = 'status'; status = 429; retryAfter = '2'; platformBody = $true; count = 1 }
    #>
    [CmdletBinding(DefaultParameterSetName = 'Fields')]
    [OutputType([string])]
    param(
        [Parameter(Mandatory, ParameterSetName = 'Fields')]
        [ValidateSet('status', 'delay', 'drop', 'drop-after-read', 'reset-mid-body', 'truncate', 'nonjson', 'empty', 'redirect')]
        [string] $Kind,
        [Parameter(ParameterSetName = 'Fields')] [string] $Route,
        [Parameter(ParameterSetName = 'Fields')] [string] $Method,
        [Parameter(ParameterSetName = 'Fields')] [string] $PathContains,
        [Parameter(ParameterSetName = 'Fields')] [string] $PortfolioId,
        [Parameter(ParameterSetName = 'Fields')] [ValidateRange(100, 599)] [int] $Status,
        [Parameter(ParameterSetName = 'Fields')] [ValidateRange(1, [int]::MaxValue)] [int] $Count,
        [Parameter(ParameterSetName = 'Fields')] [ValidateRange(0.0, 1.0)] [double] $Probability = -1,
        [Parameter(ParameterSetName = 'Fields')] [ValidateRange(1, [int]::MaxValue)] [int] $DelayMs,
        [Parameter(ParameterSetName = 'Fields')] [string] $RetryAfter,
        [Parameter(Mandatory, ParameterSetName = 'Rule')] [System.Collections.IDictionary] $Rule,
        $Emulator
    )
    $target = Resolve-GliderEmulatorTarget $Emulator
    if ($PSCmdlet.ParameterSetName -eq 'Fields') {
        $Rule = @{ kind = $Kind }
        $fields = @{ Route = 'route'; Method = 'method'; PathContains = 'pathContains'; PortfolioId = 'portfolioId'
            Status = 'status'; Count = 'count'; DelayMs = 'delayMs'; RetryAfter = 'retryAfter' }
        foreach ($name in $fields.Keys) {
            if ($PSBoundParameters.ContainsKey($name)) { $Rule[$fields[$name]] = $PSBoundParameters[$name] }
        }
        # The emulator calls the probability 'fraction' (of the matching requests).
        if ($PSBoundParameters.ContainsKey('Probability')) { $Rule.fraction = $Probability }
    }
    (Invoke-GliderEmulator $target POST faults $Rule).id
}
