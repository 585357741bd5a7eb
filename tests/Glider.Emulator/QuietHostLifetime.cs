using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Hosting;

namespace Glider.Emulator
{
    /// <summary>A host lifetime that does not hook Ctrl+C/SIGTERM, for an emulator living inside another process.</summary>
    internal sealed class QuietHostLifetime : IHostLifetime
    {
        public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
