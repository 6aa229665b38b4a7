using System;
using System.Linq;
using Xunit;

namespace CompiledNets.Tests;

/// <summary>The generated members: constants, the state_dict layout, initialization, argument checks, graph rules.</summary>
public sealed class NetworkApiTests
{
    [Fact]
    public void Constants_and_named_parameters_follow_nn_Sequential()
    {
        Assert.Equal(10, SeedNet.InputSize);
        Assert.Equal(2, SeedNet.OutputSize);
        Assert.Equal(262, SeedNet.ParameterCount);
        Assert.Equal(
            ["0.weight [20, 10] at 0", "0.bias [20] at 200", "2.weight [2, 20] at 220", "2.bias [2] at 260"],
            SeedNet.NamedParameters.Select(p => p.ToString()));

        // 7-13-5-3: activations take indices 1 and 3, as nn.Sequential counts them.
        Assert.Equal(
            ["0.weight", "0.bias", "2.weight", "2.bias", "4.weight", "4.bias"],
            TanhSigmoidNet.NamedParameters.Select(p => p.Name));
        Assert.Equal(7 * 13 + 13 + 13 * 5 + 5 + 5 * 3 + 3, TanhSigmoidNet.ParameterCount);
        Assert.Equal(784 * 128 + 128 + 128 * 10 + 10, MnistNet.ParameterCount);
    }

    [Fact]
    public void Layout_is_contiguous_and_gradients_share_it()
    {
        foreach (string name in TestNetworks.Names)
        {
            INetwork net = TestNetworks.Create(name);
            int next = 0;
            foreach (ParameterTensor tensor in net.NamedParameters)
            {
                Assert.Equal(next, tensor.Offset);
                Assert.Equal(tensor.Shape.Aggregate(1, (a, b) => a * b), tensor.Length);
                next += tensor.Length;
            }
            Assert.Equal(net.ParameterCount, next);
            Assert.Equal(net.ParameterCount, net.Parameters.Length);
            Assert.Equal(net.ParameterCount, net.Gradients.Length);
        }
    }

    [Fact]
    public void Initialization_is_pytorch_uniform_and_deterministic()
    {
        var net = new MnistNet(seed: 42);
        foreach (ParameterTensor tensor in MnistNet.NamedParameters)
        {
            int inFeatures = tensor.Name == "0.weight" || tensor.Name == "0.bias" ? 784 : 128;
            float bound = 1f / MathF.Sqrt(inFeatures);
            Span<float> values = tensor.Slice(net.Parameters);
            Assert.All(values.ToArray(), v => Assert.InRange(v, -bound, bound));
            if (tensor.Length > 1000)
            {
                // Uniform(−b, b): mean 0, variance b²/3.
                double mean = values.ToArray().Average();
                double variance = values.ToArray().Select(v => (v - mean) * (v - mean)).Average();
                Assert.InRange(mean, -0.02 * bound, 0.02 * bound);
                Assert.InRange(variance, 0.95 * bound * bound / 3, 1.05 * bound * bound / 3);
            }
        }
        Assert.True(new MnistNet(seed: 42).Parameters.SequenceEqual(net.Parameters));
        Assert.False(new MnistNet(seed: 43).Parameters.SequenceEqual(net.Parameters));
        Assert.True(net.Gradients.IndexOfAnyExcept(0f) < 0);
    }

    [Fact]
    public void Initialization_is_pinned_to_the_same_numbers_on_every_machine()
    {
        // SplitMix64 and IEEE float arithmetic: these exact values must never change.
        var net = new SeedNet(seed: 0);
        float bound = 1f / MathF.Sqrt(10f);
        var rng = new Rng(0);
        float first = -bound + 2 * bound * rng.NextSingle();
        Assert.Equal(first, net.Parameters[0]);
        Assert.Equal(0xE220A8397B1DCDAFUL, new Rng(0).NextUInt64());
    }

    [Fact]
    public void One_sample_forward_checks_lengths()
    {
        var net = new SeedNet(0);
        var error = Assert.Throws<ArgumentException>(() => net.Forward(new float[9], new float[2]));
        Assert.Equal("input", error.ParamName);
        Assert.StartsWith("Expected 10 floats (one sample) but got 9.", error.Message);

        error = Assert.Throws<ArgumentException>(() => net.Forward(new float[10], new float[3]));
        Assert.Equal("output", error.ParamName);
        Assert.StartsWith("Expected 2 floats (one sample's logits) but got 3.", error.Message);
    }

    [Fact]
    public void Batched_forward_checks_lengths_and_changes_nothing_on_error()
    {
        var net = new SeedNet(0);
        float[] before = net.Parameters.ToArray();
        var error = Assert.Throws<ArgumentException>(() => net.Forward(new float[25]));
        Assert.Equal("inputs", error.ParamName);
        Assert.StartsWith("Expected a whole number of rows of 10 floats (at least one row) but got 25 floats.", error.Message);
        Assert.Throws<ArgumentException>(() => net.Forward(ReadOnlySpan<float>.Empty));
        Assert.True(before.AsSpan().SequenceEqual(net.Parameters));
    }

