using System.Management.Automation;

namespace Glider.PowerShell
{
    /// <summary>
    /// -ApiKey takes a SecureString only. PowerShell's own refusal of a plain string says nothing about what to do and
    /// quotes the string, which here is the key itself; this one says how to pass a key and never quotes it.
    /// </summary>
    internal sealed class SecureStringKeyAttribute : ArgumentTransformationAttribute
    {
        public override object? Transform(EngineIntrinsics engineIntrinsics, object? inputData)
        {
            object? value = inputData is PSObject wrapped ? wrapped.BaseObject : inputData;
            if (value is string)
            {
                throw new ArgumentTransformationMetadataException(
                    "-ApiKey takes a SecureString, not plain text (the text was not used, and is not shown here). Read the key with "
                    + "(Read-Host -AsSecureString), convert it with (ConvertTo-SecureString -String $key -AsPlainText -Force), pass a "
                    + "credential whose password is the key with -Credential, or set the GLIDER_API_KEY environment variable and omit -ApiKey.");
            }

            return inputData;
        }
    }
}
