using System;
using System.Collections.Generic;
using System.Linq;
using Xunit;

namespace CompiledNets.Tests;

/// <summary>Datasets and loaders of float targets (regression, binary), beside class labels.</summary>
public sealed class FloatTargetTests
{
    // Row i: features (i, -i, 10 + i), targets (2i, 3i): every target says which row it belongs to.
    private static Dataset Rows(int count, int targetCount = 2)
    {
        var features = new float[count * 3];
        var targets = new float[count * targetCount];
        for (int i = 0; i < count; i++)
        {
            features[3 * i] = i;
            features[3 * i + 1] = -i;
            features[3 * i + 2] = 10 + i;
            for (int t = 0; t < targetCount; t++) targets[targetCount * i + t] = (t + 2) * i;
        }
        return new Dataset(features, targets, featureCount: 3, targetCount);
    }

    private static void AssertAligned(ReadOnlySpan<float> inputs, ReadOnlySpan<float> targets, int targetCount)
    {
        int rows = inputs.Length / 3;
        Assert.Equal(rows * targetCount, targets.Length);
        for (int r = 0; r < rows; r++)
        {
            float i = inputs[3 * r];
            Assert.Equal(-i, inputs[3 * r + 1]);
            for (int t = 0; t < targetCount; t++) Assert.Equal((t + 2) * i, targets[targetCount * r + t]);
        }
    }

    [Fact]
    public void A_dataset_of_float_targets_holds_rows_of_targets()
    {
        Dataset data = Rows(5);
        Assert.False(data.HasLabels);
        Assert.Equal(5, data.Count);
        Assert.Equal(2, data.TargetCount);
        Assert.Equal(0, data.ClassCount);
        Assert.Empty(data.ClassNames);
        Assert.Equal(["0", "1"], data.TargetNames);
        Assert.Equal(new float[] { 8, 12 }, data.Targets.Slice(8, 2).ToArray());
        Assert.Contains("read Targets", Assert.Throws<InvalidOperationException>(() => data.Labels.Length).Message);

        Dataset one = new(new float[] { 1, 2 }, new float[] { 0.5f }, featureCount: 2);
        Assert.Equal(["target"], one.TargetNames);
        Dataset named = new(new float[] { 1, 2 }, new float[] { 0.5f }, featureCount: 2, targetNames: ["price"]);
        Assert.Equal(["price"], named.TargetNames);
        Dataset labels = new(new float[] { 1, 2 }, [1], featureCount: 2, classCount: 2);
        Assert.True(labels.HasLabels);
        Assert.Contains("read Labels", Assert.Throws<InvalidOperationException>(() => labels.Targets.Length).Message);
    }

    [Fact]
    public void Bad_float_targets_name_the_argument_and_the_values()
    {
        var targetsWrong = Assert.Throws<ArgumentException>(() => new Dataset(new float[6], new float[5], featureCount: 3, targetCount: 2));
        Assert.Equal("targets", targetsWrong.ParamName);
        Assert.Contains("targetCount 2", targetsWrong.Message);
        Assert.Contains("5", targetsWrong.Message);
        var featuresWrong = Assert.Throws<ArgumentException>(() => new Dataset(new float[7], new float[2], featureCount: 3));
        Assert.Equal("features", featuresWrong.ParamName);
        Assert.Contains("Expected 6 features", featuresWrong.Message);
        var nan = Assert.Throws<ArgumentException>(() => new Dataset(new float[6], new[] { 1f, float.NaN }, featureCount: 3));
        Assert.Equal("targets", nan.ParamName);
        Assert.Contains("NaN", nan.Message);
        Assert.Equal("targetCount", Assert.Throws<ArgumentOutOfRangeException>(() => new Dataset(new float[3], new float[1], 3, targetCount: 0)).ParamName);
        Assert.Equal("targetNames", Assert.Throws<ArgumentException>(() => new Dataset(new float[3], new float[2], 3, 2, ["a"])).ParamName);
    }