    [Fact]
    public void Backward_follows_pytorch_graph_rules()
    {
        var net = new SeedNet(0);
        var criterion = new CrossEntropyLoss();
        float[] inputs = TestData.Normal(2 * SeedNet.InputSize, seed: 1);

        // Nothing to back-propagate yet.
        Assert.Throws<InvalidOperationException>(() => net.Backward(new float[4]));

        // Wrong gradient length names the argument and both sizes.
        net.Forward(inputs);
        var lengthError = Assert.Throws<ArgumentException>(() => net.Backward(new float[5]));
        Assert.Equal("outputGradient", lengthError.ParamName);
        Assert.Contains("Expected 2 x 2 = 4 floats", lengthError.Message);

        // A graph is used once.
        var loss = criterion.Forward(net.Forward(inputs), [0, 1]);
        loss.Backward();
        Assert.Throws<InvalidOperationException>(loss.Backward);

        // A loss whose activations were overwritten by a later forward is refused.
        var stale = criterion.Forward(net.Forward(inputs), [0, 1]);
        net.Forward(inputs);
        var staleError = Assert.Throws<InvalidOperationException>(stale.Backward);
        Assert.Contains("call Backward before the next Forward", staleError.Message);

        // A criterion keeps only its latest gradient, so an older loss of it is refused too.
        var outputs = net.Forward(inputs);
        var older = criterion.Forward(outputs, [0, 1]);
        criterion.Forward(outputs, [1, 1]);
        Assert.Throws<InvalidOperationException>(older.Backward);

        // Outputs computed under NoGrad keep nothing; the mode is restored afterwards.
        using (net.NoGrad())
        {
            Assert.False(net.GradEnabled);
            Assert.Null(net.Forward(inputs).Network);
        }
        Assert.True(net.GradEnabled);
        Assert.Same(net, net.Forward(inputs).Network);
    }

    [Fact]
    public void Batches_larger_than_before_grow_the_buffers_and_give_the_same_rows()
    {
        var net = new LeakyNet(0);
        float[] inputs = TestData.Normal(40 * LeakyNet.InputSize, seed: 6);
        float[] small = net.Forward(inputs.AsSpan(0, 3 * LeakyNet.InputSize)).Data.ToArray();
        float[] large = net.Forward(inputs).Data.ToArray();
        Assert.Equal(40 * LeakyNet.OutputSize, large.Length);
        Assert.Equal(small, large.AsSpan(0, small.Length).ToArray());
    }
}

/// <summary>NaN and infinity are refused where they enter a network, before anything changes.</summary>
public sealed class NonFiniteInputTests
{
    [Theory]
    [InlineData(float.NaN)]
    [InlineData(float.PositiveInfinity)]
    [InlineData(float.NegativeInfinity)]
    public void One_sample_forward_names_the_position_and_value(float bad)
    {
        var net = new SeedNet(0);
        float[] input = TestData.Normal(SeedNet.InputSize, seed: 1);
        input[7] = bad;
        var error = Assert.Throws<ArgumentException>(() => net.Forward(input, new float[SeedNet.OutputSize]));
        Assert.Equal("input", error.ParamName);
        Assert.Contains($"input[7] (row 0, column 7) is {bad}", error.Message);
    }

    [Fact]
    public void Batched_forward_refuses_before_touching_the_pending_graph()
    {
        var net = new MnistNet(0);
        var criterion = new CrossEntropyLoss();
        float[] inputs = TestData.Normal(3 * MnistNet.InputSize, seed: 2);
        var loss = criterion.Forward(net.Forward(inputs), [1, 2, 3]);

        float[] poisoned = (float[])inputs.Clone();
        poisoned[MnistNet.InputSize + 5] = float.NaN; // the 17 floats before it are finite: the vector path must find it
        var error = Assert.Throws<ArgumentException>(() => net.Forward(poisoned));
        Assert.Equal("inputs", error.ParamName);
        Assert.Contains("(row 1, column 5) is NaN", error.Message);

        // The earlier forward pass can still be back-propagated: nothing was overwritten.
        loss.Backward();
        Assert.True(net.Gradients.IndexOfAnyExcept(0f) >= 0);
    }

    [Fact]
    public void Backward_refuses_a_non_finite_gradient_and_keeps_the_graph()
    {
        var net = new SeedNet(0);
        net.Forward(TestData.Normal(2 * SeedNet.InputSize, seed: 3));
        var error = Assert.Throws<ArgumentException>(() => net.Backward([0.1f, 0.2f, float.PositiveInfinity, 0.4f]));
        Assert.Equal("outputGradient", error.ParamName);
        Assert.Contains("outputGradient[2] (row 1, column 0) is ∞", error.Message.Replace("Infinity", "∞"));
        Assert.True(net.Gradients.IndexOfAnyExcept(0f) < 0, "gradients changed");
        net.Backward([0.1f, 0.2f, 0.3f, 0.4f]); // the graph is still there
    }

    [Fact]
    public void Finite_values_of_every_length_pass()
    {
        for (int length = 0; length < 140; length++)
        {
            float[] values = TestData.Normal(length, seed: length);
            if (length > 2)
            {
                // The extremes of the finite floats pass too (x − x is 0 for each).
                values[0] = float.MaxValue;
                values[1] = -0f;
                values[2] = -float.Epsilon;
            }
            FiniteCheck.ThrowIfNotFinite(values, 1, "values");
            // A NaN or infinity anywhere, in a whole vector or in the floats after the last one, is found.
            for (int at = 0; at < length; at++)
            {
                foreach (float bad in new[] { float.NaN, float.PositiveInfinity, float.NegativeInfinity })
                {
                    float kept = values[at];
                    values[at] = bad;
                    Assert.Throws<ArgumentException>(() => FiniteCheck.ThrowIfNotFinite(values, 1, "values"));
                    values[at] = kept;
                }
            }
        }
    }
}
