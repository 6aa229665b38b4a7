using System;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.InteropServices;
using Xunit;

namespace CompiledNets.Tests;

/// <summary>A network one hidden unit narrower than SeedNet: same inputs and outputs, another parameter layout.</summary>
[Linear(10, 7)]
[ReLU]
[Linear(7, 2)]
public partial class NarrowSeedNet;

/// <summary>
/// One training run's objects (network, optimizer, shuffling loader) built from a seed, and the explicit PyTorch
/// loop that advances them, recording every step's loss.
/// </summary>
internal sealed class CheckpointRun
{
    public CheckpointRun(string network, int samples, int batchSize, int seed, float lr = 0.05f, float momentum = 0.9f)
    {
        Network = TestNetworks.Create(network, seed);
        Inputs = TestData.Normal(samples * Network.InputSize, seed: 100);
        Labels = TestData.Labels(samples, Network.OutputSize, seed: 101);
        Optimizer = new Sgd(Network, lr, momentum, weightDecay: 1e-4f);
        // The loader's seed differs between runs on purpose: a resumed run must take its order from the checkpoint.
        Loader = new DataLoader(Inputs, Labels, batchSize, shuffle: true, seed: seed);
    }

    public INetwork Network { get; }
    public Sgd Optimizer { get; }
    public DataLoader Loader { get; }
    public float[] Inputs { get; }
    public int[] Labels { get; }
    public List<float> Losses { get; } = [];
    public long Steps { get; private set; }

    /// <summary>Runs <paramref name="epochs"/> epochs of zero_grad, forward, loss, backward, step.</summary>
    public void Train(int epochs)
    {
        var criterion = new CrossEntropyLoss();
        for (int epoch = 0; epoch < epochs; epoch++)
        {
            foreach (var (inputs, labels) in Loader)
            {
                Optimizer.ZeroGrad();
                var loss = criterion.Forward(Network.Forward(inputs), labels);
                Losses.Add(loss.Item());
                loss.Backward();
                Optimizer.Step();
                Steps++;
            }
        }
    }

    public void SetSteps(long steps) => Steps = steps;

    public State Capture() => new(
        Network.Parameters.ToArray(), Optimizer.MomentumBuffer.ToArray(), Optimizer.HasMomentumBuffer, Loader.ShuffleRngState, Loader.Order.ToArray());

    /// <summary>Everything a checkpoint saves or restores, compared bit for bit.</summary>
    internal sealed record State(float[] Parameters, float[] MomentumBuffer, bool HasMomentumBuffer, ulong RngState, int[] Order)
    {
        public void AssertBitwiseEqual(State other)
        {
            AssertBits(Parameters, other.Parameters, "parameters");
            AssertBits(MomentumBuffer, other.MomentumBuffer, "momentum buffer");
            Assert.Equal(HasMomentumBuffer, other.HasMomentumBuffer);
            Assert.Equal(RngState, other.RngState);
            Assert.Equal(Order, other.Order);
        }
    }

    /// <summary>Equal bit for bit; on failure, reports the first differing index and the largest difference.</summary>
    public static void AssertBits(IReadOnlyList<float> expected, IReadOnlyList<float> actual, string what)
    {
        Assert.Equal(expected.Count, actual.Count);
        int[] expectedBits = expected.Select(BitConverter.SingleToInt32Bits).ToArray();
        int[] actualBits = actual.Select(BitConverter.SingleToInt32Bits).ToArray();
        if (!expectedBits.AsSpan().SequenceEqual(actualBits))
        {
            int first = Enumerable.Range(0, expectedBits.Length).First(i => expectedBits[i] != actualBits[i]);
            double largest = Enumerable.Range(0, expected.Count).Max(i => Math.Abs((double)expected[i] - actual[i]));
            Assert.Fail($"The {what} differ: first at index {first} ({expected[first]:R} vs {actual[first]:R}); largest difference {largest:R}.");
        }
    }

    public static int[] Bits(ReadOnlySpan<float> values) => MemoryMarshal.Cast<float, int>(values).ToArray();
}
