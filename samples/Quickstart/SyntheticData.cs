using System;
using CompiledNets;

namespace Quickstart;

/// <summary>
/// A two-class problem like the original example's: ten standard-normal features, and a label given by
/// a fixed nonlinear rule (a tilted plane bent by an interaction term) with 1 % of labels flipped, so a
/// small MLP can learn it well but not perfectly.
/// </summary>
internal static class SyntheticData
{
    public static (float[] TrainInputs, int[] TrainLabels, float[] TestInputs, int[] TestLabels) Create(int samples, int features, double trainFraction, int seed)
    {
        var rng = new Rng(seed);
        var inputs = new float[samples * features];
        var labels = new int[samples];
        for (int s = 0; s < samples; s++)
        {
            Span<float> x = inputs.AsSpan(s * features, features);
            for (int f = 0; f < features; f++)
            {
                x[f] = Normal(ref rng);
            }
            // Class 1 on one side of a tilted plane bent by an interaction term, class 0 on the other.
            float score = x[0] + 0.5f * x[1] - 0.8f * x[2] + 0.7f * x[3] * x[4];
            labels[s] = score > 0f ? 1 : 0;
            if (rng.NextSingle() < 0.01f)
            {
                labels[s] = 1 - labels[s];
            }
        }

        int train = (int)(samples * trainFraction);
        return (inputs[..(train * features)], labels[..train], inputs[(train * features)..], labels[train..]);
    }

    // Box–Muller: two uniforms to one standard normal.
    private static float Normal(ref Rng rng)
    {
        float u1 = 1f - rng.NextSingle();
        float u2 = rng.NextSingle();
        return MathF.Sqrt(-2f * MathF.Log(u1)) * MathF.Cos(2f * MathF.PI * u2);
    }
}
