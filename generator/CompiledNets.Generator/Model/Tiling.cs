namespace CompiledNets.Generator.Model;

/// <summary>
/// One SIMD width the generated kernels are written for, and the register tiles chosen for it.
/// Every kernel is emitted once per width; at run time the JIT sees <c>IsHardwareAccelerated</c>
/// as a constant and keeps only the widest branch the machine runs.
/// </summary>
/// <param name="Suffix">Method-name suffix, e.g. <c>V512</c>.</param>
/// <param name="VectorType">The static vector class (<c>global::...Vector512</c>), or null for scalar code.</param>
/// <param name="Lanes">Floats per vector (1 for scalar).</param>
/// <param name="DotRows">Forward tile: batch rows per tile.</param>
/// <param name="DotOutputs">Forward tile: outputs per tile; rows × outputs accumulators reduce along the inputs.</param>
/// <param name="BroadcastRows">Gradient tiles: rows per tile.</param>
/// <param name="BroadcastVectors">Gradient tiles: vectors of columns per row; rows × vectors accumulators.</param>
internal sealed record Tiling(string Suffix, string? VectorType, int Lanes, int DotRows, int DotOutputs, int BroadcastRows, int BroadcastVectors)
{
    /// <summary>
    /// AVX-512 has 32 registers: 4 × 4 accumulators plus 8 operands fit. AVX2, SSE and NEON code gets
    /// tiles that fit in 16 registers. Scalar code (no SIMD) uses the same loop structure with floats.
    /// </summary>
    public static readonly Tiling[] All =
    {
        new("V512", "global::System.Runtime.Intrinsics.Vector512", 16, 4, 4, 4, 4),
        new("V256", "global::System.Runtime.Intrinsics.Vector256", 8, 2, 4, 4, 2),
        new("V128", "global::System.Runtime.Intrinsics.Vector128", 4, 2, 4, 4, 2),
        new("Scalar", null, 1, 2, 4, 4, 4),
    };

    public bool IsScalar => VectorType is null;

    /// <summary>
    /// A product is split over one more thread per this many multiply-adds: below it, waking a
    /// thread costs more than it saves (a few microseconds against ~10 µs of work).
    /// </summary>
    public const long MinimumWorkPerThread = 1L << 18;
}
