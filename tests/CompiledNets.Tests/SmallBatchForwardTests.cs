using System;
using Xunit;

namespace CompiledNets.Tests;

/// <summary>
/// A packed layer's batched forward runs batches of fewer than 4 rows through the one-sample kernel row by row, and a ReLU
/// after it in its stores: those rows must equal one-sample inference bit for bit, in training passes and in Predict.
/// </summary>
public sealed class SmallBatchForwardTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void A_few_rows_give_the_one_sample_outputs_bit_for_bit(int batch)
    {
        var net = new MnistNet(seed: 11);
        float[] inputs = TestData.Normal(batch * MnistNet.InputSize, seed: 12);
        float[] single = new float[MnistNet.OutputSize];
        float[] predicted = new float[batch * MnistNet.OutputSize];
        ReadOnlySpan<float> trained = net.Forward(inputs).Data;
        float[] training = trained.ToArray();
        net.Predict(inputs, predicted);
        for (int b = 0; b < batch; b++)
        {
            net.Forward(inputs.AsSpan(b * MnistNet.InputSize, MnistNet.InputSize), single);
            Assert.True(single.AsSpan().SequenceEqual(training.AsSpan(b * MnistNet.OutputSize, MnistNet.OutputSize)), $"training pass, row {b}");
            Assert.True(single.AsSpan().SequenceEqual(predicted.AsSpan(b * MnistNet.OutputSize, MnistNet.OutputSize)), $"Predict, row {b}");
        }
    }
}
