using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Xunit;
using Xunit.Abstractions;

namespace CompiledNets.Tests;

/// <summary>
/// The threading contract under load: many threads on one network instance, wide and small networks, the one-sample
/// <c>Forward</c>, <c>Predict</c> and batched <c>Forward</c> inside <c>NoGrad</c>, and one criterion shared by threads.
/// Every result is compared bit for bit with the same call made on one thread beforehand; the counts are logged.
/// </summary>
/// <remarks>
/// Bounded so the three CI runs stay quick; <c>CN_STRESS_SCALE=n</c> multiplies the calls per thread for a longer run.
/// </remarks>
public sealed class ConcurrencyStressTests(ITestOutputHelper log)
{
    private const int Threads = 8;
    private const int Pool = 48;

    private static int Scale =>
        int.TryParse(Environment.GetEnvironmentVariable("CN_STRESS_SCALE"), out int scale) && scale > 0 ? scale : 1;

    public static TheoryData<string> Networks => ["WideNet", "SeedNet", "MnistNet", "GeluSiluNet", "SmallSiluGeluNet", "LeakyNet"];

    private static INetwork Create(string name) => name == "WideNet" ? new WideNet(seed: 1) : TestNetworks.Create(name, seed: 1);

    /// <summary>About the same work per test whatever the network: fewer calls for a wide one.</summary>
    private static int CallsPerThread(INetwork net, int rowsPerCall) =>
        Scale * (int)Math.Clamp(20_000_000L / ((long)net.ParameterCount * rowsPerCall), 4, 2_000);

    [Theory]
    [MemberData(nameof(Networks))]
    public void One_sample_forward_from_eight_threads_gives_the_single_threaded_bits(string name)
    {
        INetwork net = Create(name);
        float[] inputs = TestData.Normal(Pool * net.InputSize, seed: 2);
        float[][] expected = Enumerable.Range(0, Pool).Select(i =>
        {
            var output = new float[net.OutputSize];
            net.Forward(inputs.AsSpan(i * net.InputSize, net.InputSize), output);
            return output;
        }).ToArray();

        int calls = CallsPerThread(net, 1);
        (long total, long wrong) = RunThreads(calls, (thread, call) =>
        {
            int sample = (thread * 7 + call) % Pool;
            Span<float> output = stackalloc float[net.OutputSize];
            net.Forward(inputs.AsSpan(sample * net.InputSize, net.InputSize), output);
            return output.SequenceEqual(expected[sample]);
        });
        Report(name, "one-sample Forward", total, wrong);
        Assert.Equal(0, wrong);
    }

    [Theory]
    [MemberData(nameof(Networks))]
    public void Predict_and_batched_forward_inside_NoGrad_from_eight_threads_give_the_single_threaded_bits(string name)
    {
        INetwork net = Create(name);
        float[] inputs = TestData.Normal(Pool * net.InputSize, seed: 3);
        // Batches of several sizes and starts; the same batch always gives the same bits, on any thread.
        (int Start, int Rows)[] batches = [(0, 1), (3, 4), (5, 7), (0, 16), (17, 31), (40, 8), (1, 47), (12, 2)];
        float[][] expected = batches.Select(b =>
        {
            var outputs = new float[b.Rows * net.OutputSize];
            net.Predict(Rows(inputs, net, b), outputs);
            return outputs;
        }).ToArray();
        float[][] expectedNoGrad = batches.Select(b =>
        {
            using (net.NoGrad())
            {
                return net.Forward(Rows(inputs, net, b)).Data.ToArray();
            }
        }).ToArray();
        Assert.True(net.GradEnabled);

        int calls = CallsPerThread(net, 16);
        var predictBuffers = Enumerable.Range(0, Threads).Select(_ => new float[Pool * net.OutputSize]).ToArray();
        bool[] modeAfter = new bool[Threads];
        (long total, long wrong) = RunThreads(calls, (thread, call) =>
        {
            int which = (thread + call) % batches.Length;
            var batch = batches[which];
            if ((thread + call) % 2 == 0)
            {
                Span<float> outputs = predictBuffers[thread].AsSpan(0, batch.Rows * net.OutputSize);
                net.Predict(Rows(inputs, net, batch), outputs);
                return outputs.SequenceEqual(expected[which]);
            }
            bool equal;
            using (net.NoGrad())
            {
                Outputs outputs = net.Forward(Rows(inputs, net, batch));
                equal = outputs.Network is null && outputs.Data.SequenceEqual(expectedNoGrad[which]);
            }
            modeAfter[thread] = net.GradEnabled;
            return equal;
        });
        Report(name, "Predict and NoGrad batched Forward", total, wrong);
        Assert.Equal(0, wrong);
        Assert.All(modeAfter, Assert.True);
        Assert.True(net.GradEnabled);
    }

