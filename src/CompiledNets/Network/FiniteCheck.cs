using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using CompiledNets.Kernels;

namespace CompiledNets;

/// <summary>
/// Rejects NaN and infinity in the inputs of a network before they spread through every activation
/// and gradient. Generated networks call it on the inputs of each forward pass and on the output
/// gradient of each backward pass.
/// </summary>
public static class FiniteCheck
{
    /// <summary>
    /// Throws an <see cref="ArgumentException"/> naming <paramref name="parameterName"/>, the position
    /// (row and column of rows of <paramref name="rowLength"/> floats) and the value of the first
    /// non-finite float; returns at once when every value is finite.
    /// </summary>
    // The hot loop of every training step: fully optimized from its first call, not after tiering up.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void ThrowIfNotFinite(ReadOnlySpan<float> values, int rowLength, string parameterName)
    {
        if (rowLength < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(rowLength), rowLength, $"Expected a row length >= 1 but got {rowLength}.");
        }
        if (AllFinite(values))
        {
            return;
        }
        for (int j = 0; j < values.Length; j++)
        {
            if (!float.IsFinite(values[j]))
            {
                throw new ArgumentException(
                    $"Expected finite values, but {parameterName}[{j}] (row {j / rowLength}, column {j % rowLength}) is {values[j]}.", parameterName);
            }
        }
    }

    /// <summary>
    /// Whether every value is finite: x − x is +0 for every finite x and NaN for NaN and ±∞, so their sum is +0 or NaN.
    /// </summary>
    private static bool AllFinite(ReadOnlySpan<float> values)
    {
        ref float first = ref MemoryMarshal.GetReference(values);
        return SimdWidth.Widest switch
        {
            16 => SumOfDifferences<Simd512>(ref first, values.Length) == 0f,
            8 => SumOfDifferences<Simd256>(ref first, values.Length) == 0f,
            4 => SumOfDifferences<Simd128>(ref first, values.Length) == 0f,
            _ => SumOfDifferences<SimdScalar>(ref first, values.Length) == 0f,
        };
    }

    /// <summary>
    /// Σ (x − x) over <paramref name="count"/> floats: four sums side by side, so that each add waits only on its own sum's
    /// last add (one sum would wait three or four cycles on the add before).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static float SumOfDifferences<V>(ref float first, int count)
        where V : unmanaged, ISimd<V>
    {
        V sum0 = V.Zero, sum1 = V.Zero, sum2 = V.Zero, sum3 = V.Zero;
        int i = 0;
        for (; i <= count - 4 * V.Count; i += 4 * V.Count)
        {
            V x0 = V.Load(ref first, i), x1 = V.Load(ref first, i + V.Count);
            V x2 = V.Load(ref first, i + 2 * V.Count), x3 = V.Load(ref first, i + 3 * V.Count);
            sum0 += x0 - x0;
            sum1 += x1 - x1;
            sum2 += x2 - x2;
            sum3 += x3 - x3;
        }
        for (; i <= count - V.Count; i += V.Count)
        {
            V x = V.Load(ref first, i);
            sum0 += x - x;
        }
        float sum = V.Sum(sum0 + sum1 + (sum2 + sum3));
        for (; i < count; i++)
        {
            float x = Unsafe.Add(ref first, i);
            sum += x - x;
        }
        return sum;
    }
}
