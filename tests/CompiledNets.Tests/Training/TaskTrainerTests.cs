using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Xunit;

namespace CompiledNets.Tests;

/// <summary>Trainer with float targets (regression, binary), schedules, plateaus, early stopping on any metric, and resuming.</summary>
public sealed class TaskTrainerTests
{
    // y = x0 − 2·x1 + 0.5·x2² + noise: a smooth target the 3 → 16 → 1 network can learn.
    private static Dataset Regression(int count, int seed)
    {
        float[] x = TestData.Normal(count * 3, seed);
        float[] noise = TestData.Normal(count, seed + 1000, scale: 0.1f);
        var y = new float[count];
        for (int i = 0; i < count; i++) y[i] = x[3 * i] - 2 * x[3 * i + 1] + 0.5f * x[3 * i + 2] * x[3 * i + 2] + noise[i];
        return new Dataset(x, y, featureCount: 3, targetNames: ["y"]);
    }

    // Positive when x0 + x1 + noise > 0, as floats 0/1; about one sample in four is positive (imbalanced).
    private static Dataset Binary(int count, int seed)
    {
        float[] x = TestData.Normal(count * 3, seed);
        float[] noise = TestData.Normal(count, seed + 1000, scale: 0.5f);
        var y = new float[count];
        for (int i = 0; i < count; i++) y[i] = x[3 * i] + x[3 * i + 1] + noise[i] > 1f ? 1f : 0f;
        return new Dataset(x, y, featureCount: 3);
    }

    private static float[] Predictions(INetwork net, Dataset data)
    {
        var outputs = new float[data.Count * net.OutputSize];
        using (net.NoGrad())
        {
            net.Forward(data.Features).Data.CopyTo(outputs);
        }
        return outputs;
    }

    [Fact]
    public void Regression_training_equals_the_hand_written_loop_bit_for_bit_and_reports_scikit_learn_metrics()
    {
        Dataset train = Regression(96, seed: 1), validation = Regression(40, seed: 2);

        var net = new RegressionNet(seed: 3);
        var optimizer = new Adam(net, lr: 0.01f);
        var trainer = new Trainer(net, new MSELoss(), optimizer)
        {
            Scheduler = new OneCycleLR(optimizer, maxLr: 0.02, totalSteps: 8 * 6),
            SchedulerInterval = SchedulerInterval.Batch,
        };
        Assert.Equal(TaskKind.Regression, trainer.Task);
        TrainingHistory history = trainer.Fit(new DataLoader(train, 16, shuffle: true, seed: 4), new DataLoader(validation, 16), epochs: 8);

        // The same run written as the PyTorch loop.
        var reference = new RegressionNet(seed: 3);
        var referenceOptimizer = new Adam(reference, lr: 0.01f);
        var schedule = new OneCycleLR(referenceOptimizer, maxLr: 0.02, totalSteps: 8 * 6);
        var loader = new DataLoader(train, 16, shuffle: true, seed: 4);
        var mse = new MSELoss();
        var learningRates = new List<double>();
        for (int epoch = 0; epoch < 8; epoch++)
        {
            learningRates.Add(referenceOptimizer.Lr);
            var predicted = new List<float>();
            var actual = new List<float>();
            foreach (var (inputs, targets) in loader)
            {
                referenceOptimizer.ZeroGrad();
                var outputs = reference.Forward(inputs);
                predicted.AddRange(outputs.Data.ToArray());
                actual.AddRange(targets.Values.ToArray());
                var loss = mse.Forward(outputs, targets);
                loss.Backward();
                referenceOptimizer.Step();
                schedule.Step();
            }
            EpochResult result = history.Epochs[epoch];
            Assert.Equal(RegressionMetrics.MeanAbsoluteError(actual.ToArray(), predicted.ToArray()), result.Train.MeanAbsoluteError, 1e-12);
            Assert.Equal(RegressionMetrics.R2Score(actual.ToArray(), predicted.ToArray()), result.Train.R2Score, 1e-12);
        }
        Assert.Equal(reference.Parameters.ToArray(), net.Parameters.ToArray());
        Assert.Equal(learningRates, history.Epochs.Select(e => e.LearningRate));

        // Validation metrics: scikit-learn's formulas over the validation predictions after the last epoch.
        float[] predictions = Predictions(net, validation);
        EpochMetrics last = history.Epochs[^1].Validation;
        Assert.Equal(RegressionMetrics.MeanAbsoluteError(validation.Targets, predictions), last.MeanAbsoluteError, 1e-12);
        Assert.Equal(RegressionMetrics.MeanSquaredError(validation.Targets, predictions), last.MeanSquaredError, 1e-12);
        Assert.Equal(RegressionMetrics.RootMeanSquaredError(validation.Targets, predictions), last.RootMeanSquaredError, 1e-12);
        Assert.Equal(RegressionMetrics.R2Score(validation.Targets, predictions), last.R2Score, 1e-12);
        Assert.Equal((float)last.MeanSquaredError, last.Loss, 1e-5f);
        Assert.True(float.IsNaN(last.Accuracy) && double.IsNaN(last.RocAuc));
        Assert.True(last.R2Score > 0.5, $"R² {last.R2Score}");
        Assert.True(history.Epochs[^1].ValidationLoss < history.Epochs[0].ValidationLoss);
        Assert.Equal(last, trainer.Evaluate(new DataLoader(validation, 7)) with { Loss = last.Loss });
    }