    [Fact]
    public void A_NoGrad_scope_on_one_thread_leaves_training_on_another_untouched()
    {
        var net = new SeedNet(seed: 1);
        float[] inputs = TestData.Normal(16 * SeedNet.InputSize, seed: 4);
        int[] labels = TestData.Labels(16, SeedNet.OutputSize, seed: 5);
        var criterion = new CrossEntropyLoss();
        int steps = 300 * Scale;
        using var inScope = new ManualResetEventSlim();
        using var trained = new ManualResetEventSlim();
        bool inferenceSawGradients = false;

        // One thread sits inside NoGrad running inference on the same network until the other has trained it.
        var inference = new Thread(() =>
        {
            using (net.NoGrad())
            {
                inScope.Set();
                while (!trained.IsSet)
                {
                    inferenceSawGradients |= net.GradEnabled || net.Forward(inputs).Network is not null;
                }
            }
        });
        inference.Start();
        inScope.Wait();
        var optimizer = new Sgd(net, lr: 0.05f);
        for (int step = 0; step < steps; step++)
        {
            optimizer.ZeroGrad();
            Outputs outputs = net.Forward(inputs);
            Assert.NotNull(outputs.Network);
            criterion.Forward(outputs, labels).Backward();
            optimizer.Step();
        }
        trained.Set();
        inference.Join();

        Assert.False(inferenceSawGradients);
        Assert.True(net.GradEnabled);
        // The same training on this thread alone gives the same bits.
        var alone = new SeedNet(seed: 1);
        var aloneOptimizer = new Sgd(alone, lr: 0.05f);
        for (int step = 0; step < steps; step++)
        {
            aloneOptimizer.ZeroGrad();
            criterion.Forward(alone.Forward(inputs), labels).Backward();
            aloneOptimizer.Step();
        }
        Assert.Equal(alone.Parameters.ToArray(), net.Parameters.ToArray());
    }

    [Fact]
    public void Nested_and_out_of_order_NoGrad_scopes_restore_the_mode_of_their_thread_only()
    {
        var net = new SeedNet(seed: 0);
        var a = net.NoGrad();
        var b = net.NoGrad();
        Assert.False(net.GradEnabled);
        a.Dispose();
        Assert.False(net.GradEnabled);
        b.Dispose();
        Assert.True(net.GradEnabled);
        a.Dispose(); // twice: nothing happens
        Assert.True(net.GradEnabled);

        var outer = GradMode.NoGrad();
        var other = new Thread(() => Assert.True(net.GradEnabled));
        other.Start();
        other.Join();
        Exception? wrongThread = null;
        var disposer = new Thread(() => wrongThread = Record.Exception(() => outer.Dispose()));
        disposer.Start();
        disposer.Join();
        Assert.Contains("must be disposed there", Assert.IsType<InvalidOperationException>(wrongThread).Message);
        Assert.False(net.GradEnabled);
        outer.Dispose();
        Assert.True(net.GradEnabled);

        // A training step after all that works (the old bug: "computed with gradients disabled").
        var optimizer = new Sgd(net, lr: 0.1f);
        new CrossEntropyLoss().Forward(net.Forward(TestData.Normal(2 * SeedNet.InputSize, seed: 1)), [0, 1]).Backward();
        optimizer.Step();
    }

