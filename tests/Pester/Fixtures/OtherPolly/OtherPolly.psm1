# Stands in for another module that ships its own (older) Polly.Core and loads it into the default load context
# before GliderPS is imported. GLIDER_TEST_OTHER_POLLY is the path of that Polly.Core.dll.
$assembly = [System.Reflection.Assembly]::LoadFrom($env:GLIDER_TEST_OTHER_POLLY)
# Use it, as the other module would, so the type is really bound in the default context.
$null = [Polly.ResiliencePipelineBuilder]::new().Build()
# Polly keeps its assembly version at 8.0.0.0 across 8.x, so only the file version tells the copies apart.
function Get-OtherPollyVersion { [System.Diagnostics.FileVersionInfo]::GetVersionInfo($assembly.Location).FileVersion }
Export-ModuleMember -Function Get-OtherPollyVersion
