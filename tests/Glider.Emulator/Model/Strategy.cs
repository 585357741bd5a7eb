namespace Glider.Emulator.Model
{
    internal sealed record Strategy(string Id, string Name, string Description, int Version);
}
