using System;
using CompiledNets;

namespace CompiledNets.Benchmarks;

/// <summary>
/// The single place where the benchmarks set how many threads a network may use.
/// </summary>
/// <remarks>
/// Every workload sets its network's thread count through here, including the one-thread rows:
/// a new network uses <see cref="Parallelism.DefaultThreadCount"/> (all logical processors), so a
/// row that does not ask for one thread would silently run on all of them.
/// </remarks>
public static class Threads
{
    /// <summary>Makes <paramref name="network"/> use <paramref name="count"/> threads for its large products.</summary>
    public static void Set(INetwork network, int count)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        network.ThreadCount = count;
    }
}
