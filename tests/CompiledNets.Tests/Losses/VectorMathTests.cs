using System;
using Xunit;

namespace CompiledNets.Tests.Losses;

/// <summary>
/// The cross-entropy loss's own exp and ln (Cephes' single-precision polynomials in hardware vectors): within 2 ulp of the
/// exact value over their whole range, and MathF's answers at the special values.
/// </summary>
public sealed class VectorMathTests
{
    /// <summary>Units in the last place between a float result and the exact (double) value, at the float's scale.</summary>
    private static double Ulps(float actual, double exact)
    {
        float nearest = (float)exact;
        double ulp = Math.Max(MathF.BitIncrement(MathF.Abs(nearest)) - MathF.Abs(nearest), float.Epsilon);
        return Math.Abs(actual - exact) / ulp;
    }

    private static float[] Sweep(double from, double to, int count)
    {
        var values = new float[count];
        for (int i = 0; i < count; i++) values[i] = (float)(from + (to - from) * i / (count - 1));
        return values;
    }

    [Fact]
    public void Exp_is_within_2_ulp_from_underflow_to_overflow()
    {
        // Down to −87 the results are normal floats; below, subnormals keep an absolute error of an ulp of the smallest.
        float[] values = Sweep(-87, 88.5, 100_003);
        float[] results = (float[])values.Clone();
        VectorMath.Exp(results);
        double worst = 0;
        for (int i = 0; i < values.Length; i++) worst = Math.Max(worst, Ulps(results[i], Math.Exp(values[i])));
        Assert.True(worst <= 2, $"worst error {worst:F2} ulp");
    }

    [Fact]
    public void Exp_underflows_through_the_subnormals_and_overflows_to_infinity()
    {
        float[] values = [-88f, -100f, -103.9f, -104f, -1000f, 88.8f, 89f, 1000f, float.NegativeInfinity, float.PositiveInfinity, float.NaN, 0f, -0f, 1f, 2f, -1f];
        float[] results = (float[])values.Clone();
        VectorMath.Exp(results);
        for (int i = 0; i < values.Length; i++)
        {
            double exact = Math.Exp(values[i]);
            if (double.IsNaN(exact) || double.IsInfinity((float)exact) || (float)exact == 0f)
            {
                Assert.Equal((float)exact, results[i]);
            }
            else
            {
                // Subnormal results: within an ulp of the smallest subnormal or two of the result.
                Assert.True(Math.Abs(results[i] - exact) <= Math.Max(2 * float.Epsilon, 2.5e-7 * exact), $"exp({values[i]}) = {results[i]}, exact {exact}");
            }
        }
    }

    [Fact]
    public void Log_is_within_2_ulp_for_every_positive_float_scale()
    {
        // Mantissas across [1, 2) at exponents from the subnormals to the largest floats, and the sums of exp a loss takes.
        float[] values = new float[60_000];
        var random = new Random(5);
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = i < 20_000 ? 1f + 999f * (float)random.NextDouble() : MathF.ScaleB(1f + (float)random.NextDouble(), random.Next(-148, 128));
        }
        float[] results = (float[])values.Clone();
        VectorMath.Log(results);
        double worst = 0;
        for (int i = 0; i < values.Length; i++) worst = Math.Max(worst, Ulps(results[i], Math.Log(values[i])));
        Assert.True(worst <= 2, $"worst error {worst:F2} ulp");
    }

    [Fact]
    public void Log_gives_MathF_answers_at_the_special_values()
    {
        float[] values = [0f, -0f, -1f, float.NegativeInfinity, float.PositiveInfinity, float.NaN, 1f, float.Epsilon, float.MaxValue];
        for (int length = 1; length <= values.Length; length++)
        {
            // Each value at every position, so it goes through a whole vector or the floats after one at some length.
            for (int start = 0; start + length <= values.Length; start++)
            {
                float[] results = values.AsSpan(start, length).ToArray();
                VectorMath.Log(results);
                for (int i = 0; i < length; i++)
                {
                    float expected = MathF.Log(values[start + i]);
                    if (float.IsNaN(expected) || float.IsInfinity(expected) || expected == 0f)
                    {
                        Assert.Equal(expected, results[i]);
                    }
                    else
                    {
                        Assert.True(Ulps(results[i], Math.Log(values[start + i])) <= 2, $"log({values[start + i]}) = {results[i]}");
                    }
                }
            }
        }
    }
}
