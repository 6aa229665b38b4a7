using System;
using System.IO;
using Xunit;

namespace CompiledNets.Tests;

/// <summary>
/// A NaN or infinite loss stops <see cref="Trainer.Fit"/> before the optimizer steps, with an exception naming the
/// epoch and step; the parameters are those after the last good step and the last checkpoint is left as it was.
/// </summary>
public sealed class TrainingDivergenceTests
{
    [Fact]
    public void Inputs_that_overflow_stop_training_and_keep_the_last_checkpoint()
    {
        using var directory = new TempDirectory();
        string path = Path.Combine(directory.Path, "run.ckpt");
        var run = new CheckpointRun("SeedNet", 200, 16, seed: 1);
        byte[]? checkpointAfterEpoch2 = null;
        float[] lastGoodParameters = run.Network.Parameters.ToArray();
        long stepsReported = 0;
        var progress = new Callback(p =>
        {
            if (p.Kind == ProgressKind.Batch)
            {
                stepsReported++;
                lastGoodParameters = run.Network.Parameters.ToArray();
            }
            else if (p.Epoch == 2)
            {
                // The loader reads these arrays directly: from epoch 3 on, every feature sits at the float limit,
                // so the logits overflow and the loss is no longer finite.
                checkpointAfterEpoch2 = File.ReadAllBytes(path);
                for (int i = 0; i < run.Inputs.Length; i++) run.Inputs[i] = run.Inputs[i] >= 0 ? float.MaxValue : -float.MaxValue;
            }
        });
        var trainer = new Trainer(run.Network, new CrossEntropyLoss(), run.Optimizer);

        var error = Assert.Throws<TrainingDivergedException>(
            () => trainer.Fit(run.Loader, null, epochs: 5, progress: progress, checkpoint: new CheckpointOptions(path)));

        int batches = run.Loader.Count;
        Assert.Equal(3, error.Epoch);
        Assert.Equal(stepsReported + 1, error.Step);
        Assert.InRange(error.Step, 2L * batches + 1, 3L * batches);
        Assert.Equal(error.Step - 2L * batches, error.Batch);
        Assert.False(float.IsFinite(error.Loss));
        Assert.Equal(path, error.LastCheckpoint);
        string loss = error.Loss.ToString(System.Globalization.CultureInfo.InvariantCulture);
        Assert.StartsWith($"Training diverged in epoch 3 at step {error.Step} (batch {error.Batch} of {batches}): the loss is {loss}. ", error.Message);
        Assert.Contains($"the parameters are those after step {error.Step - 1}", error.Message);
        Assert.Contains($"The last checkpoint, {path}, was not overwritten.", error.Message);

        // The step was not taken: the parameters are the last good ones, and finite.
        CheckpointRun.AssertBits(lastGoodParameters, run.Network.Parameters.ToArray(), "parameters");
        Assert.True(Array.TrueForAll(lastGoodParameters, float.IsFinite));

        // The checkpoint of epoch 2 is untouched and still loads.
        Assert.NotNull(checkpointAfterEpoch2);
        Assert.Equal(checkpointAfterEpoch2, File.ReadAllBytes(path));
        var check = new CheckpointRun("SeedNet", 200, 16, seed: 5);
        Assert.Equal((2, 2L * batches), Checkpoint.Load(path, check.Network, check.Optimizer, check.Loader));
        Assert.Single(Directory.GetFiles(directory.Path));
    }

    [Fact]
    public void A_huge_learning_rate_stops_at_the_first_non_finite_loss()
    {
        // One step with lr = 1e30 leaves huge but finite weights; the next forward pass overflows.
        var run = new CheckpointRun("SeedNet", 64, 16, seed: 1, lr: 1e30f, momentum: 0f);
        float[] lastGoodParameters = run.Network.Parameters.ToArray();
        long stepsReported = 0;
        var progress = new Callback(p =>
        {
            if (p.Kind != ProgressKind.Batch) return;
            stepsReported++;
            lastGoodParameters = run.Network.Parameters.ToArray();
        });
        var trainer = new Trainer(run.Network, new CrossEntropyLoss(), run.Optimizer);

        var error = Assert.Throws<TrainingDivergedException>(() => trainer.Fit(run.Loader, null, epochs: 3, progress: progress));

        Assert.Equal(1, error.Epoch);
        Assert.Equal(stepsReported + 1, error.Step);
        Assert.InRange(error.Step, 2, 4);
        Assert.Null(error.LastCheckpoint);
        Assert.DoesNotContain("checkpoint", error.Message);
        CheckpointRun.AssertBits(lastGoodParameters, run.Network.Parameters.ToArray(), "parameters");
        Assert.True(Array.TrueForAll(lastGoodParameters, float.IsFinite));
    }

    private sealed class Callback(Action<TrainingProgress> action) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => action(value);
    }
}
