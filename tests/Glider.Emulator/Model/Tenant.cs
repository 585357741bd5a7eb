namespace Glider.Emulator.Model
{
    internal sealed record Tenant(string Id, string Name, string Email);
}
