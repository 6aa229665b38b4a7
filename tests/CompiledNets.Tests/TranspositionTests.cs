using System;
using CompiledNets.Kernels;
using Xunit;

namespace CompiledNets.Tests;

/// <summary>The packed transposed copy a layer makes of its weight each forward pass: every element moved, nothing else written.</summary>
public sealed class TranspositionTests
{
    [Theory]
    [InlineData(128, 784, 48)] // whole 8 × 8 blocks, a partial last panel
    [InlineData(13, 21, 8)] // rows and columns that leave partial blocks
    [InlineData(8, 8, 8)]
    [InlineData(5, 3, 4)] // fewer columns than a 4 × 4 block: scalar moves
    [InlineData(100, 64, 24)]
    [InlineData(30, 17, 3)]
    [InlineData(40, 37, 16)] // AVX-512's panels: two blocks side by side, then a last panel of one block; partial column blocks
    [InlineData(128, 100, 16)]
    [InlineData(61, 9, 32)] // four blocks side by side, then 5 rows left; columns fewer than two blocks
    [InlineData(40, 37, 16, 8)] // a part that starts half way into a panel: one block, then whole panels
    [InlineData(72, 19, 24, 8)] // panels of three blocks, a part starting at the second
    [InlineData(60, 30, 16)] // 8-row blocks leave 4 rows: a 4 × 4 block; 30 columns: the last block overlaps the one before
    [InlineData(60, 60, 16, 32)] // the same in two parts, the second holding the 4-row tail
    [InlineData(52, 6, 16)] // fewer columns than an 8-block (moved one by one), then a 4-row block over 6 columns (overlapped)
    [InlineData(31, 13, 4)] // panels of 4 (SSE machines): 4 × 4 blocks only, 3 rows left
    [InlineData(15, 3, 8)] // fewer columns than any block
    [InlineData(7, 9, 16)] // fewer rows than an 8-block: one 4-row block, then 3 rows
    public void Every_element_lands_in_its_panel_and_the_rest_stays_untouched(int rows, int columns, int panel, int split = -1)
    {
        float[] source = new float[rows * columns];
        for (int i = 0; i < source.Length; i++) source[i] = i + 1;
        const float Untouched = -7f;
        int panels = (rows + panel - 1) / panel;
        float[] destination = new float[panels * panel * columns + 16];
        Array.Fill(destination, Untouched);

        // In parts, as threads split it: the first panel (or the rows before the split given), then the rest.
        int first = split >= 0 ? split : Math.Min(panel, rows);
        Transposition.ToPanels(ref source[0], columns, ref destination[0], panel, 0, first);
        Transposition.ToPanels(ref source[0], columns, ref destination[0], panel, first, rows);

        var expected = new float[destination.Length];
        Array.Fill(expected, Untouched);
        for (int r = 0; r < rows; r++)
        {
            for (int c = 0; c < columns; c++)
            {
                expected[r / panel * (columns * panel) + c * panel + r % panel] = source[r * columns + c];
            }
        }
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(expected[i] == destination[i], $"destination[{i}] is {destination[i]}, expected {expected[i]}");
        }
    }
}
