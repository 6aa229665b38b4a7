using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Xunit;

namespace CompiledNets.Tests;

public sealed class TrainerTests
{
    // Labels that are pure noise: the network memorizes the training set and validation loss rises.
    private static (DataLoader Train, DataLoader Validation) NoiseTask()
    {
        float[] trainInputs = TestData.Normal(64 * LeakyNet.InputSize, seed: 1);
        float[] validationInputs = TestData.Normal(64 * LeakyNet.InputSize, seed: 2);
        return (
            new DataLoader(trainInputs, TestData.Labels(64, LeakyNet.OutputSize, seed: 3), batchSize: 16, shuffle: true, seed: 4),
            new DataLoader(validationInputs, TestData.Labels(64, LeakyNet.OutputSize, seed: 5), batchSize: 32));
    }

    /// <summary>Records the parameters after every epoch through the progress callback.</summary>
    private sealed class Recorder(INetwork net) : IProgress<TrainingProgress>
    {
        public readonly List<float[]> WeightsAfterEpoch = [];
        public int Batches;

        public void Report(TrainingProgress value)
        {
            if (value.Kind == ProgressKind.Batch) Batches++;
            else WeightsAfterEpoch.Add(net.Parameters.ToArray());
        }
    }

    [Fact]
    public void Early_stopping_stops_after_patience_and_restores_the_best_weights()
    {
        var net = new LeakyNet(seed: 0);
        var (train, validation) = NoiseTask();
        var trainer = new Trainer(net, new CrossEntropyLoss(), new Sgd(net, lr: 0.1f, momentum: 0.9f));
        var recorder = new Recorder(net);

        TrainingHistory history = trainer.Fit(train, validation, epochs: 200, new EarlyStopping(patience: 5), recorder);

        Assert.True(history.StoppedEarly);
        Assert.Equal(history.BestEpoch + 5, history.Epochs.Count);
        float bestLoss = history.Epochs.Min(e => e.ValidationLoss);
        Assert.Equal(bestLoss, history.Epochs[history.BestEpoch - 1].ValidationLoss);
        Assert.True(history.RestoredBestWeights);
        Assert.Equal(recorder.WeightsAfterEpoch[history.BestEpoch - 1], net.Parameters.ToArray());
        Assert.NotEqual(recorder.WeightsAfterEpoch[^1], net.Parameters.ToArray());
        Assert.Equal(history.Epochs.Count * train.Count, recorder.Batches);

        // The restored network measures what the best epoch measured.
        var (loss, accuracy) = trainer.Evaluate(validation);
        Assert.Equal(bestLoss, loss, 1e-6f);
        Assert.Equal(history.Epochs[history.BestEpoch - 1].ValidationAccuracy, accuracy);
    }

    [Fact]
    public void Monitoring_accuracy_keeps_the_most_accurate_epoch()
    {
        var net = new LeakyNet(seed: 1);
        var (train, validation) = NoiseTask();
        var trainer = new Trainer(net, new CrossEntropyLoss(), new Sgd(net, lr: 0.1f, momentum: 0.9f));
        TrainingHistory history = trainer.Fit(train, validation, epochs: 60, new EarlyStopping(patience: 8, MonitoredMetric.ValidationAccuracy));
        float bestAccuracy = history.Epochs.Max(e => e.ValidationAccuracy);
        Assert.Equal(bestAccuracy, history.Epochs[history.BestEpoch - 1].ValidationAccuracy);
        Assert.Equal(bestAccuracy, trainer.Evaluate(validation).Accuracy);
    }

    [Fact]
    public void Without_early_stopping_every_epoch_runs_and_the_loss_falls()
    {
        var net = new SeedNet(seed: 0);
        float[] inputs = TestData.Normal(200 * SeedNet.InputSize, seed: 7);
        int[] labels = Enumerable.Range(0, 200).Select(i => inputs[i * SeedNet.InputSize] > 0 ? 1 : 0).ToArray();
        var train = new DataLoader(inputs, labels, batchSize: 20, shuffle: true, seed: 1);
        var trainer = new Trainer(net, new CrossEntropyLoss(), new Sgd(net, lr: 0.1f));

        TrainingHistory history = trainer.Fit(train, validation: null, epochs: 15);

        Assert.Equal(15, history.Epochs.Count);
        Assert.False(history.StoppedEarly);
        Assert.Equal(15, history.BestEpoch);
        Assert.True(float.IsNaN(history.Epochs[0].ValidationLoss));
        Assert.True(history.Epochs[^1].TrainLoss < 0.5f * history.Epochs[0].TrainLoss);
        Assert.True(history.Epochs[^1].TrainAccuracy > 0.9f);
    }

