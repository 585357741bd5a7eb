using System;

namespace Glider.PowerShell
{
    /// <summary>
    /// One run a command of this runspace started, or may have started, as Get-GliderOperation with no ids lists it:
    /// the last state known to this session, without asking the API. Pipes into Get-GliderOperation and
    /// Wait-GliderOperation by PortfolioId, OperationId and SubmittedAt.
    /// </summary>
    public sealed class StartedOperation
    {
        /// <summary>The POST is on its way: the server may already be running it.</summary>
        public const string Sending = "sending";

        /// <summary>The POST was sent and never answered (Ctrl+C, a timeout, a dropped connection): a run may have started.</summary>
        public const string MayHaveStarted = "may have started";

        /// <summary>Accepted by the server and not polled since.</summary>
        public const string Submitted = "submitted";

        internal StartedOperation(string portfolioId, string? operationId, DateTimeOffset? submittedAt, string state, DateTimeOffset sentAt, DateTimeOffset updatedAt, string command, string? error)
        {
            PortfolioId = portfolioId;
            OperationId = operationId;
            SubmittedAt = submittedAt;
            State = state;
            SentAt = sentAt;
            UpdatedAt = updatedAt;
            Command = command;
            Error = error;
        }

        public string PortfolioId { get; }

        /// <summary>Null while the POST is unanswered (State "sending" or "may have started").</summary>
        public string? OperationId { get; }

        /// <summary>The server's time of the submission, once it answered.</summary>
        public DateTimeOffset? SubmittedAt { get; }

        /// <summary>"sending", "may have started", "submitted", or the last state the API reported (accepted, running, completed, ...).</summary>
        public string State { get; }

        /// <summary>When this session sent the POST (local clock).</summary>
        public DateTimeOffset SentAt { get; }

        /// <summary>When this session last learned something about the run.</summary>
        public DateTimeOffset UpdatedAt { get; }

        /// <summary>The command that started it.</summary>
        public string Command { get; }

        /// <summary>Why the POST went unanswered, or the operation's error once it failed.</summary>
        public string? Error { get; }

        internal StartedOperation With(string? operationId, DateTimeOffset? submittedAt, string state, string? error) =>
            new StartedOperation(PortfolioId, operationId, submittedAt, state, SentAt, DateTimeOffset.Now, Command, error);

        public override string ToString() => OperationId ?? $"{PortfolioId} ({State})";
    }
}
