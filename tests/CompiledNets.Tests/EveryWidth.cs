using CompiledNets.Kernels;

namespace CompiledNets.Tests;

/// <summary>A check of the vector primitives, run once for each vector type.</summary>
internal interface IWidthCheck
{
    void Run<V>() where V : unmanaged, ISimd<V>;
}

internal static class EveryWidth
{
    /// <summary>Runs <paramref name="check"/> at 16, 8, 4 and 1 lanes: the widths run in software where the machine does not accelerate them, with the same lanes either way.</summary>
    public static void Run(IWidthCheck check)
    {
        check.Run<Simd512>();
        check.Run<Simd256>();
        check.Run<Simd128>();
        check.Run<SimdScalar>();
    }

    /// <summary>The lanes of <paramref name="value"/>, in order.</summary>
    public static float[] Lanes<V>(V value) where V : unmanaged, ISimd<V>
    {
        float[] lanes = new float[V.Count];
        V.Store(value, ref lanes[0], 0);
        return lanes;
    }
}
