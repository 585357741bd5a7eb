using System;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Time.Testing;

namespace Glider.Client.Tests.Support
{
    public static class FakeClock
    {
        private static readonly TimeSpan QuietFor = TimeSpan.FromMilliseconds(2);
        private const int MaxQuietChecks = 100;

        public static FakeTimeProvider Create() => new FakeTimeProvider(new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero));

        /// <summary>
        /// Advances fake time in small steps until the task finishes (bounded, so a hang fails the test). Each step waits
        /// first until the code under test has gone quiet (nothing queued on the thread pool, nothing finished there for a
        /// moment), i.e. until it waits for the clock: time moves when the loop sleeps, not while it is still working, so
        /// counts do not depend on how fast a loaded machine runs the pool.
        /// </summary>
        /// <param name="busy">Optional: true while the code under test is still working (e.g. a fake API call in flight).</param>
        public static async Task<T> RunAsync<T>(FakeTimeProvider clock, Task<T> task, TimeSpan step, int maxSteps = 10_000, Func<bool>? busy = null)
        {
            for (int i = 0; i < maxSteps && !task.IsCompleted; i++)
            {
                await Task.Yield();
                WaitUntilQuiet(task, busy);
                if (!task.IsCompleted)
                {
                    clock.Advance(step);
                }
            }
            if (!task.IsCompleted)
            {
                throw new TimeoutException("The task did not finish within the fake time allowed.");
            }

            return await task;
        }

        public static async Task RunAsync(FakeTimeProvider clock, Task task, TimeSpan step, int maxSteps = 10_000, Func<bool>? busy = null)
        {
            await RunAsync(clock, task.ContinueWith(t => { t.GetAwaiter().GetResult(); return true; }, TaskScheduler.Default), step, maxSteps, busy);
        }

        // Other tests share the pool, so "quiet" is bounded: after MaxQuietChecks the step is taken anyway.
        private static void WaitUntilQuiet(Task task, Func<bool>? busy)
        {
            for (int check = 0; check < MaxQuietChecks && !task.IsCompleted; check++)
            {
                if (busy?.Invoke() == true)
                {
                    Thread.Sleep(QuietFor);
                    continue;
                }

                if (PoolIsQuiet())
                {
                    return;
                }
            }
        }

        /// <summary>Nothing queued on the pool and nothing finished there for a moment (.NET only; elsewhere: a moment passed).</summary>
        private static bool PoolIsQuiet()
        {
#if NET
            long completed = ThreadPool.CompletedWorkItemCount;
            if (ThreadPool.PendingWorkItemCount != 0)
            {
                Thread.Sleep(QuietFor);
                return false;
            }

            Thread.Sleep(QuietFor);
            return ThreadPool.PendingWorkItemCount == 0 && ThreadPool.CompletedWorkItemCount == completed;
#else
            Thread.Sleep(QuietFor);
            return true;
#endif
        }
    }
}
