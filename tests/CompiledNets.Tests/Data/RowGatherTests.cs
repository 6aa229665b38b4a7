using System;
using System.Linq;
using Xunit;

namespace CompiledNets.Tests;

public class RowGatherTests
{
    // Widths below, at and around whole vectors of every width (4, 8, 16 floats), and row counts around the four rows
    // copied side by side: every float lands where a row-by-row copy puts it, and nothing past the rows is written.
    [Fact]
    public void Copies_the_chosen_rows_in_order_for_every_width_and_count()
    {
        var random = new Random(5);
        for (int width = 1; width <= 70; width++)
        {
            for (int count = 0; count <= 11; count++)
            {
                int tableRows = count + 3;
                float[] table = Enumerable.Range(0, tableRows * width).Select(i => (float)i + 0.5f).ToArray();
                int[] rows = Enumerable.Range(0, tableRows).OrderBy(_ => random.Next()).Take(count).ToArray();
                float[] destination = new float[count * width + 5];
                destination.AsSpan().Fill(-1f);

                RowGather.Copy(table, rows, width, destination.AsSpan(0, count * width));

                for (int i = 0; i < count; i++)
                {
                    Assert.Equal(table.AsSpan(rows[i] * width, width).ToArray(), destination.AsSpan(i * width, width).ToArray());
                }
                Assert.All(destination.AsSpan(count * width).ToArray(), value => Assert.Equal(-1f, value));
            }
        }
    }

    // The same row may be chosen twice (a sampler with replacement): both copies are whole.
    [Fact]
    public void Copies_a_row_chosen_twice_twice()
    {
        float[] table = Enumerable.Range(0, 3 * 40).Select(i => (float)i).ToArray();
        int[] rows = [2, 2, 0, 2, 1];
        float[] destination = new float[rows.Length * 40];

        RowGather.Copy(table, rows, 40, destination);

        for (int i = 0; i < rows.Length; i++)
        {
            Assert.Equal(table.AsSpan(rows[i] * 40, 40).ToArray(), destination.AsSpan(i * 40, 40).ToArray());
        }
    }
}
