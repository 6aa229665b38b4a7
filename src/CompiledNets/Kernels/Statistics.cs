using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace CompiledNets.Kernels;

/// <summary>
/// Sums of floats taken in double precision, for batch normalization's statistics: a generated layer calls these for each
/// sample's run of a channel's values, and adds the runs in sample order.
/// </summary>
/// <remarks>
/// Float sums of a few hundred thousand values drift measurably from PyTorch's answer, and batch normalization divides by
/// them and amplifies their rounding, so the statistics are summed in double. The values are widened a vector at a time
/// and summed in two vector accumulators (a scalar double sum is one long chain of dependent additions, about a hundred
/// times slower than the layer's other loops); the result depends only on the values and their count, never on the thread
/// that computes it.
/// </remarks>
public static class Statistics
{
    /// <summary>Σ values[t] for t &lt; <paramref name="count"/>, in double.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static double Sum(ref float values, int count)
    {
        int t = 0;
        double sum = 0;
        if (Vector.IsHardwareAccelerated)
        {
            Vector<double> even = Vector<double>.Zero, odd = Vector<double>.Zero;
            for (; t <= count - Vector<float>.Count; t += Vector<float>.Count)
            {
                Vector.Widen(Load(ref values, t), out Vector<double> low, out Vector<double> high);
                even += low;
                odd += high;
            }
            sum = Vector.Sum(even + odd);
        }
        for (; t < count; t++)
        {
            sum += Unsafe.Add(ref values, t);
        }
        return sum;
    }

    /// <summary>Σ (values[t] − <paramref name="mean"/>)² for t &lt; <paramref name="count"/>, in double.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static double SquaredDeviations(ref float values, int count, double mean)
    {
        int t = 0;
        double sum = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var center = new Vector<double>(mean);
            Vector<double> even = Vector<double>.Zero, odd = Vector<double>.Zero;
            for (; t <= count - Vector<float>.Count; t += Vector<float>.Count)
            {
                Vector.Widen(Load(ref values, t), out Vector<double> low, out Vector<double> high);
                low -= center;
                high -= center;
                even += low * low;
                odd += high * high;
            }
            sum = Vector.Sum(even + odd);
        }
        for (; t < count; t++)
        {
            double deviation = Unsafe.Add(ref values, t) - mean;
            sum += deviation * deviation;
        }
        return sum;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector<float> Load(ref float values, int t) =>
        Unsafe.ReadUnaligned<Vector<float>>(ref Unsafe.As<float, byte>(ref Unsafe.Add(ref values, t)));
}
