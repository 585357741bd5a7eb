using System;
using System.Security.Cryptography.X509Certificates;
using System.Linq;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using Glider.Emulator.Http;
using Glider.Emulator.State;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Glider.Emulator
{
    /// <summary>
    /// A running emulator on 127.0.0.1. Used by the stand-alone program and by in-process tests alike:
    /// <c>await using var emu = await EmulatorHost.StartAsync(new EmulatorOptions()); emu.BaseUri ...</c>
    /// </summary>
    public sealed class EmulatorHost : IAsyncDisposable
    {
        private readonly WebApplication _app;
        private int _disposed;

        private EmulatorHost(WebApplication app, Uri baseUri)
        {
            _app = app;
            BaseUri = baseUri;
        }

        /// <summary>http://127.0.0.1:PORT/ (with the trailing slash, without /v2).</summary>
        public Uri BaseUri { get; }

        public int Port => BaseUri.Port;

        /// <summary>Completes when the emulator has stopped (shutdown route, stdin closed, signal, or dispose).</summary>
        public Task WaitForShutdownAsync(CancellationToken cancellationToken = default) => _app.WaitForShutdownAsync(cancellationToken);

        public static async Task<EmulatorHost> StartAsync(EmulatorOptions? options = null, CancellationToken cancellationToken = default)
        {
            options = (options ?? new EmulatorOptions()).Validated();
            var state = new EmulatorState(options);

            // The empty builder reads no appsettings, environment or command line (nothing outside EmulatorOptions
            // can move the address off loopback) and sets up no file watchers, which matters when a test suite
            // starts hundreds of in-process instances. It also has no logging providers: per-request console
            // logging would cost more than the emulator's own work.
            var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions
            {
                Args = Array.Empty<string>(),
                ApplicationName = typeof(EmulatorHost).Assembly.GetName().Name,
                ContentRootPath = AppContext.BaseDirectory,
            });
            builder.WebHost.UseKestrelCore();
            if (options.HandleConsoleSignals)
            {
                builder.Services.Configure<ConsoleLifetimeOptions>(o => o.SuppressStatusMessages = true);
            }
            else
            {
                builder.Services.AddSingleton<IHostLifetime, QuietHostLifetime>();
            }
            builder.WebHost.ConfigureKestrel(kestrel =>
            {
                kestrel.AddServerHeader = false;
                // IPAddress.Loopback, never "localhost": that may also bind ::1.
                kestrel.Listen(IPAddress.Loopback, options.Port, listen =>
                {
                    listen.Protocols = HttpProtocols.Http1;
                    if (options.TlsCertificatePath != null)
                    {
                        listen.UseHttps(X509CertificateLoader.LoadPkcs12FromFile(options.TlsCertificatePath, password: null));
                    }
                    listen.Use(next => async connection =>
                    {
                        state.Stats.ConnectionOpened();
                        await next(connection);
                    });
                });
            });

            var app = builder.Build();
            var handler = new EmulatorRequestHandler(new V2Dispatcher(state), new ControlApi(state, app.Lifetime.StopApplication));
            app.Run(handler.HandleAsync);

            try
            {
                await app.StartAsync(cancellationToken);
            }
            catch
            {
                await app.DisposeAsync();
                throw;
            }
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault()
                ?? throw new InvalidOperationException("Kestrel reported no listening address.");
            var port = new Uri(address).Port;
            var scheme = options.TlsCertificatePath != null ? "https" : "http";
            return new EmulatorHost(app, new Uri($"{scheme}://127.0.0.1:{port}/"));
        }

        /// <summary>Asks the emulator to stop; <see cref="WaitForShutdownAsync"/> completes once it has.</summary>
        public void RequestStop() => _app.Lifetime.StopApplication();

        public async ValueTask DisposeAsync()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 1)
            {
                return;
            }

            try
            {
                // Tests may leave slow (delayed) requests behind; do not wait for them forever.
                using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                await _app.StopAsync(grace.Token);
            }
            finally
            {
                await _app.DisposeAsync();
            }
        }
    }
}