    [Fact]
    public void Cancellation_stops_between_batches()
    {
        var net = new SeedNet(seed: 0);
        var train = new DataLoader(TestData.Normal(100 * SeedNet.InputSize, seed: 1), TestData.Labels(100, 2, seed: 2), batchSize: 10);
        var trainer = new Trainer(net, new CrossEntropyLoss(), new Sgd(net, lr: 0.1f));
        using var cancellation = new CancellationTokenSource();
        int batches = 0;
        var progress = new Callback(p =>
        {
            if (p.Kind == ProgressKind.Batch && ++batches == 3) cancellation.Cancel();
        });
        Assert.Throws<OperationCanceledException>(() => trainer.Fit(train, null, epochs: 5, progress: progress, cancellationToken: cancellation.Token));
        Assert.Equal(3, batches);
    }

    [Fact]
    public void Bad_arguments_name_the_argument()
    {
        var net = new SeedNet(seed: 0);
        var trainer = new Trainer(net, new CrossEntropyLoss(), new Sgd(net, lr: 0.1f));
        var train = new DataLoader(new float[40], new int[4], batchSize: 2);
        Assert.Equal("epochs", Assert.Throws<ArgumentOutOfRangeException>(() => trainer.Fit(train, null, epochs: 0)).ParamName);
        Assert.Equal("validation", Assert.Throws<ArgumentException>(() => trainer.Fit(train, null, 3, new EarlyStopping(2))).ParamName);
        var wrong = new DataLoader(new float[12], new int[4], batchSize: 2);
        var error = Assert.Throws<ArgumentException>(() => trainer.Fit(wrong, null, 1));
        Assert.Equal("train", error.ParamName);
        Assert.Contains("10 features", error.Message);
        Assert.Contains("has 3", error.Message);
        Assert.Equal("patience", Assert.Throws<ArgumentOutOfRangeException>(() => new EarlyStopping(0)).ParamName);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_bad_label_anywhere_in_either_loader_is_refused_before_the_first_step(bool inValidation)
    {
        // Label 5 of a 2-output network, only in the last batch of the training set or only in the validation set.
        var net = new SeedNet(seed: 0);
        var optimizer = new Sgd(net, lr: 0.1f, momentum: 0.9f);
        var trainer = new Trainer(net, new CrossEntropyLoss(), optimizer);
        float[] inputs = TestData.Normal(40 * SeedNet.InputSize, seed: 1);
        int[] trainLabels = TestData.Labels(40, SeedNet.OutputSize, seed: 2);
        int[] validationLabels = TestData.Labels(40, SeedNet.OutputSize, seed: 3);
        (inValidation ? validationLabels : trainLabels)[37] = 5;
        var train = new DataLoader(inputs, trainLabels, batchSize: 8, shuffle: true, seed: 4);
        var validation = new DataLoader(inputs, validationLabels, batchSize: 8);
        float[] before = net.Parameters.ToArray();
        int reports = 0;

        var error = Assert.Throws<ArgumentException>(() => trainer.Fit(train, validation, epochs: 2, progress: new Callback(_ => reports++)));
        string name = inValidation ? "validation" : "train";
        Assert.Equal(name, error.ParamName);
        Assert.Contains($"Expected every label in [0, 2) (one class per network output) but sample 37 of the {name} loader's dataset has label 5", error.Message);
        Assert.Equal(before, net.Parameters.ToArray());
        Assert.False(optimizer.HasMomentumBuffer);
        Assert.Equal(0, reports);

        var evaluate = Assert.Throws<ArgumentException>(() => trainer.Evaluate(inValidation ? validation : train));
        Assert.Equal("loader", evaluate.ParamName);
        Assert.Contains("sample 37", evaluate.Message);
    }

    [Fact]
    public void A_loader_with_a_batch_size_beyond_its_samples_trains_without_a_huge_buffer()
    {
        var net = new SeedNet(seed: 0);
        var trainer = new Trainer(net, new CrossEntropyLoss(), new Sgd(net, lr: 0.1f));
        var train = new DataLoader(TestData.Normal(12 * SeedNet.InputSize, seed: 1), TestData.Labels(12, 2, seed: 2), batchSize: int.MaxValue, shuffle: true);
        long allocated = GC.GetAllocatedBytesForCurrentThread();
        var history = trainer.Fit(train, train, epochs: 1);
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - allocated < 1 << 20);
        Assert.True(float.IsFinite(history.Epochs[0].TrainLoss));
    }

    private sealed class Callback(Action<TrainingProgress> action) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => action(value);
    }
}
