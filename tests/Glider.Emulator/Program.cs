using System;
using System.IO;
using System.Threading.Tasks;

namespace Glider.Emulator
{
    internal static class Program
    {
        public static async Task<int> Main(string[] args)
        {
            CommandLine commandLine;
            try
            {
                commandLine = CommandLine.Parse(args);
            }
            catch (ArgumentException bad)
            {
                await Console.Error.WriteLineAsync("Glider.Emulator: " + bad.Message + " (--help lists the options)");
                return 2;
            }

            if (commandLine.ShowHelp)
            {
                await Console.Out.WriteLineAsync(CommandLineHelp.Text);
                return 0;
            }

            if (commandLine.ShowModulePath)
            {
                await Console.Out.WriteLineAsync(CompanionModule.ManifestPath);
                return File.Exists(CompanionModule.ManifestPath) ? 0 : 1;
            }

            EmulatorHost host;
            try
            {
                host = await EmulatorHost.StartAsync(commandLine.Options);
            }
            catch (IOException cannotListen)
            {
                // Typically the port is taken; say so in one line instead of a stack trace.
                await Console.Error.WriteLineAsync("Glider.Emulator: cannot listen: " + cannotListen.Message);
                return 1;
            }

            await using var _ = host;
            if (commandLine.ExitOnStdinClose)
            {
                WatchStandardInput(host);
            }

            // Flushed at once because stdout is usually a pipe that a harness is waiting on.
            StartupBanner.Write(Console.Out, host.BaseUri);

            await host.WaitForShutdownAsync();
            return 0;
        }

        /// <summary>Stops when the parent closes our stdin, which also happens when the parent dies.</summary>
        private static void WatchStandardInput(EmulatorHost host)
        {
            var thread = new System.Threading.Thread(() =>
            {
                try
                {
                    using var stdin = Console.OpenStandardInput();
                    var buffer = new byte[256];
                    while (stdin.Read(buffer, 0, buffer.Length) > 0)
                    {
                    }
                }
                catch (IOException)
                {
                }
                host.RequestStop();
            })
            {
                IsBackground = true,
                Name = "stdin watcher",
            };
            thread.Start();
        }
    }
}
