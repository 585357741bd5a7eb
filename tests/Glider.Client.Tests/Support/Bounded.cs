using System;
using System.Threading.Tasks;

namespace Glider.Client.Tests.Support
{
    /// <summary>Awaits a task for at most a generous real time, so a hang fails the test instead of stalling the run.</summary>
    public static class Bounded
    {
        public static readonly TimeSpan Limit = TimeSpan.FromSeconds(30);

        public static async Task<T> Within<T>(Task<T> task)
        {
            if (await Task.WhenAny(task, Task.Delay(Limit)).ConfigureAwait(false) != task)
            {
                throw new TimeoutException($"The task did not finish within {Limit.TotalSeconds} s.");
            }

            return await task.ConfigureAwait(false);
        }

        public static async Task Within(Task task)
        {
            if (await Task.WhenAny(task, Task.Delay(Limit)).ConfigureAwait(false) != task)
            {
                throw new TimeoutException($"The task did not finish within {Limit.TotalSeconds} s.");
            }

            await task.ConfigureAwait(false);
        }
    }
}
