using System;
using System.Threading.Tasks;
using Microsoft.Extensions.Time.Testing;

namespace Glider.Client.Tests.Support
{
    public static class FakeClock
    {
        public static FakeTimeProvider Create() => new FakeTimeProvider(new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero));

        /// <summary>Advances fake time in small steps until the task finishes (bounded, so a hang fails the test).</summary>
        public static async Task<T> RunAsync<T>(FakeTimeProvider clock, Task<T> task, TimeSpan step, int maxSteps = 10_000)
        {
            for (int i = 0; i < maxSteps && !task.IsCompleted; i++)
            {
                await Task.Delay(1);
                if (!task.IsCompleted) clock.Advance(step);
            }
            if (!task.IsCompleted) throw new TimeoutException("The task did not finish within the fake time allowed.");
            return await task;
        }

        public static async Task RunAsync(FakeTimeProvider clock, Task task, TimeSpan step, int maxSteps = 10_000)
        {
            await RunAsync(clock, task.ContinueWith(t => { t.GetAwaiter().GetResult(); return true; }, TaskScheduler.Default), step, maxSteps);
        }
    }
}
