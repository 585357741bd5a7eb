using System;
using System.Collections.Generic;

namespace Glider.Emulator.State
{
    /// <summary>One /v2 request as the log keeps it. Deliberately has no field that could hold the key itself.</summary>
    internal sealed record RequestLogEntry(
        DateTimeOffset Time,
        string Method,
        string RawTarget,
        IReadOnlyList<string> HeaderNames,
        bool ApiKeyPresent,
        string? ApiKeyId,
        string? UserAgent,
        int? Status,
        string? Fault,
        string ConnectionId,
        string RequestId,
        string CorrelationId,
        DateTimeOffset CompletedAt = default,
        bool ClientAborted = false,
        string? RateLimitedBy = null);
}
