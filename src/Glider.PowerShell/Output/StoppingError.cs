using System.Management.Automation;

namespace Glider.PowerShell
{
    /// <summary>What a command adds to the one error record it ends with.</summary>
    internal static class StoppingError
    {
        /// <summary>Adds a sentence (and data) to the record, keeping its recommended action.</summary>
        public static void Append(ErrorRecord record, string sentence, string dataKey, object data)
        {
            record.Exception.Data[dataKey] = data;
            string message = record.ErrorDetails?.Message ?? record.Exception.Message;
            string? action = record.ErrorDetails?.RecommendedAction;
            record.ErrorDetails = new ErrorDetails(message + " " + sentence) { RecommendedAction = action };
        }
    }
}
