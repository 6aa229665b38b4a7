using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Xunit;

namespace CompiledNets.Tests.Optim;

/// <summary>Adam, AdamW and RMSprop beyond the fixtures: argument checks, thread counts, allocation, state and checkpoints.</summary>
public class OptimizerTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    /// <summary>Every optimizer kind with its options switched on, built for <paramref name="net"/>.</summary>
    public static IEnumerable<Func<INetwork, IOptimizer>> Kinds() =>
    [
        net => new Adam(net, lr: 0.01f, weightDecay: 0.01f, amsgrad: true),
        net => new AdamW(net, lr: 0.01f, amsgrad: true),
        net => new RmsProp(net, lr: 0.001f, weightDecay: 0.01f, momentum: 0.5f, centered: true),
        net => new Sgd(net, lr: 0.05f, momentum: 0.9f, nesterov: true),
    ];

    public static IEnumerable<object[]> KindIndices() => Kinds().Select((_, i) => new object[] { i });

    private static void Train(INetwork net, IOptimizer optimizer, float[] inputs, int[] labels, int steps, int batch)
    {
        var criterion = new CrossEntropyLoss();
        int rows = labels.Length;
        for (int step = 0; step < steps; step++)
        {
            int start = step * batch % (rows - batch + 1);
            optimizer.ZeroGrad();
            criterion.Forward(net.Forward(inputs.AsSpan(start * net.InputSize, batch * net.InputSize)), labels.AsSpan(start, batch)).Backward();
            optimizer.Step();
        }
    }

    [Theory]
    [MemberData(nameof(KindIndices))]
    public void A_large_network_gets_the_same_bits_on_one_two_and_three_threads(int kind)
    {
        float[] inputs = TestData.Normal(64 * MnistNet.InputSize, seed: 3);
        int[] labels = TestData.Labels(64, MnistNet.OutputSize, seed: 4);
        float[]? first = null;
        foreach (int threads in new[] { 1, 2, 3 })
        {
            var net = new MnistNet(seed: 1) { ThreadCount = threads };
            Train(net, Kinds().ElementAt(kind)(net), inputs, labels, steps: 4, batch: 32);
            first ??= net.Parameters.ToArray();
            Assert.Equal(first, net.Parameters.ToArray());
        }
    }

    [Theory]
    [MemberData(nameof(KindIndices))]
    public void A_step_allocates_nothing(int kind)
    {
        var net = new SeedNet(seed: 1);
        IOptimizer optimizer = Kinds().ElementAt(kind)(net);
        float[] inputs = TestData.Normal(16 * SeedNet.InputSize, seed: 3);
        int[] labels = TestData.Labels(16, SeedNet.OutputSize, seed: 4);
        Train(net, optimizer, inputs, labels, steps: 3, batch: 16);
        Assert.Equal(0, Allocations.Fewest(() =>
        {
            for (int i = 0; i < 100; i++)
            {
                optimizer.ZeroGrad();
                optimizer.Step();
            }
        }));
    }

    [Theory]
    [MemberData(nameof(KindIndices))]
    public void A_state_dict_restored_into_a_new_optimizer_continues_bit_for_bit(int kind)
    {
        float[] inputs = TestData.Normal(48 * SeedNet.InputSize, seed: 5);
        int[] labels = TestData.Labels(48, SeedNet.OutputSize, seed: 6);
        var straight = new SeedNet(seed: 2);
        Train(straight, Kinds().ElementAt(kind)(straight), inputs, labels, steps: 20, batch: 8);

        var first = new SeedNet(seed: 2);
        IOptimizer before = Kinds().ElementAt(kind)(first);
        Train(first, before, inputs, labels, steps: 10, batch: 8);
        var resumed = new SeedNet(seed: 0);
        first.Parameters.CopyTo(resumed.Parameters);
        IOptimizer after = Kinds().ElementAt(kind)(resumed);
        StateDict state = before.StateDict();
        Assert.Empty(after.CheckStateDict(state));
        after.LoadStateDict(state);
        // The second half starts where the first stopped in the batch order.
        var criterion = new CrossEntropyLoss();
        for (int step = 10; step < 20; step++)
        {
            int start = step * 8 % (48 - 8 + 1);
            after.ZeroGrad();
            criterion.Forward(resumed.Forward(inputs.AsSpan(start * 10, 80)), labels.AsSpan(start, 8)).Backward();
            after.Step();
        }
        Assert.Equal(straight.Parameters.ToArray(), resumed.Parameters.ToArray());
    }

    [Fact]
    public void A_state_of_another_kind_or_other_hyperparameters_is_refused_with_every_reason()
    {
        var net = new SeedNet(seed: 1);
        StateDict adam = new Adam(net, lr: 0.01f).StateDict();
        Assert.Contains("'Adam' optimizer but the optimizer is RmsProp", Assert.Single(new RmsProp(net).CheckStateDict(adam)));
        Assert.Contains("'Adam' optimizer but the optimizer is AdamW", Assert.Single(new AdamW(net).CheckStateDict(adam)));
        string problem = Assert.Single(new Adam(net, lr: 0.02f).CheckStateDict(adam));
        Assert.Contains("Adam(lr=0.01, betas=(0.9, 0.999), eps=1E-08, weight_decay=0, amsgrad=False)", problem);
        var error = Assert.Throws<ArgumentException>(() => new Adam(net, amsgrad: true).LoadStateDict(adam));
        Assert.Contains("max_exp_avg_sq", error.Message);
    }

    [Fact]
    public void A_checkpoint_holds_Adam_and_resumes_it()
    {
        var run = new CheckpointRun("SeedNet", 40, 8, seed: 1);
        var net = run.Network;
        var adam = new Adam(net, lr: 0.01f);
        var loader = run.Loader;
        var criterion = new CrossEntropyLoss();
        void Epoch(INetwork n, IOptimizer o, DataLoader l)
        {
            foreach (var (x, y) in l)
            {
                o.ZeroGrad();
                criterion.Forward(n.Forward(x), y).Backward();
                o.Step();
            }
        }
        Epoch(net, adam, loader);
        string path = Path.Combine(_directory.Path, "adam.ckpt");
        Checkpoint.Save(path, net, adam, loader, 1, adam.StepCount);
        Epoch(net, adam, loader);

        var other = new CheckpointRun("SeedNet", 40, 8, seed: 9);
        var otherAdam = new Adam(other.Network, lr: 0.01f);
        Checkpoint.Load(path, other.Network, otherAdam, other.Loader);
        Assert.Equal(5, otherAdam.StepCount);
        Epoch(other.Network, otherAdam, other.Loader);
        Assert.Equal(net.Parameters.ToArray(), other.Network.Parameters.ToArray());
    }

    [Fact]
    public void Bad_arguments_name_the_argument_and_the_value()
    {
        var net = new SeedNet(seed: 1);
        Assert.Equal("lr", Assert.Throws<ArgumentOutOfRangeException>(() => new Adam(net, lr: -1f)).ParamName);
        Assert.Equal("beta1", Assert.Throws<ArgumentOutOfRangeException>(() => new Adam(net, beta1: 1f)).ParamName);
        Assert.Equal("beta2", Assert.Throws<ArgumentOutOfRangeException>(() => new AdamW(net, beta2: -0.1f)).ParamName);
        Assert.Equal("eps", Assert.Throws<ArgumentOutOfRangeException>(() => new Adam(net, eps: float.NaN)).ParamName);
        Assert.Equal("weightDecay", Assert.Throws<ArgumentOutOfRangeException>(() => new AdamW(net, weightDecay: -1f)).ParamName);
        Assert.Equal("alpha", Assert.Throws<ArgumentOutOfRangeException>(() => new RmsProp(net, alpha: -0.5f)).ParamName);
        Assert.Equal("momentum", Assert.Throws<ArgumentOutOfRangeException>(() => new RmsProp(net, momentum: float.PositiveInfinity)).ParamName);
        Assert.Equal("network", Assert.Throws<ArgumentNullException>(() => new RmsProp(null!)).ParamName);
        var adam = new Adam(net);
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => adam.Lr = float.NaN);
        Assert.Equal("Lr", error.ParamName);
        Assert.Equal("Beta1", Assert.Throws<ArgumentOutOfRangeException>(() => adam.Beta1 = 1.5f).ParamName);
        Assert.Equal(1e-3f, adam.Lr);
    }

    [Fact]
    public void Momentum_set_from_zero_starts_a_buffer_and_is_saved()
    {
        var net = new SeedNet(seed: 1);
        var rms = new RmsProp(net);
        Assert.Equal(0, rms.MomentumBuffer.Length);
        rms.Momentum = 0.9f;
        Assert.Equal(SeedNet.ParameterCount, rms.MomentumBuffer.Length);
        var sgd = new Sgd(net, lr: 0.1f);
        sgd.Momentum = 0.8f;
        Assert.Equal(SeedNet.ParameterCount, sgd.MomentumBuffer.Length);
        var copy = new Sgd(net, lr: 0.1f);
        copy.LoadStateDict(sgd.StateDict());
        Assert.Equal(0.8f, copy.Momentum);
    }
}
