using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace CompiledNets;

/// <summary>
/// Elementwise math of the runtime's hot loops, written here rather than taken from TensorPrimitives: its generic
/// code starts unoptimized under the tiered JIT (it is not precompiled for float), which made a short training
/// run several times slower than a long one; these methods are fully optimized from their first call.
/// </summary>
internal static class VectorMath
{
    /// <summary><c>values[i] = e^values[i]</c>, in place.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Exp(Span<float> values)
    {
        ref float first = ref MemoryMarshal.GetReference(values);
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            for (; i <= values.Length - Vector<float>.Count; i += Vector<float>.Count)
            {
                ref float at = ref Unsafe.Add(ref first, i);
                Vector.Exp(Vector.LoadUnsafe(ref at)).StoreUnsafe(ref at);
            }
        }
        for (; i < values.Length; i++)
        {
            ref float at = ref Unsafe.Add(ref first, i);
            at = MathF.Exp(at);
        }
    }
}
