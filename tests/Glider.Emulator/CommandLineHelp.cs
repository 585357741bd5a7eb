namespace Glider.Emulator
{
    /// <summary>What --help prints; the README's "Starting it" section says the same at more length.</summary>
    internal static class CommandLineHelp
    {
        public const string Text =
            """
            Glider.Emulator: a local stand-in for the Glider V2 API, listening on 127.0.0.1 only.

            Options (each also --name=value):
              --urls http://127.0.0.1:PORT        Address to listen on (loopback only; port 0 picks a free one).
              --operation-ms N                    Accepted + running time of a rebalance (default 3000).
              --cooldown-seconds S                Wait after a run before another manual trigger (default 30).
              --portfolios N                      Portfolios of tenant Acme Capital (default 250).
              --latency-ms N                      Extra delay before every /v2 answer (default 0).
              --portfolio-file FILE               Acme Capital's portfolios from a JSON array of
                                                  {"portfolioId": ..., "strategyId", "schedule", "frequency", ...}.
              --scenario FILE                     A scenario (JSON): portfolios, timings, limits, outcomes,
                                                  outcomeShares, faults; applied at start and on every reset.
                                                  The other options win over the file.
              --outcome PORTFOLIO=OUTCOME[:MESSAGE]
                                                  How that portfolio's runs end: completed, failed, cancelled,
                                                  stuck or awaiting_user (repeatable).
              --outcome-share SHARE=OUTCOME[:MESSAGE]
                                                  A share (0..1) of the other portfolios ends so (repeatable).
              --fault ROUTE=KIND[:VALUE][@PROBABILITY]
                                                  A fault rule (repeatable), e.g. GetOperation=status:503@0.1,
                                                  Rebalance=drop@0.05, *=delay:2000 (VALUE: the status, or the
                                                  delay in ms); or a fault rule as JSON.
              --rate-limit LIMIT/SECONDS          Global platform limit, every request counts (default 1000000/1).
              --rate-limit-tier NAME=ROUTE[,ROUTE...]:LIMIT/SECONDS
                                                  A tier: its routes share one window (repeat for more tiers).
                                                  Routes: ListPortfolios, GetPortfolio, Rebalance, GetOperation,
                                                  Stop, Start, WhoAmI, Scopes. Example:
                                                  --rate-limit-tier reads=ListPortfolios,GetPortfolio:600/60
              --rate-limit-bucketing per-key|per-ip
                                                  Whose requests share a window (default per-key; per-ip: all
                                                  clients, as everything comes from loopback).
              --rate-limit-headers all|tiered-only
                                                  Which answers carry X-RateLimit-* (default all; tiered-only:
                                                  routes in no tier send none).
              --exit-on-stdin-close               Stop when standard input closes.
              --module-path                       Print the path of the GliderPS.Emulator PowerShell module that
                                                  comes with this program (Import-Module it), and exit.
              --help                              This text.

            Prints GLIDER_EMULATOR_URL=http://127.0.0.1:PORT once listening. A bad argument exits with code 2.
            """;
    }
}
