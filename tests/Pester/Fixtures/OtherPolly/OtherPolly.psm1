# Stands in for another module that ships its own (older) Polly.Core and loads it into the default load context
# before GliderPS is imported. GLIDER_TEST_OTHER_POLLY is the path of that Polly.Core.dll.
$assembly = [System.Reflection.Assembly]::LoadFrom($env:GLIDER_TEST_OTHER_POLLY)
# Use it, as the other module would, so the type is really bound in the default context.
$null = [Polly.ResiliencePipelineBuilder]::new().Build()
function Get-OtherPollyVersion { $assembly.GetName().Version.ToString() }
Export-ModuleMember -Function Get-OtherPollyVersion