    [Fact]
    public void Binary_training_reports_accuracy_and_roc_auc_as_scikit_learn()
    {
        Dataset train = Binary(200, seed: 11), validation = Binary(80, seed: 12);
        var net = new RegressionNet(seed: 13);
        var trainer = new Trainer(net, new BCEWithLogitsLoss(posWeight: [3f]), new Adam(net, lr: 0.02f));
        Assert.Equal(TaskKind.Binary, trainer.Task);
        TrainingHistory history = trainer.Fit(new DataLoader(train, 32, shuffle: true, seed: 1), new DataLoader(validation, 32), epochs: 30);

        float[] logits = Predictions(net, validation);
        int[] labels = validation.Targets.ToArray().Select(t => (int)t).ToArray();
        EpochMetrics last = history.Epochs[^1].Validation;
        Assert.Equal(BinaryMetrics.RocAuc(labels, logits), last.RocAuc, 1e-12);
        Assert.Equal(labels.Zip(logits).Count(p => (p.Second > 0) == (p.First == 1)) / 80f, last.Accuracy, 1e-6f);
        Assert.True(last.RocAuc > 0.85, $"ROC AUC {last.RocAuc}");
        Assert.True(double.IsNaN(last.R2Score));
        Assert.True(history.Epochs[^1].Train.RocAuc > 0.5);

        // One class only: no ROC AUC, as scikit-learn refuses it.
        var allNegative = new Dataset(validation.Features.ToArray(), new float[80], 3);
        Assert.True(double.IsNaN(trainer.Evaluate(new DataLoader(allNegative, 32)).RocAuc));
    }

    [Fact]
    public void Early_stopping_watches_any_metric_in_its_direction()
    {
        Dataset train = Regression(64, seed: 21), validation = Regression(32, seed: 22);
        foreach (MonitoredMetric metric in new[] { MonitoredMetric.ValidationR2Score, MonitoredMetric.ValidationMeanAbsoluteError, MonitoredMetric.TrainLoss })
        {
            var net = new RegressionNet(seed: 23);
            var trainer = new Trainer(net, new HuberLoss(), new Adam(net, lr: 0.05f));
            var weights = new List<float[]>();
            var progress = new Progress(result => weights.Add(net.Parameters.ToArray()));
            TrainingHistory history = trainer.Fit(
                new DataLoader(train, 8, shuffle: true, seed: 2), new DataLoader(validation, 32), epochs: 400, new EarlyStopping(patience: 4, metric), progress);

            double[] values = history.Epochs.Select(e => e[metric]).ToArray();
            double best = metric.HigherIsBetter() ? values.Max() : values.Min();
            Assert.Equal(best, values[history.BestEpoch - 1]);
            Assert.True(history.StoppedEarly, $"{metric} never stopped");
            Assert.Equal(history.BestEpoch + 4, history.Epochs.Count);
            Assert.True(history.Epochs[history.BestEpoch - 1].IsBest);
            Assert.Equal(weights[history.BestEpoch - 1], net.Parameters.ToArray());
        }
    }

