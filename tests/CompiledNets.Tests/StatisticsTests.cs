using System;
using CompiledNets.Kernels;
using Xunit;

namespace CompiledNets.Tests;

/// <summary>Batch normalization's sums in double: equal to a plain double loop up to double rounding, at every length.</summary>
public sealed class StatisticsTests
{
    [Fact]
    public void Sums_and_squared_deviations_match_a_double_loop_at_every_length()
    {
        var random = new Random(3);
        float[] values = new float[1000 + 16];
        for (int i = 0; i < values.Length; i++) values[i] = (float)(random.NextDouble() * 200 - 100);
        double worst = 0;
        foreach (int count in new[] { 1, 2, 7, 8, 15, 16, 17, 31, 100, 784, 1000 })
        {
            double sum = 0;
            for (int t = 0; t < count; t++) sum += values[t];
            double mean = sum / count, squares = 0;
            for (int t = 0; t < count; t++) squares += (values[t] - mean) * (values[t] - mean);

            double gotSum = Statistics.Sum(ref values[0], count);
            double gotSquares = Statistics.SquaredDeviations(ref values[0], count, mean);
            worst = Math.Max(worst, Math.Abs(gotSum - sum) / Math.Max(1, Math.Abs(sum)));
            worst = Math.Max(worst, Math.Abs(gotSquares - squares) / Math.Max(1, squares));
        }
        // Double sums of at most 1,000 floats in another order: far below float precision (1e-7).
        Assert.True(worst < 1e-12, $"largest relative difference {worst:E2}");
    }
}
