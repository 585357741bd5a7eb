using System;
using System.Text.Json;

namespace Glider.Emulator.Http
{
    /// <summary>The error responses of the contract's table, in one place so codes stay consistent.</summary>
    internal static class ApiErrors
    {
        public const string InvalidPath = "API_002";
        public const string RateLimited = "API_004";
        public const string NotFound = "API_006";
        public const string KeyMissing = "API_101";
        public const string KeyInvalid = "API_102";
        public const string KeyExpired = "API_103";
        public const string ScopeMissing = "API_104";
        public const string NoSuchRoute = "API_200";
        public const string InvalidRequest = "API_400";
        public const string Unexpected = "API_000";

        public static ApiResponse Create(int status, string code, string message, Action<Utf8JsonWriter>? details = null) =>
            new(status, JsonBodies.Error(code, message, details));

        public static ApiResponse BadQuery(string parameter, string message) =>
            Create(400, InvalidRequest, message, w => w.WriteString("parameter", parameter));

        public static ApiResponse BadPath(string parameter, string message) =>
            Create(400, InvalidPath, message, w => w.WriteString("parameter", parameter));

        /// <summary>The single 404 body for a portfolio that is missing or belongs to another tenant, so the two cannot be told apart.</summary>
        public static ApiResponse PortfolioNotFound() => Create(404, NotFound, "Portfolio not found.");

        public static ApiResponse OperationNotFound() => Create(404, NotFound, "Operation not found.");

        /// <summary>The envelope code a bare status maps to, for fault rules that give only a status.</summary>
        public static string CodeForStatus(int status) => status switch
        {
            400 => InvalidRequest,
            401 => KeyMissing,
            403 => ScopeMissing,
            404 => NotFound,
            429 => RateLimited,
            _ => Unexpected,
        };
    }
}
