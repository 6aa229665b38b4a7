using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using Xunit;

namespace CompiledNets.Tests;

/// <summary>
/// A run stopped after k epochs, saved, and resumed in fresh objects takes bit for bit the steps of a run that
/// never stopped: the same losses, parameters, momentum buffer and shuffle state.
/// </summary>
public sealed class CheckpointResumeTests
{
    // SeedNet: 200 samples in batches of 16 (a short last batch). MnistNet with batches of 64: its products and the
    // optimizer's pass (101,770 parameters) are split over threads.
    [Theory]
    [InlineData("SeedNet", 200, 16, 5, 2)]
    [InlineData("MnistNet", 320, 64, 3, 1)]
    public void Resumed_run_equals_uninterrupted_run_bit_for_bit(string network, int samples, int batchSize, int epochs, int stopAfter)
    {
        using var directory = new TempDirectory();
        string path = Path.Combine(directory.Path, "run.ckpt");

        var straight = new CheckpointRun(network, samples, batchSize, seed: 1);
        straight.Train(epochs);

        var first = new CheckpointRun(network, samples, batchSize, seed: 1);
        first.Train(stopAfter);
        Checkpoint.Save(path, first.Network, first.Optimizer, first.Loader, stopAfter, first.Steps);

        // Fresh objects, initialized and seeded differently: everything that matters must come from the file.
        var resumed = new CheckpointRun(network, samples, batchSize, seed: 2);
        Assert.NotEqual(first.Network.Parameters.ToArray(), resumed.Network.Parameters.ToArray());
        var (epoch, step) = Checkpoint.Load(path, resumed.Network, resumed.Optimizer, resumed.Loader);
        Assert.Equal(stopAfter, epoch);
        Assert.Equal(first.Steps, step);
        first.Capture().AssertBitwiseEqual(resumed.Capture());

        resumed.SetSteps(step);
        resumed.Train(epochs - stopAfter);

        CheckpointRun.AssertBits(straight.Losses, first.Losses.Concat(resumed.Losses).ToList(), "per-step losses");
        straight.Capture().AssertBitwiseEqual(resumed.Capture());
        Assert.Equal(straight.Steps, resumed.Steps);
        Assert.True(resumed.Optimizer.HasMomentumBuffer);
    }

    [Fact]
    public void A_loader_without_the_saved_state_would_take_another_order()
    {
        // The control for the test above: the shuffle state is what makes the continuation identical.
        var first = new CheckpointRun("SeedNet", 200, 16, seed: 1);
        first.Train(2);
        var other = new CheckpointRun("SeedNet", 200, 16, seed: 2);
        Assert.NotEqual(first.Loader.ShuffleRngState, other.Loader.ShuffleRngState);
        Assert.NotEqual(first.Loader.Order.ToArray(), other.Loader.Order.ToArray());
    }

    [Fact]
    public void Trainer_resumes_from_its_checkpoint_and_continues_identically()
    {
        using var directory = new TempDirectory();
        string path = Path.Combine(directory.Path, "trainer.ckpt");
        const int Epochs = 4;

        var straight = new CheckpointRun("LeakyNet", 96, 16, seed: 3);
        var straightLosses = new List<float>();
        new Trainer(straight.Network, new CrossEntropyLoss(), straight.Optimizer)
            .Fit(straight.Loader, null, Epochs, progress: new BatchLosses(straightLosses));

        var first = new CheckpointRun("LeakyNet", 96, 16, seed: 3);
        var losses = new List<float>();
        new Trainer(first.Network, new CrossEntropyLoss(), first.Optimizer)
            .Fit(first.Loader, null, epochs: 2, progress: new BatchLosses(losses), checkpoint: new CheckpointOptions(path));

        var resumed = new CheckpointRun("LeakyNet", 96, 16, seed: 4);
        TrainingHistory history = new Trainer(resumed.Network, new CrossEntropyLoss(), resumed.Optimizer)
            .Fit(resumed.Loader, null, Epochs, progress: new BatchLosses(losses), checkpoint: new CheckpointOptions(path, resume: true));

        Assert.Equal([3, 4], history.Epochs.Select(e => e.Epoch));
        CheckpointRun.AssertBits(straightLosses, losses, "per-step losses");
        straight.Capture().AssertBitwiseEqual(resumed.Capture());

        // The last epoch wrote the final checkpoint, with the run's counters.
        var check = new CheckpointRun("LeakyNet", 96, 16, seed: 5);
        Assert.Equal((Epochs, (long)Epochs * first.Loader.Count), Checkpoint.Load(path, check.Network, check.Optimizer, check.Loader));
        straight.Capture().AssertBitwiseEqual(check.Capture());
    }

