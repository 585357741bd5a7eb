using System;
using System.Collections;
using System.Management.Automation;

namespace Glider.PowerShell
{
    /// <summary>
    /// Refuses null, empty and whitespace ids (one or each of an array) at parameter binding, before any request.
    /// ValidateNotNullOrWhiteSpace is PowerShell 7.4+ only; this runs on 5.1 too. PowerShell prefixes the message
    /// with "Cannot validate argument on parameter '&lt;name&gt;'", which names the parameter.
    /// </summary>
    [AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
    public sealed class ValidateGliderIdAttribute : ValidateArgumentsAttribute
    {
        protected override void Validate(object arguments, EngineIntrinsics engineIntrinsics)
        {
            object? value = arguments is PSObject wrapped ? wrapped.BaseObject : arguments;
            if (value is string single)
            {
                Check(single);
                return;
            }

            if (value is IEnumerable many)
            {
                bool any = false;
                foreach (object? item in many)
                {
                    any = true;
                    Check(item is PSObject p ? p.BaseObject : item);
                }

                if (!any)
                {
                    throw new ValidationMetadataException("The argument is an empty collection. Supply at least one id.");
                }

                return;
            }

            Check(value);
        }

        private static void Check(object? value)
        {
            if (value == null || (value is string s && string.IsNullOrWhiteSpace(s)))
            {
                throw new ValidationMetadataException("The argument is null, empty or whitespace. Supply a non-empty id such as pf_acme_0001.");
            }
        }
    }
}
