using System;

namespace CompiledNets.Tests;

/// <summary>How a test asserts that code allocates nothing, or the same bytes whatever its input's size.</summary>
internal static class Allocations
{
    /// <summary>
    /// The bytes the quietest of three runs of <paramref name="run"/> allocated, on this thread and, when
    /// <paramref name="workers"/>, on the pool's workers. The runtime itself allocates now and then (a method re-jitted at a
    /// higher tier: an optimized build's methods tier up while a test runs); code that allocates on every call allocates in
    /// every run. Stops at the first run that allocates nothing.
    /// </summary>
    public static long Fewest(Action run, bool workers = false)
    {
        long fewest = long.MaxValue;
        for (int window = 0; window < 3 && fewest > 0; window++)
        {
            long before = Allocated(workers);
            run();
            fewest = Math.Min(fewest, Allocated(workers) - before);
        }
        return fewest;
    }

    private static long Allocated(bool workers) =>
        GC.GetAllocatedBytesForCurrentThread() + (workers ? Parallelism.WorkerAllocatedBytes : 0);
}
