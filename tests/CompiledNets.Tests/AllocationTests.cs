using System;
using Xunit;

namespace CompiledNets.Tests;

/// <summary>
/// After warm-up, a training step and inference allocate nothing on the managed heap: neither the
/// calling thread nor the worker threads that run parallel parts.
/// </summary>
public sealed class AllocationTests
{
    [Theory]
    [MemberData(nameof(TestNetworks.AllWithSpatial), MemberType = typeof(TestNetworks))]
    public void Training_steps_allocate_nothing(string name) => AssertTrainingAllocatesNothing(name, inputGradient: false);

    /// <summary>The same with dLoss/dinputs asked for (<see cref="INetwork.InputRequiresGrad"/>) and read after each backward.</summary>
    [Theory]
    [MemberData(nameof(TestNetworks.AllWithSpatial), MemberType = typeof(TestNetworks))]
    public void Training_steps_with_the_input_gradient_allocate_nothing(string name) => AssertTrainingAllocatesNothing(name, inputGradient: true);

    private static void AssertTrainingAllocatesNothing(string name, bool inputGradient)
    {
        INetwork net = TestNetworks.Create(name);
        net.InputRequiresGrad = inputGradient;
        const int samples = 70;
        float[] inputs = TestData.Normal(samples * net.InputSize, seed: 1);
        int[] labels = TestData.Labels(samples, net.OutputSize, seed: 2);
        var loader = new DataLoader(inputs, labels, batchSize: 16, shuffle: true, seed: 3);
        var criterion = new CrossEntropyLoss();
        var optimizer = new Sgd(net, lr: 0.01f, momentum: 0.9f, weightDecay: 1e-4f, nesterov: true);

        // Warm-up: buffers grow to the largest batch, the worker threads start, the JIT tiers up.
        for (int epoch = 0; epoch < 3; epoch++) Epoch(net, loader, criterion, optimizer);

        // The quietest of three windows of two epochs must be zero (Allocations.Fewest).
        long fewest = Allocations.Fewest(() =>
        {
            Epoch(net, loader, criterion, optimizer);
            Epoch(net, loader, criterion, optimizer);
        }, workers: true);
        Assert.True(fewest == 0, $"{name}: two epochs of {loader.Count} steps allocated at least {fewest} bytes");
    }

    private static float s_lastInputGradient;

    private static float Epoch(INetwork net, DataLoader loader, CrossEntropyLoss criterion, Sgd optimizer)
    {
        float runningLoss = 0;
        foreach (var (inputs, labels) in loader)
        {
            optimizer.ZeroGrad();
            var outputs = net.Forward(inputs);
            var loss = criterion.Forward(outputs, labels);
            loss.Backward();
            if (net.InputRequiresGrad) s_lastInputGradient = net.InputGradient[^1];
            optimizer.Step();
            runningLoss += loss.Item();
        }
        return runningLoss;
    }

    [Theory]
    [MemberData(nameof(TestNetworks.AllWithSpatial), MemberType = typeof(TestNetworks))]
    public void Inference_allocates_nothing(string name)
    {
        INetwork net = TestNetworks.Create(name);
        float[] inputs = TestData.Normal(8 * net.InputSize, seed: 1);
        var output = new float[net.OutputSize];
        var predicted = new int[8];
        for (int i = 0; i < 20; i++) Run(); // warm-up: buffers, worker threads, JIT tiers

        // As for training: the quietest of three windows must be zero.
        long fewest = Allocations.Fewest(() =>
        {
            for (int i = 0; i < 10; i++) Run();
        }, workers: true);
        Assert.True(fewest == 0, $"{name}: inference allocated at least {fewest} bytes");

        void Run()
        {
            net.Forward(inputs.AsSpan(0, net.InputSize), output);
            using (net.NoGrad())
            {
                net.Forward(inputs).ArgMax(predicted);
            }
        }
    }

    [Fact]
    public void Inference_on_several_threads_of_a_wide_network_allocates_nothing_in_steady_state()
    {
        // Each thread has its own inference workspace, grown on its first call and reused after.
        var net = new WideNet(seed: 0);
        float[] inputs = TestData.Normal(6 * WideNet.InputSize, seed: 1);
        var fewest = new long[4];
        var threads = new System.Threading.Thread[fewest.Length];
        for (int t = 0; t < threads.Length; t++)
        {
            int thread = t;
            threads[t] = new System.Threading.Thread(() =>
            {
                var output = new float[WideNet.OutputSize];
                var outputs = new float[6 * WideNet.OutputSize];
                for (int i = 0; i < 3; i++) Run(output, outputs);
                fewest[thread] = Allocations.Fewest(() => Run(output, outputs));
            });
            threads[t].Start();
        }
        foreach (var thread in threads) thread.Join();
        Assert.All(fewest, bytes => Assert.Equal(0, bytes));

        void Run(float[] output, float[] outputs)
        {
            net.Forward(inputs.AsSpan(0, WideNet.InputSize), output);
            net.Predict(inputs, outputs);
            using (net.NoGrad())
            {
                net.Forward(inputs);
            }
        }
    }
}
