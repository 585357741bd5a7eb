using System.Globalization;
using Glider.Client;

namespace Glider.PowerShell
{
    /// <summary>The verbose line of one HTTP attempt: enough to find it in the server's logs (correlation id), never the key.</summary>
    internal static class RequestTraceText
    {
        public static string Format(RequestTrace trace)
        {
            string outcome = trace.StatusCode.HasValue
                ? trace.StatusCode.Value.ToString(CultureInfo.InvariantCulture)
                : "no response (" + (trace.Failure ?? "unknown failure") + ")";
            return string.Format(
                CultureInfo.InvariantCulture,
                "{0} {1} -> {2} in {3} ms (attempt {4}, correlation id {5})",
                trace.Method,
                trace.Uri,
                outcome,
                (long)trace.Elapsed.TotalMilliseconds,
                trace.Attempt,
                trace.CorrelationId ?? "none");
        }
    }
}
