using System;
using System.Collections.Generic;
using Glider.Client.Models;

namespace Glider.PowerShell
{
    /// <summary>
    /// The runs this runspace's commands started, so that none is lost when a pipeline is torn down before it could
    /// write them (a failure upstream or downstream, Ctrl+C). Entries are written from pool threads, by the call's own
    /// continuation, never through the pipeline: an answer that arrives after the command has gone still lands here.
    /// Bounded: the newest Capacity runs are kept, older ones are forgotten (a runspace that triggers thousands of
    /// runs a day keeps a day's worth without growing without end).
    /// </summary>
    internal sealed class SessionOperations
    {
        public const int Capacity = 1000;

        private readonly object gate = new object();
        // Oldest first; a node is one POST (one run once answered).
        private readonly LinkedList<StartedOperation> entries = new LinkedList<StartedOperation>();

        /// <summary>Any thread: a rebalance POST is about to be sent. The returned slot is updated when it is answered.</summary>
        public object Sending(string portfolioId, string command)
        {
            var entry = new StartedOperation(portfolioId, null, null, StartedOperation.Sending, DateTimeOffset.Now, DateTimeOffset.Now, command, null);
            lock (gate)
            {
                LinkedListNode<StartedOperation> node = entries.AddLast(entry);
                while (entries.Count > Capacity)
                {
                    entries.RemoveFirst();
                }

                return node;
            }
        }

        /// <summary>
        /// The server accepted the run. A run it was already running for the portfolio comes back with the same id: it
        /// stays one entry, the earlier one.
        /// </summary>
        public void Accepted(object slot, RebalanceSubmission submission)
        {
            lock (gate)
            {
                var node = (LinkedListNode<StartedOperation>)slot;
                if (node.List == null)
                {
                    return; // forgotten already (more than Capacity runs since)
                }

                for (LinkedListNode<StartedOperation>? other = entries.First; other != null; other = other.Next)
                {
                    if (other != node && string.Equals(other.Value.OperationId, submission.OperationId, StringComparison.Ordinal)
                        && string.Equals(other.Value.PortfolioId, submission.PortfolioId, StringComparison.Ordinal))
                    {
                        entries.Remove(node);
                        return;
                    }
                }

                node.Value = node.Value.With(submission.OperationId, submission.SubmittedAt, StartedOperation.Submitted, null);
            }
        }

        /// <summary>The server answered with an error (404, cooldown, ...): nothing was started.</summary>
        public void Refused(object slot)
        {
            lock (gate)
            {
                var node = (LinkedListNode<StartedOperation>)slot;
                if (node.List != null)
                {
                    entries.Remove(node);
                }
            }
        }

        /// <summary>No answer will come (cancelled, timed out, connection lost after sending): a run may have started.</summary>
        public void Unanswered(object slot, string reason)
        {
            lock (gate)
            {
                var node = (LinkedListNode<StartedOperation>)slot;
                if (node.List != null)
                {
                    node.Value = node.Value.With(null, null, StartedOperation.MayHaveStarted, reason);
                }
            }
        }

        /// <summary>Any thread: what a poll or a Get-GliderOperation learned about a run of this session, if it is one.</summary>
        public void Observe(Operation operation)
        {
            lock (gate)
            {
                for (LinkedListNode<StartedOperation>? node = entries.Last; node != null; node = node.Previous)
                {
                    StartedOperation entry = node.Value;
                    if (string.Equals(entry.OperationId, operation.OperationId, StringComparison.Ordinal)
                        && string.Equals(entry.PortfolioId, operation.PortfolioId, StringComparison.Ordinal))
                    {
                        node.Value = entry.With(entry.OperationId, entry.SubmittedAt, operation.State ?? "unknown", operation.Error);
                        return;
                    }
                }
            }
        }

        /// <summary>Newest first, as Get-Job lists a session's jobs.</summary>
        public IReadOnlyList<StartedOperation> Newest()
        {
            lock (gate)
            {
                var list = new List<StartedOperation>(entries.Count);
                for (LinkedListNode<StartedOperation>? node = entries.Last; node != null; node = node.Previous)
                {
                    list.Add(node.Value);
                }

                return list;
            }
        }
    }
}
