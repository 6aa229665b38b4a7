using System;
using CompiledNets;

namespace Playground;

/// <summary>
/// The data of each task, split and prepared the same way on every machine: only integer arithmetic, float additions and
/// multiplications, and square roots (no exp, log or cos, whose last bits differ between a browser's math library and
/// Linux's), so the browser and the console train on the very same numbers.
/// </summary>
public static class PlaygroundData
{
    /// <summary>Samples of the synthetic task, of which 80 % train.</summary>
    public const int SyntheticSamples = 2000;

    /// <summary>
    /// The seed net's task, like the Quickstart's: ten roughly standard-normal features (the sum of twelve uniforms minus 6),
    /// class 1 on one side of a tilted plane bent by an interaction term, 1 % of labels flipped.
    /// </summary>
    public static (Dataset Train, Dataset Test) Synthetic()
    {
        const int features = 10;
        var rng = new Rng(7);
        var inputs = new float[SyntheticSamples * features];
        var labels = new int[SyntheticSamples];
        for (int s = 0; s < SyntheticSamples; s++)
        {
            Span<float> x = inputs.AsSpan(s * features, features);
            for (int f = 0; f < features; f++)
            {
                float sum = 0f;
                for (int u = 0; u < 12; u++) sum += rng.NextSingle();
                x[f] = sum - 6f;
            }
            float score = x[0] + 0.5f * x[1] - 0.8f * x[2] + 0.7f * x[3] * x[4];
            labels[s] = score > 0f ? 1 : 0;
            if (rng.NextSingle() < 0.01f) labels[s] = 1 - labels[s];
        }
        var all = new Dataset(inputs, labels, features, 2, ["0", "1"]);
        DatasetSplit split = all.Split(0.8, 0.0, seed: 42, stratify: true);
        return (split.Train, split.Test);
    }

    /// <summary>
    /// The embedded 8 × 8 digits (pixels 0 to 16), 80 % train, stratified: for the MLP standardized with the training part's
    /// statistics, for the CNN scaled to [0, 1]. Also the test part as drawn (<c>RawTest</c>), and <c>Prepare</c>, which does the
    /// same to one image drawn on the page.
    /// </summary>
    public static (Dataset Train, Dataset Test, Dataset RawTest, Func<float[], float[]> Prepare) Digits(bool standardize)
    {
        Dataset digits = Datasets.LoadDigits();
        DatasetSplit split = digits.Split(0.8, 0.0, seed: 42, stratify: true);
        if (standardize)
        {
            Standardizer standardizer = Standardizer.Fit(split.Train);
            return (standardizer.Transform(split.Train), standardizer.Transform(split.Test), split.Test, pixels =>
            {
                float[] row = (float[])pixels.Clone();
                standardizer.Transform(row);
                return row;
            });
        }
        return (split.Train.Scale(1 / 16f), split.Test.Scale(1 / 16f), split.Test, pixels =>
        {
            float[] row = new float[pixels.Length];
            for (int i = 0; i < row.Length; i++) row[i] = pixels[i] * (1 / 16f);
            return row;
        });
    }
}
