using System;
using System.Diagnostics;
using System.IO;
using System.Net.Http;
using System.Threading.Tasks;
using Xunit;

namespace Glider.Emulator.Tests
{
    /// <summary>The stand-alone program, as the Pester tests and the demo start it.</summary>
    public sealed class ProcessTests
    {
        private static Process StartEmulator(params string[] args)
        {
            var dll = Path.Combine(AppContext.BaseDirectory, "Glider.Emulator.dll");
            var info = new ProcessStartInfo(DotnetHost())
            {
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            info.ArgumentList.Add(dll);
            foreach (var arg in args)
            {
                info.ArgumentList.Add(arg);
            }

            return Process.Start(info) ?? throw new InvalidOperationException("could not start the emulator");
        }

        private static string DotnetHost()
        {
            var fromTestHost = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
            return !string.IsNullOrEmpty(fromTestHost) && File.Exists(fromTestHost) ? fromTestHost : "dotnet";
        }

        [Fact]
        public async Task It_prints_its_url_serves_and_exits_when_stdin_closes()
        {
            using var process = StartEmulator("--urls", "http://127.0.0.1:0", "--exit-on-stdin-close", "--operation-ms", "100");
            try
            {
                var line = await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30));
                Assert.NotNull(line);
                Assert.Matches("^GLIDER_EMULATOR_URL=http://127\\.0\\.0\\.1:[1-9][0-9]*$", line);
                var url = line!.Substring("GLIDER_EMULATOR_URL=".Length);

                using var client = new HttpClient();
                using var response = await client.GetAsync(url + "/v2/scopes");
                Assert.Equal(200, (int)response.StatusCode);
                var timings = await client.GetStringAsync(url + "/_emulator/timings");
                Assert.Contains("\"operationMs\":100", timings);

                process.StandardInput.Close();
                using var exited = new System.Threading.CancellationTokenSource(TimeSpan.FromSeconds(20));
                await process.WaitForExitAsync(exited.Token);
                Assert.Equal(0, process.ExitCode);
                Assert.Equal(string.Empty, (await process.StandardOutput.ReadToEndAsync()).Trim());
            }
            finally
            {
                if (!process.HasExited)
                {
                    process.Kill();
                }
            }
        }

        [Fact]
        public async Task It_refuses_a_non_loopback_address()
        {
            using var process = StartEmulator("--urls", "http://0.0.0.0:0");
            try
            {
                using var exited = new System.Threading.CancellationTokenSource(TimeSpan.FromSeconds(20));
                await process.WaitForExitAsync(exited.Token);
                Assert.Equal(2, process.ExitCode);
                Assert.Contains("loopback", await process.StandardError.ReadToEndAsync());
                Assert.Equal(string.Empty, await process.StandardOutput.ReadToEndAsync());
            }
            finally
            {
                if (!process.HasExited)
                {
                    process.Kill();
                }
            }
        }

        [Fact]
        public async Task The_shutdown_route_ends_the_process()
        {
            using var process = StartEmulator("--urls", "http://127.0.0.1:0");
            try
            {
                var line = await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30));
                var url = line!.Substring("GLIDER_EMULATOR_URL=".Length);
                using var client = new HttpClient();
                using var response = await client.PostAsync(url + "/_emulator/shutdown", null);
                Assert.Equal(200, (int)response.StatusCode);
                using var exited = new System.Threading.CancellationTokenSource(TimeSpan.FromSeconds(20));
                await process.WaitForExitAsync(exited.Token);
                Assert.Equal(0, process.ExitCode);
            }
            finally
            {
                if (!process.HasExited)
                {
                    process.Kill();
                }
            }
        }
    }
}
