using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;

namespace Glider.PowerShell
{
    /// <summary>
    /// Turns what users pipe or pass as an id into the id: a string as is; an object with the named property (a
    /// portfolio, an operation, a [pscustomobject]) or a hashtable/dictionary with that key, its value. Anything else
    /// is refused here, at binding, naming the type received: PowerShell would otherwise convert it with ToString()
    /// and send "System.Collections.Hashtable" or "@{Id=pf_x}" to the API as an id.
    /// </summary>
    [AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
    internal sealed class GliderIdTransformationAttribute : ArgumentTransformationAttribute
    {
        public GliderIdTransformationAttribute(string propertyName)
        {
            PropertyName = propertyName;
        }

        /// <summary>The property or key that holds the id: PortfolioId, OperationId, StrategyId, OwnerAccountId.</summary>
        public string PropertyName { get; }

        public override object? Transform(EngineIntrinsics engineIntrinsics, object? inputData)
        {
            object? value = Unwrap(inputData);
            if (value == null || value is string)
            {
                return value;
            }

            if (value is IDictionary dictionary)
            {
                return FromDictionary(dictionary);
            }

            if (value is IEnumerable many && !(value is PSObject))
            {
                var ids = new List<object?>();
                foreach (object? item in many)
                {
                    ids.Add(TransformOne(Unwrap(item), item));
                }

                return ids.ToArray();
            }

            return TransformOne(value, inputData);
        }

        private object? TransformOne(object? value, object? original)
        {
            switch (value)
            {
                case null:
                case string _:
                    return value;
                case IDictionary dictionary:
                    return FromDictionary(dictionary);
                default:
                    return FromProperty(value, original);
            }
        }

        private object? FromDictionary(IDictionary dictionary)
        {
            foreach (DictionaryEntry entry in dictionary)
            {
                if (entry.Key is string key && string.Equals(key, PropertyName, StringComparison.OrdinalIgnoreCase))
                {
                    return AsId(Unwrap(entry.Value), $"the {PropertyName} key of a {TypeName(dictionary)}");
                }
            }

            throw Refuse($"a {TypeName(dictionary)} without the {PropertyName} key (keys: {List(dictionary.Keys.Cast<object>().Select(k => k?.ToString() ?? string.Empty))})");
        }

        private object? FromProperty(object value, object? original)
        {
            PSObject shell = value as PSObject ?? original as PSObject ?? PSObject.AsPSObject(value);
            PSPropertyInfo? property = shell.Properties[PropertyName];
            if (property != null)
            {
                object? found;
                try
                {
                    found = property.Value;
                }
                catch (GetValueException)
                {
                    found = null;
                }

                return AsId(Unwrap(found), $"the {PropertyName} property of a {TypeName(value)}");
            }

            string properties = shell.BaseObject is PSCustomObject ? $" with properties {List(shell.Properties.Select(p => p.Name))}" : string.Empty;
            throw Refuse($"a {TypeName(value)}{properties}, which has no {PropertyName} property");
        }

        private object? AsId(object? found, string where)
        {
            if (found == null || found is string)
            {
                return found;
            }

            throw Refuse($"{where} holding a {TypeName(found)}, not a string");
        }

        private ArgumentTransformationMetadataException Refuse(string received) =>
            new ArgumentTransformationMetadataException(
                $"Expected an id (a string), or an object or hashtable with a {PropertyName}; received {received}. Nothing was sent.");

        private static object? Unwrap(object? value) => value is PSObject wrapped && !(wrapped.BaseObject is PSCustomObject) ? wrapped.BaseObject : value;

        private static string TypeName(object value)
        {
            object inner = value is PSObject wrapped ? wrapped.BaseObject : value;
            return inner is PSCustomObject ? "PSCustomObject" : inner.GetType().FullName ?? inner.GetType().Name;
        }

        private static string List(IEnumerable<string> names)
        {
            string[] shown = names.Take(6).ToArray();
            return shown.Length == 0 ? "none" : string.Join(", ", shown) + (names.Skip(6).Any() ? ", ..." : string.Empty);
        }
    }
}
