namespace Glider.PowerShell
{
    /// <summary>
    /// How many requests one command keeps in flight (-ThrottleLimit). 16 overlaps enough round trips to hide a
    /// cross-region latency (1,000 triggers at 50 ms take ~3 s instead of 50 s) while staying well inside what one
    /// key's platform limit lets through; the pacing gate holds the rest. 64 is where more connections to one host stop
    /// helping and start looking like a flood.
    /// </summary>
    internal static class RequestThrottle
    {
        public const int Default = 16;
        public const int Max = 64;
    }
}
