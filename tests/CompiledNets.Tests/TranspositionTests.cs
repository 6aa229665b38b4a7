using System;
using CompiledNets.Kernels;
using Xunit;

namespace CompiledNets.Tests;

/// <summary>The transposed copy a layer makes of its weight each forward pass: every element moved, nothing else written.</summary>
public sealed class TranspositionTests
{
    [Theory]
    [InlineData(128, 784, 144)] // whole 8 × 8 blocks, a padded stride
    [InlineData(13, 21, 21)] // rows and columns that leave partial blocks
    [InlineData(8, 8, 8)]
    [InlineData(1, 5, 1)]
    [InlineData(100, 64, 112)]
    public void Every_element_lands_at_its_transposed_place_and_the_padding_stays_untouched(int rows, int columns, int stride)
    {
        float[] source = new float[rows * columns];
        for (int i = 0; i < source.Length; i++) source[i] = i + 1;
        const float Untouched = -7f;
        float[] destination = new float[columns * stride + 16];
        Array.Fill(destination, Untouched);

        // In parts, as threads split it: rows [0, 4), [4, rows / 2 rounded to 4), then the rest.
        int middle = Math.Max(4, rows / 2 / 4 * 4);
        foreach ((int start, int end) in new[] { (0, Math.Min(4, rows)), (Math.Min(4, rows), Math.Min(middle, rows)), (Math.Min(middle, rows), rows) })
        {
            Transposition.Transpose(ref source[0], columns, ref destination[0], stride, start, end);
        }

        for (int c = 0; c < columns; c++)
        {
            for (int r = 0; r < stride; r++)
            {
                float expected = r < rows ? source[r * columns + c] : Untouched;
                Assert.True(expected == destination[c * stride + r], $"destination[{c}, {r}] is {destination[c * stride + r]}, expected {expected}");
            }
        }
        Assert.All(destination[(columns * stride)..], value => Assert.Equal(Untouched, value));
    }
}
