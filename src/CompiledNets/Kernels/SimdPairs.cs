using System.Runtime.CompilerServices;

namespace CompiledNets.Kernels;

/// <summary>The stores of <see cref="ISimd{TSelf}.StorePairs"/> once its lanes are interleaved, the same at every width.</summary>
internal static class SimdPairs
{
    /// <summary>
    /// Writes the first 2 · <paramref name="count"/> floats of <paramref name="low"/> then <paramref name="high"/> (the
    /// interleaved pairs) from <paramref name="offset"/>: whole vectors while they fit, then one partial one.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store<V>(V low, V high, ref float destination, int offset, int count)
        where V : unmanaged, ISimd<V>
    {
        if (2 * count < V.Count)
        {
            V.StorePartial(low, ref destination, offset, 2 * count);
            return;
        }
        V.Store(low, ref destination, offset);
        if (2 * count == V.Count)
        {
            return;
        }
        if (count < V.Count)
        {
            V.StorePartial(high, ref destination, offset + V.Count, 2 * count - V.Count);
            return;
        }
        V.Store(high, ref destination, offset + V.Count);
    }
}
