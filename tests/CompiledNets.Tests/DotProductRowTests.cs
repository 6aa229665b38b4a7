using System;
using Xunit;

namespace CompiledNets.Tests;

/// <summary>
/// Layers with few outputs sum along the weight's rows (dot products): groups of 8 outputs, the last group partial and
/// run several rows at a time, the last vector of inputs partial. A row's outputs must not depend on the rows around
/// it, nor on the group an output is summed in: a batch gives each row the bits it gets alone.
/// </summary>
public sealed class DotProductRowTests
{
    [Theory]
    [InlineData(nameof(LeakyNet))]   // 40 → 33: a partial input vector, and one output after four whole groups
    [InlineData(nameof(OddRowsNet))] // 512 → 30: six outputs after three whole groups
    public void A_row_gets_the_same_bits_in_any_batch(string name)
    {
        INetwork net = name == nameof(OddRowsNet) ? new OddRowsNet(seed: 0) : TestNetworks.Create(name);
        const int rows = 11; // the last group's tiles of rows and the rows after them
        float[] inputs = TestData.Normal(rows * net.InputSize, seed: 5);
        var together = new float[rows * net.OutputSize];
        net.Predict(inputs, together);
        var alone = new float[net.OutputSize];
        var pair = new float[2 * net.OutputSize];
        for (int b = 0; b < rows; b++)
        {
            net.Predict(inputs.AsSpan(b * net.InputSize, net.InputSize), alone);
            Assert.True(alone.AsSpan().SequenceEqual(together.AsSpan(b * net.OutputSize, net.OutputSize)), $"{name}: row {b} alone");
            if (b + 1 < rows)
            {
                net.Predict(inputs.AsSpan(b * net.InputSize, 2 * net.InputSize), pair);
                Assert.True(pair.AsSpan().SequenceEqual(together.AsSpan(b * net.OutputSize, 2 * net.OutputSize)), $"{name}: rows {b} and {b + 1}");
            }
        }
    }
}
