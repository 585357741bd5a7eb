using System;
using System.Collections.Generic;
using System.Globalization;

namespace Glider.Emulator
{
    /// <summary>
    /// The command line's spelling of rate limits: a window is LIMIT/SECONDS (600/60: 600 requests per 60 s), a tier
    /// is NAME=ROUTE[,ROUTE...]:LIMIT/SECONDS. Throws <see cref="ArgumentException"/> with a message for the user.
    /// </summary>
    internal static class RateLimitSyntax
    {
        public static (int Limit, double WindowSeconds) ParseWindow(string option, string text)
        {
            var slash = text.IndexOf('/');
            if (slash <= 0
                || !int.TryParse(text.AsSpan(0, slash), NumberStyles.None, CultureInfo.InvariantCulture, out var limit) || limit < 1
                || !double.TryParse(text.AsSpan(slash + 1), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var seconds)
                || !(seconds > 0) || seconds > State.RateLimitPolicy.MaxWindowSeconds)
            {
                throw new ArgumentException($"{option} needs LIMIT/SECONDS (e.g. 600/60: a whole number of requests from 1, per a window of more than 0 s), not '{text}'.");
            }
            return (limit, seconds);
        }

        public static RateLimitTier ParseTier(string option, string text)
        {
            var equals = text.IndexOf('=');
            var colon = text.LastIndexOf(':');
            if (equals <= 0 || colon < equals)
            {
                throw new ArgumentException($"{option} needs NAME=ROUTE[,ROUTE...]:LIMIT/SECONDS (e.g. reads=ListPortfolios,GetPortfolio:600/60), not '{text}'.");
            }

            var (limit, seconds) = ParseWindow(option, text.Substring(colon + 1));
            var routes = new List<string>();
            foreach (var route in text.Substring(equals + 1, colon - equals - 1).Split(','))
            {
                routes.Add(route.Trim());
            }
            return new RateLimitTier { Name = text.Substring(0, equals).Trim(), Routes = routes, Limit = limit, WindowSeconds = seconds };
        }
    }
}
