namespace Glider.Emulator.Http
{
    /// <summary>The endpoint a request addresses and its path parameters (already decoded once).</summary>
    internal readonly record struct V2Route(V2Endpoint Endpoint, string? PortfolioId = null, string? OperationId = null, string? Allow = null);
}
