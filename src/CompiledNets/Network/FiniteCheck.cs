using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Numerics;

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
        // x − x is +0 for every finite x and NaN for NaN and ±∞, so the bits of every x − x or-ed together tell whether to look
        // closer (an or waits a cycle on the one before, where a sum would wait three or four).
        ref float first = ref MemoryMarshal.GetReference(values);
        bool finite = true;
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var bits = Vector<int>.Zero;
            for (; i <= values.Length - Vector<float>.Count; i += Vector<float>.Count)
            {
                var v = Vector.LoadUnsafe(ref Unsafe.Add(ref first, i));
                bits |= Vector.AsVectorInt32(v - v);
            }
            finite = bits == Vector<int>.Zero;
        }
        float tail = 0f;
        for (; i < values.Length; i++)
        {
            float v = Unsafe.Add(ref first, i);
            tail += v - v;
        }
        if (finite && tail == 0f)
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
}
