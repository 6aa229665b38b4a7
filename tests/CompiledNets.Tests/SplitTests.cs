using System;
using System.Collections.Generic;
using System.Linq;
using Xunit;

namespace CompiledNets.Tests;

/// <summary>Dataset.Split: sizes, disjointness, stratification, determinism, argument checks.</summary>
public sealed class SplitTests
{
    /// <summary>Sample i has features [i, i + 0.5] and the label of <paramref name="classOf"/>, so a row tells which sample it is.</summary>
    private static Dataset Indexed(int count, int classes, Func<int, int> classOf)
    {
        float[] features = Enumerable.Range(0, count).SelectMany(i => new[] { (float)i, i + 0.5f }).ToArray();
        return new Dataset(features, Enumerable.Range(0, count).Select(classOf).ToArray(), featureCount: 2, classCount: classes);
    }

    // Class sizes 50, 30, 15, 8: imbalanced, so stratification matters.
    private static Dataset Imbalanced() => Indexed(103, 4, i => i < 50 ? 0 : i < 80 ? 1 : i < 95 ? 2 : 3);

    private static int[] Indices(Dataset part) => Enumerable.Range(0, part.Count).Select(i => (int)part.Row(i)[0]).ToArray();

    private static void AssertEverySampleInExactlyOnePart(Dataset data, DatasetSplit split)
    {
        int[] all = [.. Indices(split.Train), .. Indices(split.Validation), .. Indices(split.Test)];
        Assert.Equal(Enumerable.Range(0, data.Count), all.Order());
        foreach (Dataset part in new[] { split.Train, split.Validation, split.Test })
        {
            for (int i = 0; i < part.Count; i++)
            {
                int sample = (int)part.Row(i)[0];
                Assert.Equal(sample + 0.5f, part.Row(i)[1]);       // rows stay whole
                Assert.Equal(data.Labels[sample], part.Labels[i]); // and keep their labels
            }
        }
    }

