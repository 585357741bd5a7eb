using System;
using System.Collections.Generic;

namespace Glider.Client.Waiting
{
    /// <summary>
    /// The operations waiting for their next poll, earliest first (a binary min-heap; netstandard2.0 has no
    /// PriorityQueue). Ties keep insertion order so that no operation is starved.
    /// </summary>
    internal sealed class PollSchedule
    {
        private readonly List<Entry> heap = new List<Entry>();
        private long sequence;

        private readonly struct Entry
        {
            public Entry(DateTimeOffset dueAt, long order, TrackedOperation operation)
            {
                DueAt = dueAt;
                Order = order;
                Operation = operation;
            }

            public DateTimeOffset DueAt { get; }
            public long Order { get; }
            public TrackedOperation Operation { get; }

            public bool Before(Entry other) => DueAt < other.DueAt || (DueAt == other.DueAt && Order < other.Order);
        }

        public int Count => heap.Count;

        public DateTimeOffset NextDueAt => heap[0].DueAt;

        public void Add(TrackedOperation operation, DateTimeOffset dueAt)
        {
            heap.Add(new Entry(dueAt, sequence++, operation));
            int child = heap.Count - 1;
            while (child > 0)
            {
                int parent = (child - 1) / 2;
                if (!heap[child].Before(heap[parent]))
                {
                    break;
                }

                Swap(child, parent);
                child = parent;
            }
        }

        public TrackedOperation Take()
        {
            TrackedOperation first = heap[0].Operation;
            int last = heap.Count - 1;
            heap[0] = heap[last];
            heap.RemoveAt(last);

            int parent = 0;
            while (true)
            {
                int left = 2 * parent + 1;
                if (left >= heap.Count)
                {
                    break;
                }

                int right = left + 1;
                int smallest = right < heap.Count && heap[right].Before(heap[left]) ? right : left;
                if (!heap[smallest].Before(heap[parent]))
                {
                    break;
                }

                Swap(parent, smallest);
                parent = smallest;
            }
            return first;
        }

        private void Swap(int a, int b)
        {
            Entry temp = heap[a];
            heap[a] = heap[b];
            heap[b] = temp;
        }
    }
}
