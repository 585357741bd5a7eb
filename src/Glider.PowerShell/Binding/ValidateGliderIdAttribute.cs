using System;
using System.Collections;
using System.Management.Automation;
using Glider.Client;

namespace Glider.PowerShell
{
    /// <summary>
    /// Refuses, at parameter binding and before any request, an id (or any id of an array) that the client would
    /// refuse: the rule is the client's own (GliderId.Problem), so the two cannot drift apart. PowerShell prefixes the
    /// message with "Cannot validate argument on parameter '&lt;name&gt;'", which names the parameter.
    /// ValidateNotNullOrWhiteSpace is PowerShell 7.4+ only; this runs on 5.1 too.
    /// </summary>
    [AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
    internal sealed class ValidateGliderIdAttribute : ValidateArgumentsAttribute
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
            // GliderIdTransformationAttribute has turned everything acceptable into a string by now.
            string? problem = GliderId.Problem(value as string ?? value?.ToString());
            if (problem != null)
            {
                throw new ValidationMetadataException(problem);
            }
        }
    }
}
