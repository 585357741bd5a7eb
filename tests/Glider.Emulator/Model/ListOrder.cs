using System;

namespace Glider.Emulator.Model
{
    /// <summary>The list order: createdAt descending, then id descending so the order is total and cursors are stable.</summary>
    internal static class ListOrder
    {
        public static int Compare(Portfolio a, Portfolio b) => Compare(a.CreatedAt, a.Id, b.CreatedAt, b.Id);

        public static int Compare(DateTimeOffset aCreated, string aId, DateTimeOffset bCreated, string bId)
        {
            var byTime = bCreated.CompareTo(aCreated);
            return byTime != 0 ? byTime : string.CompareOrdinal(bId, aId);
        }
    }
}
