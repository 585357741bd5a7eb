using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Threading.Tasks;

namespace Glider.Emulator
{
    /// <summary>
    /// Stands in, under Mono, for the in-process emulator host of the net10 leg: the emulator is ASP.NET on .NET 10,
    /// so here it runs as its own <c>dotnet</c> process on 127.0.0.1 and a free port, and is stopped by closing its
    /// standard input (it exits on that) or, failing that, by its own process id.
    /// </summary>
    public sealed class EmulatorHost : IAsyncDisposable
    {
        private const string UrlLinePrefix = "GLIDER_EMULATOR_URL=";
        // Bounds the start-up wait so that a broken emulator fails the test instead of hanging the run.
        private static readonly TimeSpan StartupLimit = TimeSpan.FromSeconds(90);

        private readonly Process process;

        private EmulatorHost(Process process, Uri baseUri)
        {
            this.process = process;
            BaseUri = baseUri;
        }

        public Uri BaseUri { get; }

        public static async Task<EmulatorHost> StartAsync(EmulatorOptions options)
        {
            string arguments = string.Format(
                CultureInfo.InvariantCulture,
                "\"{0}\" --urls http://127.0.0.1:0 --exit-on-stdin-close --operation-ms {1} --cooldown-seconds {2} --portfolios {3}",
                LocateEmulator(), options.OperationMs, options.CooldownSeconds, options.PortfolioCount);
            var start = new ProcessStartInfo("dotnet", arguments)
            {
                UseShellExecute = false,
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = false,
                CreateNoWindow = true,
            };
            Process process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start.");
            try
            {
                Task<string?> urlLine = ReadUrlLineAsync(process.StandardOutput);
                if (await Task.WhenAny(urlLine, Task.Delay(StartupLimit)).ConfigureAwait(false) != urlLine)
                {
                    throw new TimeoutException($"The emulator printed no {UrlLinePrefix} line within {StartupLimit.TotalSeconds} s.");
                }
                string line = await urlLine.ConfigureAwait(false)
                    ?? throw new InvalidOperationException($"The emulator exited before printing its URL (exit code {(process.HasExited ? process.ExitCode : -1)}).");
                // Drains what else it prints so that a full pipe never blocks it.
                _ = process.StandardOutput.ReadToEndAsync();
                return new EmulatorHost(process, new Uri(line.Substring(UrlLinePrefix.Length).TrimEnd('/') + "/"));
            }
            catch
            {
                Stop(process);
                throw;
            }
        }

        public ValueTask DisposeAsync()
        {
            Stop(process);
            return default;
        }

        private static async Task<string?> ReadUrlLineAsync(StreamReader output)
        {
            while (true)
            {
                string? line = await output.ReadLineAsync().ConfigureAwait(false);
                if (line == null || line.StartsWith(UrlLinePrefix, StringComparison.Ordinal))
                {
                    return line;
                }
            }
        }

        private static void Stop(Process process)
        {
            using (process)
            {
                try
                {
                    process.StandardInput.Close();
                }
                catch (IOException)
                {
                }
                if (!process.WaitForExit(15_000))
                {
                    process.Kill();
                    process.WaitForExit(15_000);
                }
            }
        }

        private static string LocateEmulator()
        {
            string? configured = Environment.GetEnvironmentVariable("GLIDER_EMULATOR_DLL");
            if (!string.IsNullOrEmpty(configured) && File.Exists(configured))
            {
                return configured!;
            }

            for (DirectoryInfo? folder = new DirectoryInfo(AppDomain.CurrentDomain.BaseDirectory); folder != null; folder = folder.Parent)
            {
                if (!File.Exists(Path.Combine(folder.FullName, "GliderPS.psd1")))
                {
                    continue;
                }

                foreach (string configuration in new[] { "Release", "Debug" })
                {
                    string candidate = Path.Combine(folder.FullName, "tests", "Glider.Emulator", "bin", configuration, "net10.0", "Glider.Emulator.dll");
                    if (File.Exists(candidate))
                    {
                        return candidate;
                    }
                }
            }
            throw new FileNotFoundException("Glider.Emulator.dll not found: build the solution or set GLIDER_EMULATOR_DLL.");
        }
    }
}