    [Fact]
    public void Subset_split_scale_and_standardize_keep_every_row_with_its_targets()
    {
        Dataset data = Rows(40);
        Dataset subset = data.Subset([7, 3, 3, 39]);
        Assert.Equal(new float[] { 14, 21, 6, 9, 6, 9, 78, 117 }, subset.Targets.ToArray());
        AssertAligned(subset.Features, subset.Targets, 2);

        DatasetSplit split = data.Split(0.5, 0.25, seed: 3);
        Assert.Equal(new[] { 20, 10, 10 }, new[] { split.Train.Count, split.Validation.Count, split.Test.Count });
        foreach (Dataset part in new[] { split.Train, split.Validation, split.Test })
        {
            AssertAligned(part.Features, part.Targets, 2);
            Assert.Equal(data.TargetNames, part.TargetNames);
        }
        var all = split.Train.Features.ToArray().Concat(split.Validation.Features.ToArray()).Concat(split.Test.Features.ToArray())
            .Where((_, k) => k % 3 == 0).OrderBy(x => x);
        Assert.Equal(Enumerable.Range(0, 40).Select(i => (float)i), all);

        Assert.Equal(data.Targets.ToArray(), data.Scale(2f).Targets.ToArray());
        Dataset standardized = Standardizer.Fit(split.Train).Transform(split.Train);
        Assert.Equal(split.Train.Targets.ToArray(), standardized.Targets.ToArray());

        var stratified = Assert.Throws<ArgumentException>(() => data.Split(0.5, 0.25, seed: 3, stratify: true));
        Assert.Equal("stratify", stratified.ParamName);
    }

    [Fact]
    public void Targets_standardize_with_training_statistics_and_predictions_map_back()
    {
        Dataset train = Rows(10), other = Rows(4);
        Standardizer scaler = Standardizer.FitTargets(train);
        // Targets (2i, 3i) for i = 0..9: means 9 and 13.5, population deviations 2·√8.25 and 3·√8.25.
        Assert.Equal([9f, 13.5f], scaler.Mean.ToArray());
        Assert.Equal(2 * MathF.Sqrt(8.25f), scaler.Std[0], 1e-5f);
        Dataset scaled = scaler.TransformTargets(other);
        Assert.Equal(other.Features.ToArray(), scaled.Features.ToArray());
        float[] back = scaled.Targets.ToArray();
        Assert.Equal(-9f / scaler.Std[0], back[0], 1e-6f);
        scaler.InverseTransform(back);
        Assert.Equal(other.Targets.ToArray(), back.Select(v => MathF.Round(v, 4)).ToArray());
        Assert.Equal("dataset", Assert.Throws<ArgumentException>(() => scaler.TransformTargets(Rows(3, targetCount: 1))).ParamName);
        Assert.Equal("values", Assert.Throws<ArgumentException>(() => scaler.InverseTransform(new float[3])).ParamName);
        Assert.Equal("train", Assert.Throws<ArgumentException>(() => Standardizer.FitTargets(new Dataset(new float[3], [0], 3, 1))).ParamName);
    }

    [Fact]
    public void A_shuffled_loader_keeps_rows_with_their_targets_and_visits_each_once()
    {
        Dataset data = Rows(37, targetCount: 2);
        var loader = new DataLoader(data, batchSize: 8, shuffle: true, seed: 5);
        Assert.False(loader.HasLabels);
        Assert.Equal(2, loader.TargetCount);
        for (int epoch = 0; epoch < 2; epoch++)
        {
            var seen = new List<int>();
            var sizes = new List<int>();
            foreach (var (inputs, targets) in loader)
            {
                Assert.False(targets.AreLabels);
                Assert.Equal(2, targets.PerSample);
                AssertAligned(inputs, targets.Values, 2);
                sizes.Add(targets.Count);
                for (int r = 0; r < targets.Count; r++) seen.Add((int)inputs[3 * r]);
            }
            Assert.Equal([8, 8, 8, 8, 5], sizes);
            Assert.Equal(Enumerable.Range(0, 37), seen.Order());
            Assert.NotEqual(Enumerable.Range(0, 37), seen);
        }

        // Arrays directly, without shuffling: the batches are the rows in order.
        var plain = new DataLoader(data.Features.ToArray(), data.Targets.ToArray(), batchSize: 10, targetCount: 2);
        int start = 0;
        foreach (var batch in plain)
        {
            AssertAligned(batch.Inputs, batch.Targets, 2);
            Assert.Equal(start, (int)batch.Inputs[0]);
            start += batch.Size;
        }
        Assert.Equal(37, start);
    }

