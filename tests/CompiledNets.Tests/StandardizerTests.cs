using System;
using System.Linq;
using Xunit;

namespace CompiledNets.Tests;

/// <summary>Standardizer: StandardScaler's statistics, taken from the training split only.</summary>
public sealed class StandardizerTests
{
    [Fact]
    public void Matches_StandardScaler_with_population_std_and_scale_one_for_constant_features()
    {
        // Columns: 1, 2, 3, 4 (mean 2.5, population std √1.25) and a constant 0.1.
        var train = new Dataset([1, 0.1f, 2, 0.1f, 3, 0.1f, 4, 0.1f], [0, 1, 0, 1], featureCount: 2, classCount: 2);
        var scaler = Standardizer.Fit(train);
        Assert.Equal([2.5f, 0.1f], scaler.Mean.ToArray());
        Assert.Equal([MathF.Sqrt(1.25f), 1f], scaler.Std.ToArray());
        Dataset z = scaler.Transform(train);
        // sklearn: StandardScaler().fit_transform([[1], [2], [3], [4]]) = ±1.3416408, ±0.4472136.
        float[] expected = [-1.3416408f, 0, -0.4472136f, 0, 0.4472136f, 0, 1.3416408f, 0];
        float[] actual = z.Features.ToArray();
        double largest = expected.Zip(actual, (e, a) => Math.Abs(e - a)).Max();
        Assert.True(largest < 1e-6, $"largest difference from scikit-learn: {largest}");
        Assert.Equal(train.Labels.ToArray(), z.Labels.ToArray());
    }

    [Fact]
    public void Uses_training_statistics_only()
    {
        const int features = 3;
        // Train ~ N(0, 1); test ~ N(5, 2²): a shifted distribution.
        var train = new Dataset(TestData.Normal(400 * features, seed: 1), new int[400], features, 2);
        var test = new Dataset(TestData.Normal(300 * features, seed: 2, scale: 2f).Select(x => x + 5f).ToArray(), new int[300], features, 2);
        var scaler = Standardizer.Fit(train);

        var (trainMean, trainStd) = Moments(scaler.Transform(train));
        var (testMean, testStd) = Moments(scaler.Transform(test));
        for (int j = 0; j < features; j++)
        {
            Assert.True(Math.Abs(trainMean[j]) < 1e-5, $"train mean {trainMean[j]}");
            Assert.True(Math.Abs(trainStd[j] - 1) < 1e-5, $"train std {trainStd[j]}");
            // Test data keeps its shift, measured in training units: (5 − ~0) / ~1 ≈ 5, and std ≈ 2.
            Assert.InRange(testMean[j], 4.0, 6.0);
            Assert.InRange(testStd[j], 1.6, 2.4);
        }
        // Fitting on the test part would have centred it instead.
        var (leaked, _) = Moments(Standardizer.Fit(test).Transform(test));
        Assert.All(leaked, m => Assert.True(Math.Abs(m) < 1e-5));
    }

    private static (double[] Mean, double[] Std) Moments(Dataset data)
    {
        var mean = new double[data.FeatureCount];
        var std = new double[data.FeatureCount];
        for (int j = 0; j < data.FeatureCount; j++)
        {
            double[] column = Enumerable.Range(0, data.Count).Select(i => (double)data.Row(i)[j]).ToArray();
            mean[j] = column.Average();
            std[j] = Math.Sqrt(column.Select(x => (x - mean[j]) * (x - mean[j])).Average());
        }
        return (mean, std);
    }

    [Fact]
    public void Transforming_one_row_matches_transforming_the_dataset_and_leaves_the_input()
    {
        var data = new Dataset(TestData.Normal(20 * 4, seed: 3, scale: 3f), new int[20], 4, 1);
        float[] before = data.Features.ToArray();
        var scaler = Standardizer.Fit(data);
        Dataset z = scaler.Transform(data);
        Assert.Equal(before, data.Features.ToArray());
        float[] row = data.Row(7).ToArray();
        scaler.Transform(row);
        Assert.Equal(z.Row(7).ToArray(), row);
    }

    [Fact]
    public void Bad_input_names_the_argument_and_the_sizes()
    {
        var scaler = Standardizer.Fit(new Dataset([1, 2, 3, 4], [0, 0], 2, 1));
        var dataset = Assert.Throws<ArgumentException>(() => scaler.Transform(new Dataset([1, 2, 3], [0], 3, 1)));
        Assert.Equal("dataset", dataset.ParamName);
        Assert.Contains("Expected a dataset with 2 features (as fitted) but got 3.", dataset.Message);
        float[] row = [1, 2, 3];
        var span = Assert.Throws<ArgumentException>(() => scaler.Transform(row.AsSpan()));
        Assert.Equal("row", span.ParamName);
        Assert.Contains("Expected a row of 2 features (as fitted) but got 3.", span.Message);
        Assert.Equal([1f, 2f, 3f], row);
        Assert.Equal("train", Assert.Throws<ArgumentException>(() => Standardizer.Fit(new Dataset([], [], 2, 1))).ParamName);
    }

    [Fact]
    public void Statistics_saved_and_restored_give_the_same_transform()
    {
        var data = new Dataset(TestData.Normal(30 * 5, seed: 4, scale: 2f), new int[30], 5, 1);
        var fitted = Standardizer.Fit(data);
        var restored = Standardizer.FromStatistics(fitted.Mean.ToArray(), fitted.Std.ToArray());
        Assert.Equal(fitted.Transform(data).Features.ToArray(), restored.Transform(data).Features.ToArray());

        Assert.Equal("mean", Assert.Throws<ArgumentException>(() => Standardizer.FromStatistics([], [])).ParamName);
        var lengths = Assert.Throws<ArgumentException>(() => Standardizer.FromStatistics([1, 2], [1]));
        Assert.Equal("std", lengths.ParamName);
        Assert.Contains("Expected 2 standard deviations (one per mean) but got 1.", lengths.Message);
        Assert.Contains("std[1] is 0", Assert.Throws<ArgumentException>(() => Standardizer.FromStatistics([1, 2], [1, 0])).Message);
        Assert.Contains("mean[0] is NaN", Assert.Throws<ArgumentException>(() => Standardizer.FromStatistics([float.NaN], [1])).Message);
    }
}
