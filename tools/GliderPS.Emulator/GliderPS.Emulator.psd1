@{
    RootModule        = 'GliderPS.Emulator.psm1'
    # The same as GliderPS.psd1's (the tool package's version): tests/Pester/Rehearsal.Tests.ps1 fails when they differ.
    ModuleVersion     = '0.1.0'
    GUID              = '5b0f6a52-8f0e-4d55-9d3a-2f1c3e7a9b64'
    Author            = 'GliderPS contributors'
    Description       = 'Starts, steers and stops the Glider API emulator (the glider-emulator .NET tool) for rehearsing GliderPS runbooks.'
    # ProcessStartInfo.ArgumentList and the emulator itself need .NET; rehearsals run where the .NET SDK is.
    PowerShellVersion = '7.2'
    FunctionsToExport = @(
        'Start-GliderEmulator'
        'Stop-GliderEmulator'
        'Reset-GliderEmulator'
        'Set-GliderEmulatorOutcome'
        'Add-GliderEmulatorFault'
        'Clear-GliderEmulatorFault'
        'Get-GliderEmulatorRequest'
        'Clear-GliderEmulatorRequest'
        'Get-GliderEmulatorStatistic'
        'Invoke-GliderEmulator'
    )
    CmdletsToExport   = @()
    VariablesToExport = @()
    AliasesToExport   = @()
}
