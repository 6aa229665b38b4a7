using System;
using System.Collections.Generic;
using Xunit;

namespace CompiledNets.Tests;

/// <summary><see cref="ConfusionMatrix.Evaluate"/> against argmax counted by hand, one sample at a time.</summary>
public sealed class EvaluateTests
{
    private const int Samples = 70; // 5 batches of 16: the last one is partial

    [Theory]
    [MemberData(nameof(TestNetworks.All), MemberType = typeof(TestNetworks))]
    public void Evaluate_counts_what_argmax_of_each_sample_predicts(string name)
    {
        INetwork net = TestNetworks.Create(name);
        float[] inputs = TestData.Normal(Samples * net.InputSize, seed: 11);
        int[] labels = TestData.Labels(Samples, net.OutputSize, seed: 12);
        var loader = new DataLoader(inputs, labels, batchSize: 16, shuffle: true, seed: 13);

        ConfusionMatrix matrix = ConfusionMatrix.Evaluate(net, loader, net.OutputSize);

        // By hand: the single-sample forward, the first largest logit, a count in [label, prediction].
        var expected = new int[net.OutputSize, net.OutputSize];
        var logits = new float[net.OutputSize];
        for (int i = 0; i < Samples; i++)
        {
            net.Forward(inputs.AsSpan(i * net.InputSize, net.InputSize), logits);
            int best = 0;
            for (int c = 1; c < logits.Length; c++)
            {
                if (logits[c] > logits[best]) best = c;
            }
            expected[labels[i], best]++;
        }
        Assert.Equal(expected, MetricsExample.Counts(matrix));
        Assert.Equal(Samples, matrix.Total);
    }

    [Fact]
    public void The_example_network_predicts_more_than_one_class()
    {
        // Guards the test above: a network predicting one class for every sample would make it weak.
        var net = new SeedNet(0);
        var loader = new DataLoader(TestData.Normal(Samples * SeedNet.InputSize, seed: 11), TestData.Labels(Samples, 2, seed: 12), batchSize: 16);
        ConfusionMatrix matrix = ConfusionMatrix.Evaluate(net, loader, 2);
        Assert.True(matrix[0, 0] + matrix[1, 0] > 0 && matrix[0, 1] + matrix[1, 1] > 0, matrix.ToString());
    }

    [Fact]
    public void Evaluate_runs_every_batch_without_gradients_and_restores_the_mode()
    {
        var net = new RecordingNetwork(new SeedNet(0));
        var loader = new DataLoader(TestData.Normal(Samples * SeedNet.InputSize, seed: 1), TestData.Labels(Samples, 2, seed: 2), batchSize: 16);

        ConfusionMatrix.Evaluate(net, loader, 2);

        Assert.Equal([false, false, false, false, false], net.GradEnabledAtForward);
        Assert.True(net.GradEnabled);
    }

    [Fact]
    public void Evaluate_allocates_the_same_for_many_batches_as_for_few()
    {
        var net = new SeedNet(0);
        DataLoader Loader(int samples) =>
            new(TestData.Normal(samples * SeedNet.InputSize, seed: 1), TestData.Labels(samples, 2, seed: 2), batchSize: 8, shuffle: true, seed: 3);
        DataLoader few = Loader(16), many = Loader(800);
        ConfusionMatrix.Evaluate(net, few, 2); // warm-up: JIT, the network's batch buffers
        ConfusionMatrix.Evaluate(net, many, 2);

        long forFew = Allocations.Fewest(() => ConfusionMatrix.Evaluate(net, few, 2));
        long forMany = Allocations.Fewest(() => ConfusionMatrix.Evaluate(net, many, 2));

        Assert.True(forFew == forMany, $"2 batches allocated {forFew} bytes, 100 batches {forMany}");
    }

    [Fact]
    public void Evaluate_checks_its_arguments()
    {
        var net = new SeedNet(0);
        var loader = new DataLoader(TestData.Normal(4 * SeedNet.InputSize, seed: 1), [0, 1, 1, 0], batchSize: 2);

        var classes = Assert.Throws<ArgumentOutOfRangeException>(() => ConfusionMatrix.Evaluate(net, loader, 3));
        Assert.Equal("classCount", classes.ParamName);
        Assert.Contains("Expected one class per network output (2, the network's OutputSize) but got 3.", classes.Message);

        var narrow = new DataLoader(new float[8], [0, 1], batchSize: 2);
        var features = Assert.Throws<ArgumentException>(() => ConfusionMatrix.Evaluate(net, narrow, 2));
        Assert.Equal("loader", features.ParamName);
        Assert.Contains("Expected samples of 10 features (the network's InputSize) but the loader has 4.", features.Message);

        var badLabel = new DataLoader(TestData.Normal(4 * SeedNet.InputSize, seed: 1), [0, 1, 5, 0], batchSize: 2);
        Assert.Equal("labels", Assert.Throws<ArgumentOutOfRangeException>(() => ConfusionMatrix.Evaluate(net, badLabel, 2)).ParamName);
        Assert.True(net.GradEnabled); // restored even when a batch throws

        Assert.Equal("network", Assert.Throws<ArgumentNullException>(() => ConfusionMatrix.Evaluate(null!, loader, 2)).ParamName);
        Assert.Equal("loader", Assert.Throws<ArgumentNullException>(() => ConfusionMatrix.Evaluate(net, null!, 2)).ParamName);
    }

    /// <summary>Passes everything to a generated network and records the gradient mode of each batched forward.</summary>
    private sealed class RecordingNetwork(INetwork inner) : INetwork
    {
        public readonly List<bool> GradEnabledAtForward = [];

        public int InputSize => inner.InputSize;
        public int OutputSize => inner.OutputSize;
        public int ParameterCount => inner.ParameterCount;
        public Span<float> Parameters => inner.Parameters;
        public Span<float> Gradients => inner.Gradients;
        public IReadOnlyList<ParameterTensor> NamedParameters => inner.NamedParameters;
        public IReadOnlyList<LayerInfo> Layers => inner.Layers;
        public bool GradEnabled { get => inner.GradEnabled; set => inner.GradEnabled = value; }
        public long ForwardVersion => inner.ForwardVersion;
        public int ThreadCount { get => inner.ThreadCount; set => inner.ThreadCount = value; }
        public void Forward(ReadOnlySpan<float> input, Span<float> output) => inner.Forward(input, output);
        public void Backward(ReadOnlySpan<float> outputGradient) => inner.Backward(outputGradient);

        public Outputs Forward(ReadOnlySpan<float> inputs)
        {
            GradEnabledAtForward.Add(inner.GradEnabled);
            return inner.Forward(inputs);
        }
    }
}
