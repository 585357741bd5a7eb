using System.Globalization;
using System.Text;
using Glider.Emulator.Faults;

namespace Glider.Emulator.Http
{
    /// <summary>The responses of the fault kinds that replace the real answer entirely.</summary>
    internal static class FaultResponses
    {
        public static ApiResponse Status(FaultAction action, V2Call call)
        {
            var status = action.Status ?? 500;
            ApiResponse response;
            if (status == 429 && action.PlatformBody)
            {
                var retryAfterSeconds = int.TryParse(action.RetryAfter, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) ? seconds : 1;
                response = new ApiResponse(status, JsonBodies.PlatformTooManyRequests(retryAfterSeconds, call.CorrelationId, call.RequestId));
            }
            else
            {
                response = ApiErrors.Create(status, action.Code ?? ApiErrors.CodeForStatus(status), "Injected fault: status " + status.ToString(CultureInfo.InvariantCulture) + ".");
            }
            AddRetryAfter(response, action);
            return response;
        }

        public static ApiResponse NonJson(FaultAction action)
        {
            var status = action.Status ?? 502;
            var html = "<html><head><title>" + status.ToString(CultureInfo.InvariantCulture) + " Bad Gateway</title></head>"
                + "<body><center><h1>" + status.ToString(CultureInfo.InvariantCulture) + " Bad Gateway</h1></center><hr><center>nginx</center></body></html>\n";
            var response = new ApiResponse(status, Encoding.UTF8.GetBytes(html), "text/html; charset=utf-8");
            AddRetryAfter(response, action);
            return response;
        }

        public static ApiResponse Empty(FaultAction action)
        {
            var response = new ApiResponse(action.Status ?? 502, System.Array.Empty<byte>(), null);
            AddRetryAfter(response, action);
            return response;
        }

        private static void AddRetryAfter(ApiResponse response, FaultAction action)
        {
            if (action.RetryAfter is null)
            {
                return;
            }

            response.WithHeader("Retry-After", action.RetryAfter);
            // Further values become further header lines (Headers keeps duplicates added directly).
            foreach (var more in action.MoreRetryAfter ?? System.Array.Empty<string>())
            {
                response.Headers.Add(new System.Collections.Generic.KeyValuePair<string, string>("Retry-After", more));
            }
        }

        public static ApiResponse Redirect(FaultAction action) =>
            new ApiResponse(action.Status ?? 302, System.Array.Empty<byte>(), null)
                .WithHeader("Location", action.Location ?? "http://127.0.0.2:1/elsewhere");
    }
}