    private sealed class Progress(Action<EpochResult> onEpoch) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value)
        {
            if (value.Result is { } result) onEpoch(result);
        }
    }

    [Fact]
    public void A_metric_the_task_does_not_report_is_refused_before_training()
    {
        var net = new RegressionNet(seed: 1);
        var trainer = new Trainer(net, new MSELoss(), new Adam(net));
        var loader = new DataLoader(Regression(16, 1), 8);
        float[] before = net.Parameters.ToArray();
        var accuracy = Assert.Throws<ArgumentException>(() => trainer.Fit(loader, loader, 3, new EarlyStopping(2, MonitoredMetric.ValidationAccuracy)));
        Assert.Equal("earlyStopping", accuracy.ParamName);
        Assert.Contains("ValidationAccuracy, which a Regression run does not report", accuracy.Message);
        var noValidation = Assert.Throws<ArgumentException>(() => trainer.Fit(loader, null, 3, new EarlyStopping(2, MonitoredMetric.ValidationR2Score)));
        Assert.Equal("validation", noValidation.ParamName);
        // A training metric needs no validation set.
        trainer.Fit(loader, null, 2, new EarlyStopping(5, MonitoredMetric.TrainMeanSquaredError));

        var classifier = new SeedNet(seed: 1);
        var classTrainer = new Trainer(classifier, new CrossEntropyLoss(), new Sgd(classifier, 0.1f));
        var labels = new DataLoader(TestData.Normal(20 * 10, 1), TestData.Labels(20, 2, 2), 10);
        Assert.Contains("ValidationRocAuc, which a Classification run does not report",
            Assert.Throws<ArgumentException>(() => classTrainer.Fit(labels, labels, 2, new EarlyStopping(2, MonitoredMetric.ValidationRocAuc))).Message);
        Assert.NotEqual(before, net.Parameters.ToArray());
    }

    [Fact]
    public void Loaders_criteria_and_schedules_that_do_not_fit_are_refused_naming_the_argument()
    {
        var net = new RegressionNet(seed: 1);
        var optimizer = new Adam(net);
        var floats = new DataLoader(Regression(16, 1), 8);
        var labels = new DataLoader(TestData.Normal(16 * 3, 1), TestData.Labels(16, 1, 2), 8);

        var wrongKind = Assert.Throws<ArgumentException>(() => new Trainer(net, new MSELoss(), optimizer).Fit(labels, null, 1));
        Assert.Equal("train", wrongKind.ParamName);
        Assert.Contains("Expected float targets for MSELoss but the train loader holds class labels", wrongKind.Message);
        var wrongKind2 = Assert.Throws<ArgumentException>(() => new Trainer(net, new CrossEntropyLoss(), optimizer).Fit(floats, null, 1));
        Assert.Contains("Expected class labels for CrossEntropyLoss but the train loader holds 1 float target(s)", wrongKind2.Message);

        var twoTargets = new DataLoader(TestData.Normal(16 * 3, 1), TestData.Normal(32, 2), 8, targetCount: 2);
        var wrongCount = Assert.Throws<ArgumentException>(() => new Trainer(net, new L1Loss(), optimizer).Fit(floats, twoTargets, 1));
        Assert.Equal("validation", wrongCount.ParamName);
        Assert.Contains("Expected 1 targets per sample", wrongCount.Message);

        Assert.Equal("criterion", Assert.Throws<ArgumentException>(() => new Trainer(net, new MSELoss(Reduction.None), optimizer)).ParamName);
        var other = new Adam(new RegressionNet(seed: 2));
        Assert.Equal("Scheduler", Assert.Throws<ArgumentException>(() => new Trainer(net, new MSELoss(), optimizer) { Scheduler = new StepLR(other, 2) }).ParamName);
        Assert.Equal("Plateau", Assert.Throws<ArgumentException>(() => new Trainer(net, new MSELoss(), optimizer) { Plateau = new ReduceLROnPlateau(other) }).ParamName);
    }

    [Fact]
    public void Epoch_schedules_and_plateaus_step_after_each_epoch_as_in_PyTorch()
    {
        Dataset train = Regression(48, seed: 31), validation = Regression(16, seed: 32);
        var net = new RegressionNet(seed: 33);
        var optimizer = new Sgd(net, lr: 0.05f, momentum: 0.9f);
        var trainer = new Trainer(net, new MSELoss(), optimizer)
        {
            Scheduler = new StepLR(optimizer, stepSize: 3, gamma: 0.5),
            Plateau = new ReduceLROnPlateau(optimizer, patience: 1, factor: 0.1),
            PlateauMetric = MonitoredMetric.ValidationLoss,
        };
        TrainingHistory history = trainer.Fit(new DataLoader(train, 16, shuffle: true, seed: 1), new DataLoader(validation, 16), epochs: 12);

        // Replay the epochs' validation losses through the same two schedules on their own.
        var replayNet = new RegressionNet(seed: 33);
        var replay = new Sgd(replayNet, lr: 0.05f, momentum: 0.9f);
        var step = new StepLR(replay, stepSize: 3, gamma: 0.5);
        var plateau = new ReduceLROnPlateau(replay, patience: 1, factor: 0.1);
        foreach (EpochResult epoch in history.Epochs)
        {
            Assert.Equal(replay.Lr, epoch.LearningRate);
            step.Step();
            plateau.Step(epoch.ValidationLoss);
        }
        Assert.Equal(replay.Lr, optimizer.Lr);
        Assert.True(optimizer.Lr < 0.05f * 0.5f * 0.5f * 0.5f);
    }

    [Fact]
    public void A_resumed_run_with_a_schedule_and_early_stopping_continues_bit_for_bit()
    {
        using var directory = new TempDirectory();
        string path = Path.Combine(directory.Path, "run.ckpt");
        Dataset train = Regression(64, seed: 41), validation = Regression(24, seed: 42);

        (TrainingHistory History, float[] Parameters, double Lr, float Beta1) Run(int epochs, bool resume, int loaderSeed)
        {
            var net = new RegressionNet(seed: 43);
            var optimizer = new Adam(net, lr: 0.01f);
            var trainer = new Trainer(net, new SmoothL1Loss(), optimizer)
            {
                Scheduler = new OneCycleLR(optimizer, maxLr: 0.05, totalSteps: 4 * 40),
                SchedulerInterval = SchedulerInterval.Batch,
                // Beside the one-cycle schedule, a plateau that halves whatever rate it finds: both states are saved.
                Plateau = new ReduceLROnPlateau(optimizer, factor: 0.5, patience: 1),
                PlateauMetric = MonitoredMetric.TrainLoss,
            };
            var history = trainer.Fit(
                new DataLoader(train, 16, shuffle: true, seed: loaderSeed), new DataLoader(validation, 24), epochs,
                new EarlyStopping(patience: 3, MonitoredMetric.ValidationR2Score, minDelta: 0.002f), checkpoint: new CheckpointOptions(path, resume: resume));
            return (history, net.Parameters.ToArray(), optimizer.Lr, optimizer.Beta1);
        }

        var straight = Run(40, resume: false, loaderSeed: 7);
        File.Delete(path);
        var firstPart = Run(6, resume: false, loaderSeed: 7);
        // Another loader seed: the resumed run must take its order from the checkpoint.
        var resumed = Run(40, resume: true, loaderSeed: 99);

        Assert.True(straight.History.StoppedEarly);
        Assert.True(straight.History.Epochs.Count > 8, $"stopped after {straight.History.Epochs.Count} epochs");
        Assert.Equal(straight.Parameters, resumed.Parameters);
        Assert.Equal(straight.Lr, resumed.Lr);
        Assert.Equal(straight.Beta1, resumed.Beta1);
        Assert.Equal(straight.History.BestEpoch, resumed.History.BestEpoch);
        Assert.Equal(straight.History.RestoredBestWeights, resumed.History.RestoredBestWeights);
        Assert.Equal(
            straight.History.Epochs.Skip(6).Select(e => (e.Epoch, e.Train with { }, e.Validation, e.LearningRate, e.IsBest)),
            resumed.History.Epochs.Select(e => (e.Epoch, e.Train with { }, e.Validation, e.LearningRate, e.IsBest)));
        Assert.Equal(6, firstPart.History.Epochs.Count);
    }

    [Fact]
    public void A_checkpoint_and_a_schedule_must_belong_together()
    {
        using var directory = new TempDirectory();
        string path = Path.Combine(directory.Path, "run.ckpt");
        var net = new RegressionNet(seed: 1);
        var optimizer = new Adam(net, lr: 0.01f);
        var loader = new DataLoader(Regression(16, 1), 8, shuffle: true, seed: 1);
        Checkpoint.Save(path, net, optimizer, loader, epoch: 1, step: 2, new StepLR(optimizer, stepSize: 5));

        float[] before = net.Parameters.ToArray();
        var missing = Assert.Throws<InvalidDataException>(() => Checkpoint.Load(path, net, optimizer, loader));
        Assert.Contains("it holds scheduler state (StepLR) but none was given to restore it into; pass the scheduler", missing.Message);
        var other = Assert.Throws<InvalidDataException>(() => Checkpoint.Load(path, net, optimizer, loader, new StepLR(optimizer, stepSize: 6)));
        Assert.Contains("scheduler: it was saved with StepLR(step_size=5, gamma=0.1) but the schedule is StepLR(step_size=6, gamma=0.1)", other.Message);
        var kind = Assert.Throws<InvalidDataException>(() => Checkpoint.Load(path, net, optimizer, loader, new ExponentialLR(optimizer, gamma: 0.9)));
        Assert.Contains("scheduler:", kind.Message);
        Assert.Equal(before, net.Parameters.ToArray());

        var schedule = new StepLR(optimizer, stepSize: 5);
        Assert.Equal((1, 2L), Checkpoint.Load(path, net, optimizer, loader, schedule));

        Checkpoint.Save(path, net, optimizer, loader, epoch: 1, step: 2);
        var unexpected = Assert.Throws<InvalidDataException>(() => Checkpoint.Load(path, net, optimizer, loader, schedule));
        Assert.Contains("it holds no scheduler state, but a StepLR was given", unexpected.Message);
    }
}

