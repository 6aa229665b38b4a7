using System;
using System.Linq;
using Xunit;

namespace CompiledNets.Tests;

public sealed class RngTests
{
    [Fact]
    public void Integers_are_in_range_and_roughly_uniform()
    {
        var rng = new Rng(5);
        var counts = new int[7];
        for (int i = 0; i < 70_000; i++) counts[rng.NextInt32(7)]++;
        Assert.All(counts, c => Assert.InRange(c, 9_500, 10_500));
    }

    [Fact]
    public void Floats_are_in_the_unit_interval()
    {
        var rng = new Rng(9);
        float[] values = Enumerable.Range(0, 10_000).Select(_ => rng.NextSingle()).ToArray();
        Assert.All(values, v => Assert.InRange(v, 0f, 0.99999994f));
        Assert.InRange(values.Average(), 0.49, 0.51);
    }

    [Fact]
    public void Shuffle_is_a_permutation()
    {
        var rng = new Rng(1);
        int[] values = Enumerable.Range(0, 100).ToArray();
        rng.Shuffle(values);
        Assert.Equal(Enumerable.Range(0, 100), values.Order());
        Assert.NotEqual(Enumerable.Range(0, 100), values);
    }
}
