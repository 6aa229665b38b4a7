using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using CompiledNets.Kernels;

namespace CompiledNets;

/// <summary>
/// Elementwise math of the runtime's hot loops, written here rather than taken from TensorPrimitives: its generic
/// code starts unoptimized under the tiered JIT (it is not precompiled for float), which made a short training
/// run several times slower than a long one; these methods are fully optimized from their first call, at the
/// widest vector width the machine accelerates.
/// </summary>
internal static class VectorMath
{
    /// <summary><c>values[i] = e^values[i]</c>, in place.</summary>
    public static void Exp(Span<float> values)
    {
        switch (SimdWidth.Widest)
        {
            case 16: Apply<Simd512, ExpOperation>(values); break;
            case 8: Apply<Simd256, ExpOperation>(values); break;
            case 4: Apply<Simd128, ExpOperation>(values); break;
            default: Apply<SimdScalar, ExpOperation>(values); break;
        }
    }

    /// <summary><c>values[i] = ln values[i]</c>, in place.</summary>
    public static void Log(Span<float> values)
    {
        switch (SimdWidth.Widest)
        {
            case 16: Apply<Simd512, LogOperation>(values); break;
            case 8: Apply<Simd256, LogOperation>(values); break;
            case 4: Apply<Simd128, LogOperation>(values); break;
            default: Apply<SimdScalar, LogOperation>(values); break;
        }
    }

    private interface IOperation
    {
        static abstract TVector Apply<TVector>(TVector value)
            where TVector : unmanaged, ISimd<TVector>;
    }

    private readonly struct ExpOperation : IOperation
    {
        public static TVector Apply<TVector>(TVector value)
            where TVector : unmanaged, ISimd<TVector> => TVector.Exp(value);
    }

    private readonly struct LogOperation : IOperation
    {
        public static TVector Apply<TVector>(TVector value)
            where TVector : unmanaged, ISimd<TVector> => TVector.Log(value);
    }

    /// <summary>Whole vectors, then the last floats one at a time (the same operation on one lane).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Apply<TVector, TOperation>(Span<float> values)
        where TVector : unmanaged, ISimd<TVector>
        where TOperation : IOperation
    {
        ref float first = ref MemoryMarshal.GetReference(values);
        int i = 0;
        for (; i <= values.Length - TVector.Count; i += TVector.Count)
        {
            TVector.Store(TOperation.Apply(TVector.Load(ref first, i)), ref first, i);
        }
        for (; i < values.Length; i++)
        {
            SimdScalar.Store(TOperation.Apply(SimdScalar.Load(ref first, i)), ref first, i);
        }
    }
}