    [Fact]
    public void Bad_loader_arguments_name_the_argument()
    {
        Assert.Equal("targets", Assert.Throws<ArgumentException>(() => new DataLoader(new float[6], new float[3], 2, targetCount: 2)).ParamName);
        Assert.Equal("inputs", Assert.Throws<ArgumentException>(() => new DataLoader(new float[7], new float[2], 2)).ParamName);
        Assert.Equal("targets", Assert.Throws<ArgumentException>(() => new DataLoader(new float[6], new[] { 1f, float.PositiveInfinity }, 2)).ParamName);
        Assert.Equal("targetCount", Assert.Throws<ArgumentOutOfRangeException>(() => new DataLoader(new float[6], new float[2], 2, targetCount: 0)).ParamName);
        Assert.Equal("targets", Assert.Throws<ArgumentException>(() => new DataLoader(new float[6], Array.Empty<float>(), 2)).ParamName);
    }

    [Fact]
    public void The_PyTorch_loop_reads_the_same_for_labels_and_float_targets()
    {
        // Regression: MSELoss takes the loader's targets as they come.
        var net = new SeedNet(seed: 1);
        float[] inputs = TestData.Normal(24 * SeedNet.InputSize, seed: 2);
        float[] targets = TestData.Normal(24 * SeedNet.OutputSize, seed: 3);
        var loader = new DataLoader(inputs, targets, batchSize: 8, shuffle: true, seed: 4, targetCount: 2);
        var mse = new MSELoss();
        var optimizer = new Adam(net, lr: 0.01f);
        var reference = new SeedNet(seed: 1);
        var referenceOptimizer = new Adam(reference, lr: 0.01f);
        var referenceLoader = new DataLoader(inputs, targets, batchSize: 8, shuffle: true, seed: 4, targetCount: 2);
        for (int epoch = 0; epoch < 3; epoch++)
        {
            foreach (var (x, y) in loader)
            {
                optimizer.ZeroGrad();
                var loss = mse.Forward(net.Forward(x), y);
                loss.Backward();
                optimizer.Step();
            }
            // The same loop over spans: the Targets overload is only a conversion.
            foreach (var batch in referenceLoader)
            {
                referenceOptimizer.ZeroGrad();
                var loss = mse.Forward(reference.Forward(batch.Inputs), batch.Targets.Values);
                loss.Backward();
                referenceOptimizer.Step();
            }
        }
        Assert.Equal(reference.Parameters.ToArray(), net.Parameters.ToArray());

        // Classification, written the same way.
        var labelsLoader = new DataLoader(inputs, TestData.Labels(24, 2, seed: 5), batchSize: 8);
        var crossEntropy = new CrossEntropyLoss();
        foreach (var (x, y) in labelsLoader)
        {
            Assert.True(float.IsFinite(crossEntropy.Forward(net.Forward(x), y).Item()));
        }

        // A criterion given the other kind of targets says so.
        foreach (var (x, y) in labelsLoader)
        {
            var outputs = net.Forward(x);
            string? message = null;
            try { mse.Forward(outputs, y); } catch (InvalidOperationException e) { message = e.Message; }
            Assert.Contains("class labels, not floats", message);
            break;
        }
        foreach (var (x, y) in loader)
        {
            var outputs = net.Forward(x);
            string? message = null;
            try { crossEntropy.Forward(outputs, y); } catch (InvalidOperationException e) { message = e.Message; }
            Assert.Contains("not class labels", message);
            break;
        }
    }

    [Fact]
    public void A_shuffled_epoch_of_float_targets_allocates_nothing()
    {
        var loader = new DataLoader(Rows(100, targetCount: 3), batchSize: 16, shuffle: true, seed: 1);
        float sum = 0;
        foreach (var (_, targets) in loader) sum += targets.Values[0];
        Assert.Equal(0, Allocations.Fewest(() =>
        {
            for (int epoch = 0; epoch < 5; epoch++)
            {
                foreach (var (_, targets) in loader) sum += targets.Values[0];
            }
        }));
        Assert.True(sum > 0);
    }
}
