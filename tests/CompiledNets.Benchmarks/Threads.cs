using System;
using System.Runtime.CompilerServices;
using CompiledNets;

namespace CompiledNets.Benchmarks;

/// <summary>
/// The single place where the benchmarks set how many threads a network may use.
/// </summary>
/// <remarks>
/// Issue 4 adds a thread-count setting to the runtime; it does not exist yet. Until it does,
/// <see cref="Set"/> only records the request, every workload runs on one thread, and
/// <see cref="IsWired"/> is <see langword="false"/> so reports can say so. When the setting lands,
/// wire it in the marked line below and flip <see cref="IsWired"/>; no benchmark changes.
/// </remarks>
public static class Threads
{
    /// <summary>Whether <see cref="Set"/> reaches the runtime (false: requests are only recorded).</summary>
    public const bool IsWired = false;

    private static readonly ConditionalWeakTable<INetwork, StrongBox<int>> Requested = new();

    /// <summary>Asks <paramref name="network"/> to use <paramref name="count"/> threads.</summary>
    public static void Set(INetwork network, int count)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        Requested.AddOrUpdate(network, new StrongBox<int>(count));

        // >>> Wire the runtime's thread-count setting here, e.g. `network.Threads = count;` <<<
    }

    /// <summary>The thread count last requested for <paramref name="network"/> (1 if none was).</summary>
    public static int RequestedFor(INetwork network) =>
        Requested.TryGetValue(network, out StrongBox<int>? box) ? box.Value : 1;
}
