using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using CompiledNets.Kernels;

namespace CompiledNets;

/// <summary>
/// SGD's update over flat buffers (<see cref="Sgd"/> has the formula), in the widest hardware vectors.
/// </summary>
/// <remarks>
/// <para>Which terms the update has (weight decay, momentum, its first step, Nesterov) is fixed for a whole step, so each
/// combination is a loop of its own: the flags are type arguments, and the JIT drops the branches of the others. A loop
/// that tested them in every iteration ran twice as many instructions as it moved floats.</para>
/// <para>Every lane does the scalar tail's operations in the same order, without fused multiply-adds, so the result does
/// not depend on the vector width.</para>
/// </remarks>
internal static class SgdKernel
{
    private interface IFlag
    {
        static abstract bool On { get; }
    }

    private struct Yes : IFlag
    {
        public static bool On => true;
    }

    private struct No : IFlag
    {
        public static bool On => false;
    }

    /// <summary>
    /// <c>p −= lr · g</c> with <c>g = grad + weightDecay · p</c>, through the momentum buffer when <paramref name="momentum"/> is
    /// not 0 (<paramref name="first"/>: the buffer starts as g), <paramref name="keep"/> = 1 − dampening. The spans are
    /// the same length; <paramref name="buffer"/> is empty without momentum.
    /// </summary>
    public static void Update(Span<float> parameters, ReadOnlySpan<float> gradients, Span<float> buffer,
        float lr, float weightDecay, float momentum, float keep, bool first, bool nesterov)
    {
        var step = new Step(lr, weightDecay, momentum, keep);
        int n = parameters.Length;
        ref float p = ref MemoryMarshal.GetReference(parameters);
        ref float g = ref MemoryMarshal.GetReference(gradients);
        ref float b = ref MemoryMarshal.GetReference(buffer);
        switch (SimdWidth.Widest)
        {
            case 16:
                WithDecay<Simd512>(ref p, ref g, ref b, n, step, first, nesterov);
                break;
            case 8:
                WithDecay<Simd256>(ref p, ref g, ref b, n, step, first, nesterov);
                break;
            case 4:
                WithDecay<Simd128>(ref p, ref g, ref b, n, step, first, nesterov);
                break;
            default:
                WithDecay<SimdScalar>(ref p, ref g, ref b, n, step, first, nesterov);
                break;
        }
    }

    /// <summary>The step's coefficients.</summary>
    private readonly record struct Step(float Lr, float WeightDecay, float Momentum, float Keep);

    private static void WithDecay<V>(ref float p, ref float g, ref float b, int n, Step step, bool first, bool nesterov)
        where V : unmanaged, ISimd<V>
    {
        // A weight decay of 0 adds nothing, not 0 · p (which is NaN for an infinite p).
        if (step.WeightDecay != 0f) WithMomentum<V, Yes>(ref p, ref g, ref b, n, step, first, nesterov);
        else WithMomentum<V, No>(ref p, ref g, ref b, n, step, first, nesterov);
    }

    private static void WithMomentum<V, TDecay>(ref float p, ref float g, ref float b, int n, Step step, bool first, bool nesterov)
        where V : unmanaged, ISimd<V>
        where TDecay : struct, IFlag
    {
        if (step.Momentum == 0f) Loop<V, TDecay, No, No, No>(ref p, ref g, ref b, n, step);
        else if (first && nesterov) Loop<V, TDecay, Yes, Yes, Yes>(ref p, ref g, ref b, n, step);
        else if (first) Loop<V, TDecay, Yes, Yes, No>(ref p, ref g, ref b, n, step);
        else if (nesterov) Loop<V, TDecay, Yes, No, Yes>(ref p, ref g, ref b, n, step);
        else Loop<V, TDecay, Yes, No, No>(ref p, ref g, ref b, n, step);
    }

    // The hot loop of every training step: fully optimized from its first call, not after tiering up.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Loop<V, TDecay, TMomentum, TFirst, TNesterov>(ref float p, ref float g, ref float b, int n, Step step)
        where V : unmanaged, ISimd<V>
        where TDecay : struct, IFlag
        where TMomentum : struct, IFlag
        where TFirst : struct, IFlag
        where TNesterov : struct, IFlag
    {
        V lr = V.Create(step.Lr), weightDecay = V.Create(step.WeightDecay), momentum = V.Create(step.Momentum), keep = V.Create(step.Keep);
        int i = 0;
        for (; i <= n - V.Count; i += V.Count)
        {
            V gi = V.Load(ref g, i);
            V pi = V.Load(ref p, i);
            if (TDecay.On) gi += weightDecay * pi;
            if (TMomentum.On)
            {
                V bi = TFirst.On ? gi : momentum * V.Load(ref b, i) + keep * gi;
                V.Store(bi, ref b, i);
                gi = TNesterov.On ? gi + momentum * bi : bi;
            }
            V.Store(pi - lr * gi, ref p, i);
        }
        for (; i < n; i++)
        {
            float gi = Unsafe.Add(ref g, i);
            ref float pi = ref Unsafe.Add(ref p, i);
            if (TDecay.On) gi += step.WeightDecay * pi;
            if (TMomentum.On)
            {
                ref float bi = ref Unsafe.Add(ref b, i);
                bi = TFirst.On ? gi : step.Momentum * bi + step.Keep * gi;
                gi = TNesterov.On ? gi + step.Momentum * bi : bi;
            }
            pi -= step.Lr * gi;
        }
    }
}
