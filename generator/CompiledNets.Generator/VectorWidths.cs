namespace CompiledNets.Generator;

/// <summary>
/// The vector types a kernel runs with, widest first (AVX-512, AVX2, SSE or NEON, no SIMD), and their floats per
/// vector: the Parser plans loops for every one of these widths, the Emitter picks the type at run time from them.
/// </summary>
internal static class VectorWidths
{
    public static readonly (string Type, int Lanes)[] All =
    {
        ("Simd512", 16),
        ("Simd256", 8),
        ("Simd128", 4),
        ("SimdScalar", 1),
    };

    /// <summary>Floats in the widest vector.</summary>
    public static int Widest => All[0].Lanes;
}
