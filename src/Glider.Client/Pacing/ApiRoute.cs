using System.Net.Http;

namespace Glider.Client.Pacing
{
    /// <summary>
    /// One route of the API (method + path template): the unit the pacing gate keeps a rate-limit window for. The API
    /// groups routes into tiers it does not publish, so the route is the largest unit whose headers are known to
    /// describe it alone.
    /// </summary>
    internal sealed class ApiRoute
    {
        public static readonly ApiRoute ListPortfolios = new ApiRoute(HttpMethod.Get, "/v2/portfolios");
        public static readonly ApiRoute GetPortfolio = new ApiRoute(HttpMethod.Get, "/v2/portfolios/{portfolioId}");
        public static readonly ApiRoute TriggerRebalance = new ApiRoute(HttpMethod.Post, "/v2/portfolios/{portfolioId}/rebalance");
        public static readonly ApiRoute GetOperation = new ApiRoute(HttpMethod.Get, "/v2/portfolios/{portfolioId}/operations/{operationId}");
        public static readonly ApiRoute StopSchedule = new ApiRoute(HttpMethod.Post, "/v2/portfolios/{portfolioId}/stop");
        public static readonly ApiRoute StartSchedule = new ApiRoute(HttpMethod.Post, "/v2/portfolios/{portfolioId}/start");
        public static readonly ApiRoute WhoAmI = new ApiRoute(HttpMethod.Get, "/v2/whoami");
        public static readonly ApiRoute Scopes = new ApiRoute(HttpMethod.Get, "/v2/scopes");

        private ApiRoute(HttpMethod method, string template)
        {
            Method = method;
            Template = template;
        }

        public HttpMethod Method { get; }

        public string Template { get; }

        public override string ToString() => Method.Method + " " + Template;
    }
}
