using System.Collections.Generic;
using Glider.Emulator.Http;

namespace Glider.Emulator.State
{
    /// <summary>A validated tier: its routes resolved to the router's endpoints.</summary>
    internal sealed record TierLimit(string Name, IReadOnlyList<V2Endpoint> Routes, int Limit, double WindowSeconds);
}