/// <summary>What the review of the trainer found: each case a run that went wrong before.</summary>
public sealed class TrainerEdgeCaseTests
{
    private static Dataset Regression(int count, int seed)
    {
        float[] x = TestData.Normal(count * 3, seed);
        var y = new float[count];
        for (int i = 0; i < count; i++) y[i] = x[3 * i] - 2 * x[3 * i + 1];
        return new Dataset(x, y, featureCount: 3);
    }

    [Fact]
    public void Early_stopping_without_restoring_weights_keeps_the_last_ones()
    {
        var net = new RegressionNet(seed: 1);
        var trainer = new Trainer(net, new MSELoss(), new Adam(net, lr: 0.05f));
        var history = trainer.Fit(new DataLoader(Regression(32, 1), 8, shuffle: true, seed: 1), new DataLoader(Regression(16, 2), 16), 300,
            new EarlyStopping(patience: 3, minDelta: 1e-3f, restoreBestWeights: false));
        Assert.True(history.StoppedEarly);
        Assert.False(history.RestoredBestWeights);
    }

    [Fact]
    public void Resuming_a_run_that_stopped_takes_no_step_and_ends_with_its_best_weights()
    {
        using var directory = new TempDirectory();
        string path = Path.Combine(directory.Path, "done.ckpt");
        Dataset train = Regression(32, 3), validation = Regression(16, 4);
        (TrainingHistory, float[]) Run()
        {
            var net = new RegressionNet(seed: 2);
            var trainer = new Trainer(net, new MSELoss(), new Adam(net, lr: 0.05f));
            var history = trainer.Fit(new DataLoader(train, 8, shuffle: true, seed: 1), new DataLoader(validation, 16), 300,
                new EarlyStopping(patience: 3, minDelta: 1e-3f), checkpoint: new CheckpointOptions(path, resume: true));
            return (history, net.Parameters.ToArray());
        }
        var (first, weights) = Run();
        Assert.True(first.StoppedEarly && first.RestoredBestWeights);
        long written = File.GetLastWriteTimeUtc(path).Ticks;
        var (again, againWeights) = Run();
        Assert.Empty(again.Epochs);
        Assert.True(again.StoppedEarly);
        Assert.Equal(first.BestEpoch, again.BestEpoch);
        Assert.Equal(weights, againWeights);
        Assert.Equal(written, File.GetLastWriteTimeUtc(path).Ticks);
    }

