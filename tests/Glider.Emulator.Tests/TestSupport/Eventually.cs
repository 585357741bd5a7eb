using System;
using System.Threading.Tasks;

namespace Glider.Emulator.Tests.TestSupport
{
    /// <summary>Polls until a condition holds or a generous deadline passes: no tight timing on a loaded machine.</summary>
    public static class Eventually
    {
        public static async Task<T> PollAsync<T>(Func<Task<T>> probe, Func<T, bool> done, TimeSpan? deadline = null, int intervalMs = 25)
        {
            var until = DateTime.UtcNow + (deadline ?? TimeSpan.FromSeconds(20));
            while (true)
            {
                var value = await probe();
                if (done(value))
                {
                    return value;
                }

                if (DateTime.UtcNow > until)
                {
                    throw new TimeoutException("Condition not met before the deadline; last value: " + value);
                }

                await Task.Delay(intervalMs);
            }
        }
    }
}
