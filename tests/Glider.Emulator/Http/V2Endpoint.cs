namespace Glider.Emulator.Http
{
    internal enum V2Endpoint
    {
        NoSuchRoute,
        MethodNotAllowed,
        WhoAmI,
        Scopes,
        ListPortfolios,
        GetPortfolio,
        Rebalance,
        GetOperation,
        Stop,
        Start,
    }
}
