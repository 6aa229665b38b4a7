using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;

namespace CompiledNets.Kernels;

/// <summary>
/// Sums of vectors across their lanes, several vectors at once: what <see cref="ISimd{TSelf}.StoreSums"/> is made of.
/// </summary>
/// <remarks>
/// Every sum folds its vector in halves: lane l plus lane l + n/2 (n the lanes left), then the same on the half, down to
/// one lane. For four lanes that is <c>(v0 + v2) + (v1 + v3)</c>. The order is the same whichever vectors are summed
/// together and whatever instructions do it, so a dot product's output has the same bits in every group it is summed in.
/// </remarks>
internal static class LaneSums
{
    /// <summary>Lane k of the result is the sum of the lanes of the k-th argument (the halving order above).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Each(Vector128<float> a, Vector128<float> b, Vector128<float> c, Vector128<float> d) =>
        Neighbours(Halves(a, b), Halves(c, d));

    /// <summary>Lane k of the result is the sum of the lanes of the k-th argument (the halving order above).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Each(
        Vector256<float> a0, Vector256<float> a1, Vector256<float> a2, Vector256<float> a3,
        Vector256<float> a4, Vector256<float> a5, Vector256<float> a6, Vector256<float> a7)
    {
        if (Avx2.IsSupported)
        {
            // Halves first: [a.low + a.high | b.low + b.high] for each pair, then the 128-bit steps in both halves at once.
            Vector256<float> b01 = Avx.Permute2x128(a0, a1, 0x20) + Avx.Permute2x128(a0, a1, 0x31);
            Vector256<float> b23 = Avx.Permute2x128(a2, a3, 0x20) + Avx.Permute2x128(a2, a3, 0x31);
            Vector256<float> b45 = Avx.Permute2x128(a4, a5, 0x20) + Avx.Permute2x128(a4, a5, 0x31);
            Vector256<float> b67 = Avx.Permute2x128(a6, a7, 0x20) + Avx.Permute2x128(a6, a7, 0x31);
            // [a0 a0 a2 a2 | a1 a1 a3 a3] (two lanes each), then [a0 a2 a4 a6 | a1 a3 a5 a7], then in order.
            Vector256<float> c0 = Avx.Shuffle(b01, b23, 0x44) + Avx.Shuffle(b01, b23, 0xEE);
            Vector256<float> c1 = Avx.Shuffle(b45, b67, 0x44) + Avx.Shuffle(b45, b67, 0xEE);
            Vector256<float> d = Avx.Shuffle(c0, c1, 0x88) + Avx.Shuffle(c0, c1, 0xDD);
            return Avx2.PermuteVar8x32(d, Vector256.Create(0, 4, 1, 5, 2, 6, 3, 7));
        }
        return Vector256.Create(
            Each(Fold(a0), Fold(a1), Fold(a2), Fold(a3)),
            Each(Fold(a4), Fold(a5), Fold(a6), Fold(a7)));
    }

    /// <summary>Lane k (of the first eight) is the sum of the lanes of the k-th argument (the halving order above).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Each(
        Vector512<float> a0, Vector512<float> a1, Vector512<float> a2, Vector512<float> a3,
        Vector512<float> a4, Vector512<float> a5, Vector512<float> a6, Vector512<float> a7)
    {
        if (!Avx512F.IsSupported)
        {
            return Each(Fold(a0), Fold(a1), Fold(a2), Fold(a3), Fold(a4), Fold(a5), Fold(a6), Fold(a7));
        }
        // Halves of 256 bits: [a0 folded | a1 folded], in quarters of 128 bits.
        Vector512<float> b01 = Avx512F.Shuffle4x128(a0, a1, 0x44) + Avx512F.Shuffle4x128(a0, a1, 0xEE);
        Vector512<float> b23 = Avx512F.Shuffle4x128(a2, a3, 0x44) + Avx512F.Shuffle4x128(a2, a3, 0xEE);
        Vector512<float> b45 = Avx512F.Shuffle4x128(a4, a5, 0x44) + Avx512F.Shuffle4x128(a4, a5, 0xEE);
        Vector512<float> b67 = Avx512F.Shuffle4x128(a6, a7, 0x44) + Avx512F.Shuffle4x128(a6, a7, 0xEE);
        // Halves of 128 bits: [a0 | a1 | a2 | a3] and [a4 | a5 | a6 | a7], four lanes each.
        Vector512<float> c0 = Avx512F.Shuffle4x128(b01, b23, 0x88) + Avx512F.Shuffle4x128(b01, b23, 0xDD);
        Vector512<float> c1 = Avx512F.Shuffle4x128(b45, b67, 0x88) + Avx512F.Shuffle4x128(b45, b67, 0xDD);
        // Then within each quarter: [a0 a0 a4 a4 | a1 a1 a5 a5 | ...] (two lanes each), then [a0 a4 a0 a4 | a1 a5 a1 a5 | ...].
        Vector512<float> d = Avx512F.Shuffle(c0, c1, 0x44) + Avx512F.Shuffle(c0, c1, 0xEE);
        Vector512<float> e = Avx512F.Shuffle(d, d, 0x88) + Avx512F.Shuffle(d, d, 0xDD);
        return Avx512F.PermuteVar16x32(e, Vector512.Create(0, 4, 8, 12, 1, 5, 9, 13, 0, 0, 0, 0, 0, 0, 0, 0)).GetLower();
    }

    /// <summary>The first halving step of a 256-bit vector: its low half plus its high half.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Fold(Vector256<float> value) => value.GetLower() + value.GetUpper();

    /// <summary>The first halving step of a 512-bit vector: its low half plus its high half.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Fold(Vector512<float> value) => value.GetLower() + value.GetUpper();

    /// <summary><c>[x0 + x2, x1 + x3, y0 + y2, y1 + y3]</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<float> Halves(Vector128<float> x, Vector128<float> y)
    {
        if (Sse.IsSupported)
        {
            return Sse.Shuffle(x, y, 0x44) + Sse.Shuffle(x, y, 0xEE);
        }
        if (AdvSimd.Arm64.IsSupported)
        {
            Vector128<ulong> x64 = x.AsUInt64(), y64 = y.AsUInt64();
            return AdvSimd.Arm64.UnzipEven(x64, y64).AsSingle() + AdvSimd.Arm64.UnzipOdd(x64, y64).AsSingle();
        }
        return Vector128.Create(x.GetElement(0), x.GetElement(1), y.GetElement(0), y.GetElement(1))
            + Vector128.Create(x.GetElement(2), x.GetElement(3), y.GetElement(2), y.GetElement(3));
    }

    /// <summary><c>[x0 + x1, x2 + x3, y0 + y1, y2 + y3]</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<float> Neighbours(Vector128<float> x, Vector128<float> y)
    {
        if (Sse.IsSupported)
        {
            return Sse.Shuffle(x, y, 0x88) + Sse.Shuffle(x, y, 0xDD);
        }
        if (AdvSimd.Arm64.IsSupported)
        {
            return AdvSimd.Arm64.UnzipEven(x, y) + AdvSimd.Arm64.UnzipOdd(x, y);
        }
        return Vector128.Create(x.GetElement(0), x.GetElement(2), y.GetElement(0), y.GetElement(2))
            + Vector128.Create(x.GetElement(1), x.GetElement(3), y.GetElement(1), y.GetElement(3));
    }
}
