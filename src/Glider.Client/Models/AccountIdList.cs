using System.Collections.Generic;
using System.Collections.ObjectModel;

namespace Glider.Client.Models
{
    /// <summary>
    /// A portfolio's smart account ids: a read-only list whose text form is the ids themselves ("a; b"), not the
    /// collection's type name, so that Export-Csv and string interpolation write what a user expects.
    /// </summary>
    public sealed class AccountIdList : ReadOnlyCollection<string>
    {
        public const string Separator = "; ";

        public AccountIdList(IList<string> ids)
            : base(ids)
        {
        }

        public override string ToString() => string.Join(Separator, this);
    }
}