    [Fact]
    public void Ignored_labels_count_neither_in_the_loss_nor_in_the_accuracy()
    {
        var net = new SeedNet(seed: 3);
        float[] inputs = TestData.Normal(6 * SeedNet.InputSize, seed: 5);
        // The second batch is all ignored: PyTorch's mean is NaN there, with a zero gradient.
        int[] labels = [0, 1, -100, -100, 1, -100];
        var trainer = new Trainer(net, new CrossEntropyLoss(), new Sgd(net, lr: 0.1f));
        var loader = new DataLoader(inputs, labels, batchSize: 2);
        TrainingHistory history = trainer.Fit(loader, loader, epochs: 2);
        EpochMetrics measured = trainer.Evaluate(loader);
        Assert.True(float.IsFinite(history.Epochs[^1].TrainLoss));

        // By hand: the three counted samples.
        var outputs = new float[6 * 2];
        using (net.NoGrad()) net.Forward(inputs).Data.CopyTo(outputs);
        double loss = 0;
        int right = 0;
        foreach (int i in new[] { 0, 1, 4 })
        {
            float a = outputs[2 * i], b = outputs[2 * i + 1];
            float max = Math.Max(a, b);
            double logSum = max + Math.Log(Math.Exp(a - max) + Math.Exp(b - max));
            loss += logSum - outputs[2 * i + labels[i]];
            if ((b > a ? 1 : 0) == labels[i]) right++;
        }
        Assert.Equal(loss / 3, measured.Loss, 1e-5);
        Assert.Equal(right / 3f, measured.Accuracy);
    }

