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
                // After the URL line only comment lines: the demo keys a user needs, nothing a harness would mistake for data.
                var rest = (await process.StandardOutput.ReadToEndAsync()).Trim();
                Assert.All(rest.Split('\n'), l => Assert.StartsWith("# ", l));
                Assert.Contains(EmulatorDemoKeys.ReadWrite, rest);
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

        [Theory]
        [InlineData("--rate-limit-tier", "reads=Portfolios:600/60", "Portfolios")]
        [InlineData("--rate-limit", "100", "LIMIT/SECONDS")]
        [InlineData("--rate-limit-bucketing", "per-tenant", "per-ip")]
        [InlineData("--rate-limit-headers", "some", "tiered-only")]
        public async Task It_exits_with_code_2_on_a_bad_rate_limit_option(string option, string value, string explained)
        {
            using var process = StartEmulator("--urls", "http://127.0.0.1:0", option, value);
            try
            {
                using var exited = new System.Threading.CancellationTokenSource(TimeSpan.FromSeconds(20));
                await process.WaitForExitAsync(exited.Token);
                Assert.Equal(2, process.ExitCode);
                var error = await process.StandardError.ReadToEndAsync();
                Assert.Contains(option, error);
                Assert.Contains(explained, error);
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
        public async Task It_serves_the_tiers_given_on_the_command_line()
        {
            using var process = StartEmulator("--urls", "http://127.0.0.1:0", "--exit-on-stdin-close",
                "--rate-limit", "50/30", "--rate-limit-tier", "reads=ListPortfolios:2/60", "--rate-limit-headers", "tiered-only");
            try
            {
                var line = await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30));
                var url = line!.Substring("GLIDER_EMULATOR_URL=".Length);
                using var client = new HttpClient();
                client.DefaultRequestHeaders.Add("x-api-key", EmulatorDemoKeys.ReadWrite);
                using var listed = await client.GetAsync(url + "/v2/portfolios?limit=1");
                Assert.Equal("2", string.Join(",", listed.Headers.GetValues("X-RateLimit-Limit")));
                Assert.Equal("1", string.Join(",", listed.Headers.GetValues("X-RateLimit-Remaining")));
                using var whoami = await client.GetAsync(url + "/v2/whoami");
                Assert.Equal(200, (int)whoami.StatusCode);
                Assert.False(whoami.Headers.Contains("X-RateLimit-Limit"));
                var limits = await client.GetStringAsync(url + "/_emulator/limits");
                Assert.Contains("\"global\":{\"limit\":50,\"windowSeconds\":30}", limits);
                Assert.Contains("\"headers\":\"tiered-only\"", limits);

                process.StandardInput.Close();
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

        [Fact]
        public async Task Help_lists_the_options_and_exits_0()
        {
            using var process = StartEmulator("--help");
            try
            {
                var output = await process.StandardOutput.ReadToEndAsync().WaitAsync(TimeSpan.FromSeconds(30));
                using var exited = new System.Threading.CancellationTokenSource(TimeSpan.FromSeconds(20));
                await process.WaitForExitAsync(exited.Token);
                Assert.Equal(0, process.ExitCode);
                Assert.Contains("--rate-limit-tier NAME=ROUTE[,ROUTE...]:LIMIT/SECONDS", output);
                Assert.DoesNotMatch("(?m)^GLIDER_EMULATOR_URL=", output);
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