    [Fact]
    public void One_criterion_shared_by_eight_threads_gives_each_call_its_sequential_value_and_gradient()
    {
        var criterion = new CrossEntropyLoss();
        var nets = Enumerable.Range(0, Threads).Select(t => new LeakyNet(seed: t)).ToArray();
        float[] inputs = TestData.Normal(Pool * LeakyNet.InputSize, seed: 6);
        int[] labels = TestData.Labels(Pool, LeakyNet.OutputSize, seed: 7);
        int calls = 200 * Scale;

        // Sequentially: the loss of every (network, batch) pair and the gradient it back-propagates.
        var expectedLoss = new float[Threads][];
        var expectedGradients = new float[Threads][];
        for (int t = 0; t < Threads; t++)
        {
            expectedLoss[t] = new float[calls];
            var net = new LeakyNet(seed: t);
            for (int call = 0; call < calls; call++)
            {
                int start = (t + call) % (Pool - 8);
                var loss = criterion.Forward(net.Forward(inputs.AsSpan(start * LeakyNet.InputSize, 8 * LeakyNet.InputSize)), labels.AsSpan(start, 8));
                expectedLoss[t][call] = loss.Item();
                loss.Backward();
            }
            expectedGradients[t] = net.Gradients.ToArray();
        }

        // Concurrently, each thread with its own network and the one criterion.
        (long total, long wrong) = RunThreads(calls, (thread, call) =>
        {
            int start = (thread + call) % (Pool - 8);
            var loss = criterion.Forward(nets[thread].Forward(inputs.AsSpan(start * LeakyNet.InputSize, 8 * LeakyNet.InputSize)), labels.AsSpan(start, 8));
            bool equal = loss.Item() == expectedLoss[thread][call];
            loss.Backward();
            return equal;
        });
        Report("LeakyNet", "shared CrossEntropyLoss", total, wrong);
        Assert.Equal(0, wrong);
        for (int t = 0; t < Threads; t++)
        {
            Assert.Equal(expectedGradients[t], nets[t].Gradients.ToArray());
        }
    }

    [Fact]
    public void A_second_thread_starting_a_training_pass_is_refused_and_the_first_pass_completes()
    {
        var net = new WideNet(seed: 1);
        float[] inputs = TestData.Normal(64 * WideNet.InputSize, seed: 8);
        float[] expected;
        using (net.NoGrad())
        {
            expected = net.Forward(inputs).Data.ToArray();
        }
        var implementation = (Kernels.NetworkBase<Generated.CompiledNets_Tests_WideNet.Workspace>)typeof(WideNet)
            .GetField("_network", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)!.GetValue(net)!;

        // Try until the second call lands while the first pass runs: the pass takes milliseconds, the check microseconds.
        InvalidOperationException? refused = null;
        for (int attempt = 0; attempt < 50 && refused is null; attempt++)
        {
            float[]? trained = null;
            var first = new Thread(() => trained = net.Forward(inputs).Data.ToArray());
            first.Start();
            while (!implementation.IsTrainingPassRunning && first.IsAlive)
            {
                Thread.SpinWait(10);
            }
            Exception? second = implementation.IsTrainingPassRunning ? Record.Exception(() => net.Forward(inputs.AsSpan(0, WideNet.InputSize))) : null;
            first.Join();
            if (second is null)
            {
                // The pass ended first and the second forward ran: its one row may have replaced the first's outputs. Try again.
                continue;
            }
            refused = Assert.IsType<InvalidOperationException>(second);
            Assert.Equal(expected, trained);
        }
        Assert.NotNull(refused);
        Assert.Contains("a network trains on one thread at a time", refused.Message);
    }

    /// <summary>Runs <paramref name="calls"/> calls on each of <see cref="Threads"/> threads started together; counts calls and wrong results.</summary>
    private static (long Total, long Wrong) RunThreads(int calls, Func<int, int, bool> call)
    {
        long total = 0, wrong = 0;
        using var start = new Barrier(Threads);
        var errors = new List<Exception>();
        var threads = Enumerable.Range(0, Threads).Select(thread => new Thread(() =>
        {
            try
            {
                start.SignalAndWait();
                for (int i = 0; i < calls; i++)
                {
                    if (!call(thread, i)) Interlocked.Increment(ref wrong);
                    Interlocked.Increment(ref total);
                }
            }
            catch (Exception exception)
            {
                lock (errors) errors.Add(exception);
            }
        })).ToArray();
        foreach (var thread in threads) thread.Start();
        foreach (var thread in threads) thread.Join();
        if (errors.Count > 0) throw new AggregateException(errors);
        return (total, wrong);
    }

    private static ReadOnlySpan<float> Rows(float[] inputs, INetwork net, (int Start, int Rows) batch) =>
        inputs.AsSpan(batch.Start * net.InputSize, batch.Rows * net.InputSize);

    private void Report(string network, string what, long total, long wrong) =>
        log.WriteLine($"{network}: {what}: {total} calls on {Threads} threads, {wrong} wrong");
}
