using System;

namespace CompiledNets.Tests;

/// <summary>Seeded random inputs and labels for tests.</summary>
internal static class TestData
{
    public static float[] Normal(int count, int seed, float scale = 1f)
    {
        var rng = new Rng(seed);
        var values = new float[count];
        for (int i = 0; i < count; i++)
        {
            float u1 = 1f - rng.NextSingle(), u2 = rng.NextSingle();
            values[i] = scale * MathF.Sqrt(-2f * MathF.Log(u1)) * MathF.Cos(2f * MathF.PI * u2);
        }
        return values;
    }

    public static int[] Labels(int count, int classes, int seed)
    {
        var rng = new Rng(seed);
        var labels = new int[count];
        for (int i = 0; i < count; i++) labels[i] = rng.NextInt32(classes);
        return labels;
    }

    public static double[] ToDouble(ReadOnlySpan<float> values)
    {
        var result = new double[values.Length];
        for (int i = 0; i < values.Length; i++) result[i] = values[i];
        return result;
    }
}