    [Fact]
    public void A_metric_that_would_be_undefined_or_a_plateau_of_the_wrong_direction_is_refused()
    {
        var net = new RegressionNet(seed: 1);
        var optimizer = new Adam(net);
        var floats = new DataLoader(Regression(16, 1), 8);
        var oneSample = new DataLoader(Regression(1, 2), 8);
        var regression = new Trainer(net, new MSELoss(), optimizer);
        Assert.Equal("validation", Assert.Throws<ArgumentException>(() => regression.Fit(floats, oneSample, 2, new EarlyStopping(2, MonitoredMetric.ValidationR2Score))).ParamName);
        var wrongWay = new Trainer(net, new MSELoss(), optimizer) { Plateau = new ReduceLROnPlateau(optimizer), PlateauMetric = MonitoredMetric.ValidationR2Score };
        Assert.Contains("use PlateauMode.Max", Assert.Throws<ArgumentException>(() => wrongWay.Fit(floats, floats, 2)).Message);

        var binary = new Trainer(net, new BCEWithLogitsLoss(), optimizer);
        var negatives = new DataLoader(new Dataset(TestData.Normal(8 * 3, 3), new float[8], 3), 8);
        var both = new DataLoader(new Dataset(TestData.Normal(8 * 3, 4), [0, 1, 0, 1, 0, 1, 0, 1f], 3), 8);
        var auc = Assert.Throws<ArgumentException>(() => binary.Fit(both, negatives, 2, new EarlyStopping(2, MonitoredMetric.ValidationRocAuc)));
        Assert.Contains("holds only negative targets", auc.Message);
        binary.Fit(both, both, 1, new EarlyStopping(2, MonitoredMetric.ValidationRocAuc));
    }

    [Fact]
    public void A_checkpoint_holds_a_schedule_and_a_plateau_together()
    {
        using var directory = new TempDirectory();
        string path = Path.Combine(directory.Path, "both.ckpt");
        var net = new RegressionNet(seed: 1);
        var optimizer = new Adam(net, lr: 0.01f);
        var loader = new DataLoader(Regression(16, 1), 8, shuffle: true, seed: 1);
        var schedule = new StepLR(optimizer, stepSize: 2);
        var plateau = new ReduceLROnPlateau(optimizer, patience: 0);
        schedule.Step();
        schedule.Step();
        plateau.Step(1.0);
        plateau.Step(2.0);
        Checkpoint.Save(path, net, optimizer, loader, 1, 2, schedule, plateau);

        var other = new Adam(net, lr: 0.01f);
        var otherSchedule = new StepLR(other, stepSize: 2);
        var otherPlateau = new ReduceLROnPlateau(other, patience: 0);
        Checkpoint.Load(path, net, other, loader, otherSchedule, otherPlateau);
        Assert.Equal(schedule.LastEpoch, otherSchedule.LastEpoch);
        Assert.Equal(plateau.Best, otherPlateau.Best);
        Assert.Equal(optimizer.Lr, other.Lr);
        Assert.Contains("pass the plateau", Assert.Throws<InvalidDataException>(() => Checkpoint.Load(path, net, other, loader, otherSchedule)).Message);
    }
}
