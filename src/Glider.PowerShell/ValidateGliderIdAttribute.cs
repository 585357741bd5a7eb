using System;
using System.Collections;
using System.Management.Automation;

namespace Glider.PowerShell
{
    /// <summary>
    /// Refuses null, empty and whitespace ids, and ids with a dot path segment (one or each of an array) at parameter
    /// binding, before any request.
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

            string text = value.ToString() ?? string.Empty;
            if (HasDotSegment(text))
            {
                throw new ValidationMetadataException(
                    $"The id '{text}' is or contains a '.' or '..' path segment (possibly percent-encoded). A server or proxy that resolves such segments would act on another resource, so it is refused.");
            }
        }

        /// <summary>
        /// "." or ".." as the whole id or as one '/'-separated part of it, raw or percent-decoded once or twice (the
        /// same rule the client applies, checked here so the refusal is a parameter error and nothing is sent).
        /// </summary>
        private static bool HasDotSegment(string id)
        {
            string current = id;
            for (int pass = 0; pass < 3; pass++)
            {
                foreach (string segment in current.Split('/', '\\'))
                {
                    if (segment == "." || segment == "..")
                    {
                        return true;
                    }
                }

                string decoded;
                try
                {
                    decoded = Uri.UnescapeDataString(current);
                }
                catch (UriFormatException)
                {
                    return false;
                }

                if (decoded == current)
                {
                    return false;
                }

                current = decoded;
            }

            return false;
        }
    }
}