    [Theory]
    [InlineData(103, 0.7, 0.15, 72, 16, 15)] // round(72.1) = 72, round(87.55) = 88
    [InlineData(10, 0.65, 0.2, 7, 2, 1)]     // the example in the doc comment: 6.5 → 7, 8.5 → 9
    [InlineData(10, 0.7, 0.3, 7, 3, 0)]
    [InlineData(10, 1.0, 0.0, 10, 0, 0)]
    [InlineData(3, 0.5, 0.5, 2, 1, 0)]       // cumulative rounding never hands out more than there is
    public void Part_sizes_follow_the_documented_rounding(int count, double train, double validation, int trainSize, int validationSize, int testSize)
    {
        Dataset data = Indexed(count, 2, i => i % 2);
        foreach (bool stratify in new[] { false, true })
        {
            DatasetSplit split = data.Split(train, validation, seed: 1, stratify);
            Assert.Equal((trainSize, validationSize, testSize), (split.Train.Count, split.Validation.Count, split.Test.Count));
            AssertEverySampleInExactlyOnePart(data, split);
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Every_sample_lands_in_exactly_one_part_in_random_order(bool stratify)
    {
        Dataset data = Imbalanced();
        DatasetSplit split = data.Split(0.6, 0.2, seed: 5, stratify);
        AssertEverySampleInExactlyOnePart(data, split);
        int[] train = Indices(split.Train);
        Assert.NotEqual(train.Order(), train);                               // shuffled, not in index order
        Assert.NotEqual(split.Train.Labels.ToArray().Order(), split.Train.Labels.ToArray()); // nor grouped by class
        Assert.Equal(data.ClassNames, split.Test.ClassNames);
        Assert.Equal(data.ClassCount, split.Validation.ClassCount);
    }

    [Fact]
    public void Stratified_parts_keep_each_class_within_one_sample_of_its_proportion()
    {
        Dataset data = Imbalanced();
        DatasetSplit split = data.Split(0.6, 0.25, seed: 11, stratify: true);
        AssertStratified(data, split);
    }

    [Fact]
    public void Stratification_holds_for_many_class_sizes_and_fractions()
    {
        // Many small, uneven cases, where rounding per class most often fights the part sizes.
        var rng = new Rng(2024);
        for (int trial = 0; trial < 400; trial++)
        {
            int classes = 1 + rng.NextInt32(7);
            int[] sizes = Enumerable.Range(0, classes).Select(_ => rng.NextInt32(12)).ToArray();
            sizes[0]++; // at least one sample
            int[] labels = sizes.SelectMany((size, c) => Enumerable.Repeat(c, size)).ToArray();
            Dataset data = Indexed(labels.Length, classes, i => labels[i]);
            double train = 0.05 + 0.9 * rng.NextSingle();
            double validation = (1 - train) * rng.NextSingle();
            if ((int)Math.Round(train * data.Count, MidpointRounding.AwayFromZero) == 0) continue;
            DatasetSplit split = data.Split(train, validation, seed: trial, stratify: true);
            DatasetSplit plain = data.Split(train, validation, seed: trial);
            Assert.Equal((plain.Train.Count, plain.Validation.Count, plain.Test.Count), (split.Train.Count, split.Validation.Count, split.Test.Count));
            AssertEverySampleInExactlyOnePart(data, split);
            AssertStratified(data, split);
        }
    }

    private static void AssertStratified(Dataset data, DatasetSplit split)
    {
        int n = data.Count;
        for (int c = 0; c < data.ClassCount; c++)
        {
            int classSize = data.Labels.Count(c);
            foreach (Dataset part in new[] { split.Train, split.Validation, split.Test })
            {
                double ideal = (double)classSize * part.Count / n;
                int actual = part.Labels.Count(c);
                Assert.True(Math.Abs(actual - ideal) < 1,
                    $"class {c} ({classSize} of {n} samples): {actual} in a part of {part.Count}, ideal {ideal:F3}");
            }
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void The_same_seed_gives_the_same_split_and_another_seed_another(bool stratify)
    {
        Dataset data = Imbalanced();
        DatasetSplit first = data.Split(0.7, 0.15, seed: 42, stratify);
        DatasetSplit again = data.Split(0.7, 0.15, seed: 42, stratify);
        DatasetSplit other = data.Split(0.7, 0.15, seed: 43, stratify);
        Assert.Equal(Indices(first.Train), Indices(again.Train));
        Assert.Equal(Indices(first.Validation), Indices(again.Validation));
        Assert.Equal(Indices(first.Test), Indices(again.Test));
        Assert.NotEqual(Indices(first.Train), Indices(other.Train));
        Assert.NotEqual(Indices(first.Test).Order(), Indices(other.Test).Order()); // other samples, not just another order
    }

    [Fact]
    public void Bad_fractions_name_the_argument_and_the_value()
    {
        Dataset data = Imbalanced();
        foreach (double bad in new[] { 0, -0.1, 1.1, double.NaN })
        {
            var error = Assert.Throws<ArgumentOutOfRangeException>(() => data.Split(bad, 0, seed: 0));
            Assert.Equal("trainFraction", error.ParamName);
            Assert.Contains("Expected trainFraction in (0, 1]", error.Message);
        }
        Assert.Equal("validationFraction", Assert.Throws<ArgumentOutOfRangeException>(() => data.Split(0.5, -0.1, seed: 0)).ParamName);
        var sum = Assert.Throws<ArgumentException>(() => data.Split(0.8, 0.3, seed: 0));
        Assert.Equal("validationFraction", sum.ParamName);
        Assert.Contains("Expected trainFraction + validationFraction <= 1", sum.Message);
        Assert.Contains("0.8 + 0.3", sum.Message);
        var empty = Assert.Throws<ArgumentException>(() => Indexed(10, 2, i => i % 2).Split(0.01, 0.5, seed: 0));
        Assert.Equal("trainFraction", empty.ParamName);
        Assert.Contains("trainFraction 0.01 of 10 samples rounds to 0", empty.Message);
    }
}
