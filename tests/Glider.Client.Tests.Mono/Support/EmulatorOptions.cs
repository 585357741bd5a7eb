namespace Glider.Emulator
{
    /// <summary>
    /// The settings of the emulator that the shared end-to-end tests set, under the name they use; each becomes a
    /// command-line argument of the emulator process (defaults are the emulator's own).
    /// </summary>
    public sealed class EmulatorOptions
    {
        public int OperationMs { get; set; } = 3000;
        public double CooldownSeconds { get; set; } = 30;
        public int PortfolioCount { get; set; } = 250;
    }
}
