using System;
using System.Collections.Generic;
using System.Linq;
using Xunit;

namespace CompiledNets.Tests;

/// <summary>The minimal in-memory loader: order, reshuffling, determinism, the last batch.</summary>
public sealed class DataLoaderTests
{
    // Sample i has features [i, -i] and label i, so a batch tells which samples it holds.
    private static (float[] Inputs, int[] Labels) Indexed(int count) =>
        (Enumerable.Range(0, count).SelectMany(i => new[] { (float)i, -i }).ToArray(), Enumerable.Range(0, count).ToArray());

    private static List<int[]> Epoch(DataLoader loader)
    {
        var batches = new List<int[]>();
        foreach (var (inputs, targets) in loader)
        {
            ReadOnlySpan<int> labels = targets.Labels;
            Assert.Equal(labels.Length * 2, inputs.Length);
            for (int i = 0; i < labels.Length; i++)
            {
                Assert.Equal(labels[i], inputs[2 * i]);      // rows stay with their labels
                Assert.Equal(-labels[i], inputs[2 * i + 1]);
            }
            batches.Add(labels.ToArray());
        }
        return batches;
    }

    [Fact]
    public void Without_shuffle_batches_are_in_order_and_the_last_is_partial()
    {
        var (inputs, labels) = Indexed(10);
        var loader = new DataLoader(inputs, labels, batchSize: 4);
        Assert.Equal(3, loader.Count);
        Assert.Equal(2, loader.Features);
        var batches = Epoch(loader);
        Assert.Equal([[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]], batches);
    }

    [Fact]
    public void A_second_epoch_started_inside_the_first_ends_the_first_with_a_clear_error()
    {
        var (inputs, labels) = Indexed(10);
        var loader = new DataLoader(inputs, labels, batchSize: 4, shuffle: true, seed: 3);
        var outer = loader.GetEnumerator();
        Assert.True(outer.MoveNext());
        int walked = 0;
        foreach (var batch in loader)
        {
            walked += batch.Labels.Length;
        }
        Assert.Equal(10, walked);
        var error = Assert.Throws<InvalidOperationException>(() => outer.MoveNext());
        Assert.Contains("a loader walks one epoch at a time", error.Message);
        Assert.Throws<InvalidOperationException>(() => { _ = outer.Current; });
        // The loader itself is fine: the next epoch runs whole.
        Assert.Equal(10, Epoch(loader).Sum(b => b.Length));
    }

    [Fact]
    public void DropLast_skips_the_partial_batch()
    {
        var (inputs, labels) = Indexed(10);
        var loader = new DataLoader(inputs, labels, batchSize: 4, dropLast: true);
        Assert.Equal(2, loader.Count);
        Assert.Equal(2, Epoch(loader).Count);
    }

    [Fact]
    public void Shuffle_visits_every_sample_once_reshuffles_each_epoch_and_is_reproducible()
    {
        var (inputs, labels) = Indexed(50);
        var loader = new DataLoader(inputs, labels, batchSize: 8, shuffle: true, seed: 7);
        int[] first = Epoch(loader).SelectMany(b => b).ToArray();
        int[] second = Epoch(loader).SelectMany(b => b).ToArray();
        Assert.Equal(Enumerable.Range(0, 50), first.Order());
        Assert.Equal(Enumerable.Range(0, 50), second.Order());
        Assert.NotEqual(first, second);
        Assert.NotEqual(Enumerable.Range(0, 50), first);

        var again = new DataLoader(inputs, labels, batchSize: 8, shuffle: true, seed: 7);
        Assert.Equal(first, Epoch(again).SelectMany(b => b));
        Assert.Equal(second, Epoch(again).SelectMany(b => b));
    }

    [Theory]
    [InlineData(16, 8)]
    [InlineData(17, 13)]
    [InlineData(23, 3)]
    [InlineData(40, 21)]
    [InlineData(784, 64)]
    [InlineData(785, 30)]
    public void A_shuffled_batch_holds_each_row_whole(int width, int batchSize)
    {
        // Rows of several vectors (copied eight rows at a time, a vector of each in turn, then the rest one by one), some not a
        // whole number of vectors wide: every float of each gathered row is its sample's.
        const int count = 101;
        float[] inputs = new float[count * width];
        for (int i = 0; i < count; i++)
        {
            for (int j = 0; j < width; j++) inputs[i * width + j] = i * 1000 + j;
        }
        var loader = new DataLoader(inputs, Enumerable.Range(0, count).ToArray(), batchSize, shuffle: true, seed: 3);
        var seen = new List<int>();
        foreach (var (batch, targets) in loader)
        {
            ReadOnlySpan<int> labels = targets.Labels;
            Assert.Equal(labels.Length * width, batch.Length);
            for (int r = 0; r < labels.Length; r++)
            {
                for (int j = 0; j < width; j++) Assert.Equal(labels[r] * 1000 + j, batch[r * width + j]);
            }
            seen.AddRange(labels.ToArray());
        }
        Assert.Equal(Enumerable.Range(0, count), seen.Order());
    }

    [Fact]
    public void Bad_arguments_name_the_argument_and_the_values()
    {
        var (inputs, labels) = Indexed(10);
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new DataLoader(inputs, labels, batchSize: 0));
        Assert.Equal("batchSize", error.ParamName);
        var shape = Assert.Throws<ArgumentException>(() => new DataLoader(inputs.AsSpan(0, 19).ToArray(), labels, batchSize: 2));
        Assert.Equal("inputs", shape.ParamName);
        Assert.Contains("10 labels", shape.Message);
        Assert.Contains("19 floats", shape.Message);
    }

    [Theory]
    [InlineData(10_000_000, true)]
    [InlineData(67_108_864, true)]
    [InlineData(int.MaxValue, true)]
    [InlineData(int.MaxValue, false)]
    public void A_batch_size_beyond_the_samples_gives_one_batch_and_allocates_for_the_samples_only(int batchSize, bool shuffle)
    {
        var (inputs, labels) = Indexed(10);
        DataLoader loader = null!;
        Assert.True(Allocations.Fewest(() => loader = new DataLoader(inputs, labels, batchSize, shuffle, seed: 3)) < 10_000);
        Assert.Equal(1, loader.Count);
        var batches = Epoch(loader);
        Assert.Equal(Enumerable.Range(0, 10), batches.Single().Order());
        Assert.Equal("batchSize", Assert.Throws<ArgumentOutOfRangeException>(() => new DataLoader(inputs, labels, batchSize, shuffle, dropLast: true)).ParamName);
    }

    [Fact]
    public void Batch_counts_and_starts_hold_near_the_int_limit()
    {
        var (inputs, labels) = Indexed(7);
        var loader = new DataLoader(inputs, labels, batchSize: int.MaxValue - 1);
        Assert.Equal(1, loader.Count);
        Assert.Equal(7, Epoch(loader).Single().Length);
        Assert.Equal([4, 3], Epoch(new DataLoader(inputs, labels, batchSize: 4)).Select(b => b.Length));
    }
}
