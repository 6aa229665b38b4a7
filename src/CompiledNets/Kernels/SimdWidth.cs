using System.Runtime.Intrinsics;

namespace CompiledNets.Kernels;

/// <summary>Which vector width the machine runs fastest: what a generated network picks its <see cref="ISimd{TSelf}"/> type by.</summary>
public static class SimdWidth
{
    /// <summary>
    /// Floats in the widest vector the hardware accelerates: 16 (AVX-512), 8 (AVX2), 4 (SSE or NEON), or 1 when SIMD is
    /// unavailable or turned off (<c>DOTNET_EnableHWIntrinsic=0</c>).
    /// </summary>
    public static int Widest =>
        Vector512.IsHardwareAccelerated ? 16 : Vector256.IsHardwareAccelerated ? 8 : Vector128.IsHardwareAccelerated ? 4 : 1;
}
