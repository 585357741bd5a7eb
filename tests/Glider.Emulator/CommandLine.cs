using System;
using System.Globalization;

namespace Glider.Emulator
{
    /// <summary>The stand-alone program's arguments.</summary>
    internal sealed class CommandLine
    {
        public EmulatorOptions Options { get; } = new() { HandleConsoleSignals = true };
        public bool ExitOnStdinClose { get; private set; }
        private bool https;

        /// <summary>Parses the arguments; throws <see cref="ArgumentException"/> with a message for the user.</summary>
        public static CommandLine Parse(string[] args)
        {
            var parsed = new CommandLine();
            for (var i = 0; i < args.Length; i++)
            {
                var arg = args[i];
                string? inlineValue = null;
                var equals = arg.IndexOf('=');
                if (arg.StartsWith("--", StringComparison.Ordinal) && equals > 0)
                {
                    inlineValue = arg.Substring(equals + 1);
                    arg = arg.Substring(0, equals);
                }
                string Value() => inlineValue ?? (i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{arg} needs a value."));

                switch (arg)
                {
                    case "--urls":
                        (parsed.Options.Port, parsed.https) = LoopbackPort(Value());
                        break;
                    case "--tls-certificate":
                        parsed.Options.TlsCertificatePath = Value();
                        break;
                    case "--operation-ms":
                        parsed.Options.OperationMs = Integer(arg, Value());
                        break;
                    case "--cooldown-seconds":
                        parsed.Options.CooldownSeconds = Number(arg, Value());
                        break;
                    case "--portfolios":
                        parsed.Options.PortfolioCount = Integer(arg, Value());
                        break;
                    case "--exit-on-stdin-close":
                        parsed.ExitOnStdinClose = true;
                        break;
                    default:
                        throw new ArgumentException($"Unknown argument '{args[i]}'.");
                }
            }
            if (parsed.https != (parsed.Options.TlsCertificatePath != null))
            {
                throw new ArgumentException("An https:// --urls needs --tls-certificate <file.pfx>, and --tls-certificate needs an https:// --urls.");
            }
            return parsed;
        }

        /// <summary>The port of a loopback http(s) URL, and whether it is https; anything that could listen beyond this machine is refused.</summary>
        private static (int Port, bool Https) LoopbackPort(string urls)
        {
            if (urls.Contains(';', StringComparison.Ordinal))
            {
                throw new ArgumentException("--urls takes a single address.");
            }

            if (!Uri.TryCreate(urls.Trim(), UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
            {
                throw new ArgumentException($"--urls '{urls}' is not an http or https URL.");
            }
            if (uri.Host != "127.0.0.1" && !string.Equals(uri.Host, "localhost", StringComparison.OrdinalIgnoreCase))
            {
                throw new ArgumentException($"--urls '{urls}' is not 127.0.0.1: the emulator only listens on loopback.");
            }
            return (uri.Port, uri.Scheme == Uri.UriSchemeHttps);
        }

        private static int Integer(string name, string value) =>
            int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n >= 0
                ? n
                : throw new ArgumentException($"{name} needs a non-negative integer, not '{value}'.");

        private static double Number(string name, string value) =>
            double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var n) && n >= 0
                ? n
                : throw new ArgumentException($"{name} needs a non-negative number, not '{value}'.");
    }
}
