using System.Globalization;

namespace Glider.Client.Http
{
    /// <summary>
    /// A value from one of the API's enumerations (a portfolio's status, ...), as the API spells it. The API's
    /// enumerations are lower-case and it compares them exactly, while PowerShell accepts `-Status Active` for a
    /// ValidateSet of "active": sent as typed, the API would answer 400.
    /// </summary>
    internal static class EnumeratedValue
    {
        public static string? ToWire(string? value) => value?.ToLower(CultureInfo.InvariantCulture);
    }
}
