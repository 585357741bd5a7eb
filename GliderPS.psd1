@{
    RootModule           = 'GliderPS.psm1'
    ModuleVersion        = '0.1.0'
    GUID                 = '5b0d7c2e-3f5a-4c8e-9a51-2e7d4f1c9b60'
    Author               = 'GliderPS contributors'
    CompanyName          = 'GliderPS'
    Copyright            = '(c) GliderPS contributors. MIT License.'
    Description          = 'Trigger, inspect and wait for Glider V2 portfolio rebalances from PowerShell.'
    PowerShellVersion    = '5.1'
    DotNetFrameworkVersion = '4.7.2'
    CompatiblePSEditions = @('Desktop', 'Core')
    FormatsToProcess     = @('GliderPS.Format.ps1xml')
    TypesToProcess       = @('GliderPS.Types.ps1xml')
    CmdletsToExport      = @(
        'Connect-Glider'
        'Disconnect-Glider'
        'Get-GliderContext'
        'Get-GliderPortfolio'
        'Get-GliderOperation'
        'Invoke-GliderRebalance'
        'New-GliderConnection'
        'Resume-GliderPortfolio'
        'Suspend-GliderPortfolio'
        'Wait-GliderOperation'
    )
    FunctionsToExport    = @()
    VariablesToExport    = @()
    AliasesToExport      = @()
    PrivateData          = @{
        PSData = @{
            Tags         = @('Glider', 'Rebalance', 'Portfolio', 'API', 'Automation')
            ProjectUri   = 'https://github.com/gliderps/GliderPS'
            LicenseUri   = 'https://github.com/gliderps/GliderPS/blob/main/LICENSE'
            ReleaseNotes = 'First release.'
        }
    }
}
