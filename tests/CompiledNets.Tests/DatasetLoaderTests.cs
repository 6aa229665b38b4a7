using System;
using System.Collections.Generic;
using System.Linq;
using Xunit;

namespace CompiledNets.Tests;

/// <summary>DataLoader over a Dataset: every sample once per epoch, no allocation per batch.</summary>
public sealed class DatasetLoaderTests
{
    // Sample i has features [i, 2i] and label i % 3.
    private static Dataset Indexed(int count) =>
        new(Enumerable.Range(0, count).SelectMany(i => new[] { (float)i, 2f * i }).ToArray(), Enumerable.Range(0, count).Select(i => i % 3).ToArray(), 2, 3);

    private static int[] Epoch(DataLoader loader)
    {
        var seen = new List<int>();
        foreach (var (inputs, targets) in loader)
        {
            ReadOnlySpan<int> labels = targets.Labels;
            for (int i = 0; i < labels.Length; i++)
            {
                int sample = (int)inputs[2 * i];
                Assert.Equal(2f * sample, inputs[2 * i + 1]);
                Assert.Equal(sample % 3, labels[i]);
                seen.Add(sample);
            }
        }
        return seen.ToArray();
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, false)]
    [InlineData(true, true)]
    public void Visits_every_sample_once_per_epoch(bool shuffle, bool dropLast)
    {
        var loader = new DataLoader(Indexed(103), batchSize: 10, shuffle, seed: 4, dropLast);
        Assert.Equal(2, loader.Features);
        Assert.Equal(dropLast ? 10 : 11, loader.Count);
        for (int epoch = 0; epoch < 3; epoch++)
        {
            int[] seen = Epoch(loader);
            Assert.Equal(dropLast ? 100 : 103, seen.Length);
            Assert.Equal(seen.Length, seen.Distinct().Count());
            if (!dropLast) Assert.Equal(Enumerable.Range(0, 103), seen.Order());
            if (!shuffle) Assert.Equal(Enumerable.Range(0, 103), seen);
        }
    }

    [Fact]
    public void Gives_the_same_batches_as_a_loader_over_the_same_arrays()
    {
        Dataset data = Indexed(50);
        var fromDataset = new DataLoader(data, batchSize: 8, shuffle: true, seed: 9);
        var fromArrays = new DataLoader(data.Features.ToArray(), data.Labels.ToArray(), batchSize: 8, shuffle: true, seed: 9);
        Assert.Equal(Epoch(fromArrays), Epoch(fromDataset));
        Assert.Equal(Epoch(fromArrays), Epoch(fromDataset));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Iterating_allocates_nothing_per_batch(bool shuffle)
    {
        var loader = new DataLoader(Indexed(1000), batchSize: 32, shuffle, seed: 1);
        Sum(loader); // warm-up
        float total = 0;
        long allocated = Allocations.Fewest(() =>
        {
            total = 0;
            for (int epoch = 0; epoch < 5; epoch++) total += Sum(loader);
        });
        Assert.True(allocated == 0, $"5 epochs of {loader.Count} batches allocated at least {allocated} bytes");
        Assert.Equal(5 * 3 * 999 * 1000 / 2f, total);
    }

    private static float Sum(DataLoader loader)
    {
        float sum = 0;
        foreach (var (inputs, _) in loader)
        {
            foreach (float x in inputs) sum += x;
        }
        return sum;
    }

    [Fact]
    public void A_null_or_empty_dataset_is_refused()
    {
        Assert.Equal("dataset", Assert.Throws<ArgumentNullException>(() => new DataLoader((Dataset)null!, 4)).ParamName);
        var empty = Assert.Throws<ArgumentException>(() => new DataLoader(new Dataset([], [], 2, 3), 4));
        Assert.Equal("dataset", empty.ParamName);
        Assert.Contains("Expected a dataset with at least one sample but it has 0.", empty.Message);
    }
}
