using System;
using System.Management.Automation;

namespace Glider.PowerShell
{
    /// <summary>
    /// Refuses, with what to do instead, the deserialized copy of a connection that Start-Job, Invoke-Command or
    /// Import-Clixml hand over: a property bag without the client, which PowerShell would otherwise reject with a
    /// bare "cannot convert" message. Live connections pass through untouched.
    /// </summary>
    [AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
    internal sealed class GliderConnectionTransformationAttribute : ArgumentTransformationAttribute
    {
        private const string DeserializedPrefix = "Deserialized.";

        public override object? Transform(EngineIntrinsics engineIntrinsics, object? inputData)
        {
            if (inputData is PSObject wrapped && !(wrapped.BaseObject is GliderConnection))
            {
                string? first = wrapped.TypeNames.Count > 0 ? wrapped.TypeNames[0] : null;
                if (first != null && first.StartsWith(DeserializedPrefix, StringComparison.Ordinal))
                {
                    throw new ArgumentTransformationMetadataException(
                        $"Received a deserialized copy ({first}), as a process job (Start-Job), Invoke-Command or Import-Clixml hands over: it holds no connection to the API and cannot be used. "
                        + "Pass a live connection within one process (ForEach-Object -Parallel or Start-ThreadJob with $using:connection), or connect inside the job itself, e.g. Connect-Glider with GLIDER_API_KEY and GLIDER_BASE_URI set in its environment.");
                }
            }

            return inputData;
        }
    }
}
