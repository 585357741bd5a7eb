namespace Glider.Emulator.Model
{
    /// <summary>A share (0..1) of the portfolios whose runs end with <see cref="Outcome"/>, unless a portfolio has its own.</summary>
    internal sealed record OutcomeShare(double Share, OperationOutcome Outcome);
}
