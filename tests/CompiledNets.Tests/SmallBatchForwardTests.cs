using System;
using CompiledNets.Kernels;
using Xunit;

namespace CompiledNets.Tests;

/// <summary>
/// A packed layer's batched forward runs small batches (fewer than 32 rows where the machine has 32 vector registers and
/// the rows hold at least 128 inputs, else fewer than 8, or 4 for shorter rows) as dot products along the weight's rows,
/// split over threads by groups of outputs (SmallBatchNet: into parts that hold the output after the whole groups, and
/// empty ones), with the ReLU after it in a pass of its own: those rows must equal one-sample
/// inference bit for bit, in training passes and in Predict, on every thread count. Larger batches run the packed weight's
/// tiles, which sum in another order: their rows agree with one sample to rounding.
/// </summary>
public sealed class SmallBatchForwardTests
{
    /// <summary>Rows below which a layer of at least 128 inputs sums along the weight's rows, as its generated forward decides.</summary>
    private static int SmallBatchRows
    {
        get
        {
            int registers = SimdWidth.Widest switch
            {
                16 => Simd512.Registers,
                8 => Simd256.Registers,
                4 => Simd128.Registers,
                _ => SimdScalar.Registers,
            };
            return registers >= 32 ? 32 : 8;
        }
    }

    public static TheoryData<string, int, int> Cases()
    {
        var cases = new TheoryData<string, int, int>();
        foreach (string network in new[] { nameof(MnistNet), nameof(SmallBatchNet), nameof(PairNet) })
        {
            foreach (int batch in new[] { 1, 2, 3, 4, 5, 7, 8, 13, 16, 31, 32, 33 })
            {
                foreach (int threads in new[] { 1, 2, 3, 6 })
                {
                    cases.Add(network, batch, threads);
                }
            }
        }
        return cases;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Rows_of_a_small_batch_give_the_one_sample_outputs_bit_for_bit(string network, int batch, int threads)
    {
        INetwork net = network switch
        {
            nameof(MnistNet) => new MnistNet(seed: 11),
            nameof(SmallBatchNet) => new SmallBatchNet(seed: 11),
            _ => new PairNet(seed: 11),
        };
        net.ThreadCount = threads;
        float[] inputs = TestData.Normal(batch * net.InputSize, seed: 12);
        float[] single = new float[net.OutputSize];
        float[] predicted = new float[batch * net.OutputSize];
        float[] training = net.Forward(inputs).Data.ToArray();
        net.Predict(inputs, predicted);
        // PairNet's packed layer (23 → 92) has rows shorter than 128 inputs: only its batches of fewer than 4 rows sum along them.
        bool exact = batch < (network == nameof(PairNet) ? 4 : SmallBatchRows);
        for (int b = 0; b < batch; b++)
        {
            net.Forward(inputs.AsSpan(b * net.InputSize, net.InputSize), single);
            for (int o = 0; o < net.OutputSize; o++)
            {
                float expected = single[o], fromTraining = training[b * net.OutputSize + o], fromPredict = predicted[b * net.OutputSize + o];
                if (exact)
                {
                    Assert.True(BitConverter.SingleToInt32Bits(expected) == BitConverter.SingleToInt32Bits(fromTraining),
                        $"training pass, row {b}, output {o}: {fromTraining:R}, alone {expected:R}");
                    Assert.True(BitConverter.SingleToInt32Bits(expected) == BitConverter.SingleToInt32Bits(fromPredict),
                        $"Predict, row {b}, output {o}: {fromPredict:R}, alone {expected:R}");
                }
                else
                {
                    float tolerance = 1e-4f * Math.Max(1f, Math.Abs(expected));
                    Assert.InRange(fromTraining, expected - tolerance, expected + tolerance);
                    Assert.InRange(fromPredict, expected - tolerance, expected + tolerance);
                }
            }
        }
    }
}