    [Fact]
    public void Trainer_writes_every_n_epochs_and_after_the_last()
    {
        using var directory = new TempDirectory();
        string path = Path.Combine(directory.Path, "every.ckpt");
        var run = new CheckpointRun("SeedNet", 40, 8, seed: 1);
        // At each epoch's report, the epoch the file on disk was saved after (0: no file yet).
        var savedEpochs = new List<int>();
        var epochs = new Callback(p =>
        {
            if (p.Kind != ProgressKind.Epoch) return;
            var scratch = new CheckpointRun("SeedNet", 40, 8, seed: 9);
            savedEpochs.Add(File.Exists(path) ? Checkpoint.Load(path, scratch.Network, scratch.Optimizer, scratch.Loader).Epoch : 0);
        });
        new Trainer(run.Network, new CrossEntropyLoss(), run.Optimizer)
            .Fit(run.Loader, null, epochs: 5, progress: epochs, checkpoint: new CheckpointOptions(path, everyEpochs: 2));

        Assert.Equal([0, 2, 2, 4, 5], savedEpochs);
        var check = new CheckpointRun("SeedNet", 40, 8, seed: 9);
        Assert.Equal((5, 5L * run.Loader.Count), Checkpoint.Load(path, check.Network, check.Optimizer, check.Loader));
        run.Capture().AssertBitwiseEqual(check.Capture());
        Assert.Single(Directory.GetFiles(directory.Path));
    }

    [Fact]
    public void Trainer_checkpoints_hold_any_optimizer_and_resume_it_bit_for_bit()
    {
        using var directory = new TempDirectory();
        string path = Path.Combine(directory.Path, "sign.ckpt");
        var straight = new CheckpointRun("SeedNet", 40, 8, seed: 1);
        var straightOptimizer = new SignSgd(straight.Network, 0.01f);
        new Trainer(straight.Network, new CrossEntropyLoss(), straightOptimizer).Fit(straight.Loader, null, epochs: 4);

        // Two epochs, then a fresh network, optimizer and loader (seeded differently) resume from the checkpoint.
        var first = new CheckpointRun("SeedNet", 40, 8, seed: 1);
        new Trainer(first.Network, new CrossEntropyLoss(), new SignSgd(first.Network, 0.01f))
            .Fit(first.Loader, null, epochs: 2, checkpoint: new CheckpointOptions(path));
        var resumed = new CheckpointRun("SeedNet", 40, 8, seed: 2);
        var resumedOptimizer = new SignSgd(resumed.Network, 0.01f);
        new Trainer(resumed.Network, new CrossEntropyLoss(), resumedOptimizer)
            .Fit(resumed.Loader, null, epochs: 4, checkpoint: new CheckpointOptions(path, resume: true));

        Assert.Equal(straightOptimizer.Steps, resumedOptimizer.Steps);
        Assert.Equal(
            MemoryMarshal.Cast<float, int>(straight.Network.Parameters).ToArray(),
            MemoryMarshal.Cast<float, int>(resumed.Network.Parameters).ToArray());
        Assert.Equal("everyEpochs", Assert.Throws<ArgumentOutOfRangeException>(() => new CheckpointOptions("x", everyEpochs: 0)).ParamName);
    }

    [Fact]
    public void Trainer_refuses_an_optimizer_of_another_network()
    {
        var run = new CheckpointRun("SeedNet", 40, 8, seed: 1);
        var error = Assert.Throws<ArgumentException>(() => new Trainer(run.Network, new CrossEntropyLoss(), new SignSgd(new SeedNet(3), 0.01f)));
        Assert.Equal("optimizer", error.ParamName);
        Assert.Contains("another network", error.Message);
    }

    /// <summary>
    /// An optimizer this library does not have, written as a user would: p −= lr · sign(g), counting its steps, its
    /// state the step count and the learning rate.
    /// </summary>
    private sealed class SignSgd(INetwork network, float lr) : IOptimizer
    {
        public INetwork Network { get; } = network;

        public float Lr { get; set; } = lr;

        public long Steps { get; private set; }

        public void ZeroGrad() => Network.Gradients.Clear();

        public void Step()
        {
            Span<float> parameters = Network.Parameters;
            ReadOnlySpan<float> gradients = Network.Gradients;
            for (int i = 0; i < parameters.Length; i++)
            {
                parameters[i] -= Lr * MathF.Sign(gradients[i]);
            }
            Steps++;
        }

        public StateDict StateDict()
        {
            var state = new StateDict();
            state.Add("kind", "SignSgd");
            state.Add("lr", (double)Lr);
            state.Add("steps", Steps);
            return state;
        }

        public IReadOnlyList<string> CheckStateDict(StateDict state) =>
            state["kind"] is "SignSgd" && state["lr"] is double && state["steps"] is long ? [] : ["it is not a SignSgd state"];

        public void LoadStateDict(StateDict state)
        {
            Lr = (float)state.Number("lr");
            Steps = state.Integer("steps");
        }
    }

    private sealed class BatchLosses(List<float> losses) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value)
        {
            if (value.Kind == ProgressKind.Batch) losses.Add(value.Loss);
        }
    }

    private sealed class Callback(Action<TrainingProgress> action) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => action(value);
    }
}
