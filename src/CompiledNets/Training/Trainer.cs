using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Threading;

namespace CompiledNets;

/// <summary>
/// The training loop, written once, for users who would rather not write it: each epoch runs the
/// PyTorch loop (zero_grad, forward, loss, backward, step) over the training batches, then measures
/// the validation batches under <c>NoGrad</c>. It works with any criterion (class labels or float targets), any
/// optimizer, and an optional learning-rate schedule stepped per batch or per epoch; the metrics it reports follow the
/// task (<see cref="TaskKind"/>), and early stopping and <see cref="ReduceLROnPlateau"/> can watch any of them.
/// Checkpoints hold the optimizer's and the schedules' state, so a resumed run continues bit for bit. The explicit loop
/// stays first-class; this is that loop.
/// </summary>
/// <example>
/// <code>
/// var optimizer = new Adam(net, lr: 1e-3f);
/// var trainer = new Trainer(net, new MSELoss(), optimizer)
/// {
///     Scheduler = new StepLR(optimizer, stepSize: 30, gamma: 0.5),
/// };
/// var history = trainer.Fit(train, validation, epochs: 200, new EarlyStopping(20, MonitoredMetric.ValidationR2Score));
/// </code>
/// </example>
public sealed class Trainer
{
    private readonly INetwork _network;
    private readonly Criterion<int>? _labelCriterion;
    private readonly Criterion<float>? _valueCriterion;
    private readonly IOptimizer _optimizer;
    private readonly LRScheduler? _scheduler;
    private readonly ReduceLROnPlateau? _plateau;

    /// <summary>Creates a trainer of a classifier: a criterion of class labels such as <see cref="CrossEntropyLoss"/>.</summary>
    public Trainer(INetwork network, Criterion<int> criterion, IOptimizer optimizer)
        : this(network, optimizer, criterion, TaskKind.Classification)
    {
        _labelCriterion = criterion;
    }

    /// <summary>
    /// Creates a trainer for float targets: <see cref="BCEWithLogitsLoss"/> makes a binary (or multi-label) task, any
    /// other criterion of floats (<see cref="MSELoss"/>, <see cref="L1Loss"/>, <see cref="HuberLoss"/>, …) a regression.
    /// </summary>
    public Trainer(INetwork network, Criterion<float> criterion, IOptimizer optimizer)
        : this(network, optimizer, criterion, criterion is BCEWithLogitsLoss ? TaskKind.Binary : TaskKind.Regression)
    {
        _valueCriterion = criterion;
    }

    private Trainer(INetwork network, IOptimizer optimizer, object criterion, TaskKind task)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(criterion);
        ArgumentNullException.ThrowIfNull(optimizer);
        OptimizerChecks.ThrowIfNotOf(optimizer, network, nameof(optimizer));
        Reduction reduction = criterion is Criterion<int> labels ? labels.Reduction : ((Criterion<float>)criterion).Reduction;
        if (reduction == Reduction.None)
        {
            throw new ArgumentException(
                "Expected a criterion with Reduction.Mean or Reduction.Sum (the trainer steps on one number per batch) but got Reduction.None.", nameof(criterion));
        }
        _network = network;
        _optimizer = optimizer;
        Task = task;
        Reduction = reduction;
    }

    /// <summary>What the criterion makes of the run: which metrics each epoch reports.</summary>
    public TaskKind Task { get; }

    private Reduction Reduction { get; }

    /// <summary>
    /// A learning-rate schedule of the trainer's optimizer, stepped as <see cref="SchedulerInterval"/> says (after the
    /// optimizer's step, as PyTorch orders it); its state goes into checkpoints.
    /// </summary>
    public LRScheduler? Scheduler
    {
        get => _scheduler;
        init => _scheduler = OfThisOptimizer(value, value?.Optimizer, nameof(Scheduler));
    }

    /// <summary>Whether <see cref="Scheduler"/> steps after every epoch (the default) or after every batch.</summary>
    public SchedulerInterval SchedulerInterval
    {
        get;
        init => field = Enum.IsDefined(value) ? value : throw new ArgumentOutOfRangeException(nameof(SchedulerInterval), value, "Expected SchedulerInterval.Epoch or SchedulerInterval.Batch.");
    }

    /// <summary>
    /// A <see cref="ReduceLROnPlateau"/> of the trainer's optimizer, stepped after every epoch with
    /// <see cref="PlateauMetric"/>; its state goes into checkpoints. It may be used beside <see cref="Scheduler"/>.
    /// </summary>
    public ReduceLROnPlateau? Plateau
    {
        get => _plateau;
        init => _plateau = OfThisOptimizer(value, value?.Optimizer, nameof(Plateau));
    }

    /// <summary>The metric <see cref="Plateau"/> watches (validation loss by default); its mode should match the metric's direction.</summary>
    public MonitoredMetric PlateauMetric
    {
        get;
        init
        {
            MonitoredMetrics.ThrowIfUndefined(value, nameof(PlateauMetric));
            field = value;
        }
    }

    private T? OfThisOptimizer<T>(T? schedule, IOptimizer? optimizer, string name)
        where T : class
    {
        if (schedule is not null && !ReferenceEquals(optimizer, _optimizer))
        {
            throw new ArgumentException($"Expected a {name} of the trainer's optimizer, but it sets the learning rate of another one.", name);
        }
        return schedule;
    }

    /// <summary>
    /// Trains for up to <paramref name="epochs"/> epochs and returns what each epoch measured.
    /// Cancellation is checked between batches and throws <see cref="OperationCanceledException"/>,
    /// leaving the parameters as the last completed step made them.
    /// </summary>
    /// <remarks>
    /// A batch whose loss is NaN or infinite stops training before the optimizer steps, with a
    /// <see cref="TrainingDivergedException"/> naming the epoch and step; the last checkpoint written stays intact.
    /// With <paramref name="checkpoint"/>, a <see cref="Checkpoint"/> of the network, the optimizer's state, the
    /// schedules' state, early stopping's state and <paramref name="train"/>'s shuffle state is written as
    /// <see cref="CheckpointOptions"/> describes, and with <see cref="CheckpointOptions.Resume"/> an existing one is loaded
    /// first, so the run continues as if it had never stopped; the history then holds only the epochs run by this call.
    /// </remarks>
    public TrainingHistory Fit(
        DataLoader train,
        DataLoader? validation,
        int epochs,
        EarlyStopping? earlyStopping = null,
        IProgress<TrainingProgress>? progress = null,
        CheckpointOptions? checkpoint = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(train);
        if (epochs < 1) throw new ArgumentOutOfRangeException(nameof(epochs), epochs, $"Expected at least 1 epoch but got {epochs}.");
        if (!GradMode.IsEnabled)
        {
            throw new InvalidOperationException(
                "Gradients are disabled on this thread (inside a NoGrad() scope, or GradEnabled was set to false), so Fit cannot train; " +
                "call it outside the scope. Gradient mode belongs to the thread, as torch.no_grad() does.");
        }
        // Every sample of both loaders is checked before the first step changes anything.
        CheckSamples(train, nameof(train), " (nothing was trained)");
        if (validation is not null) CheckSamples(validation, nameof(validation), " (nothing was trained)");
        if (earlyStopping is not null) CheckMonitor(earlyStopping.Monitor, train, validation, nameof(earlyStopping), "Early stopping");
        if (_plateau is not null)
        {
            CheckMonitor(PlateauMetric, train, validation, nameof(PlateauMetric), "ReduceLROnPlateau");
            if ((_plateau.Mode == PlateauMode.Max) != PlateauMetric.HigherIsBetter())
            {
                throw new ArgumentException(
                    $"ReduceLROnPlateau is in mode {_plateau.Mode} but {PlateauMetric} is better when {(PlateauMetric.HigherIsBetter() ? "higher (use PlateauMode.Max)" : "lower (use PlateauMode.Min)")}.",
                    nameof(PlateauMetric));
            }
        }

        var stopping = new EarlyStoppingState(earlyStopping, _network.ParameterCount);
        // The network ends in the mode it started in (each epoch trains in training mode and validates in evaluation).
        bool wasTraining = _network.Training;
        List<(string, IStateful)> states = StatesToSave(stopping);

        try
        {
            return Run(train, validation, epochs, earlyStopping, progress, checkpoint, stopping, states, cancellationToken);
        }
        finally
        {
            // Also when training is cancelled or diverges.
            if (wasTraining) _network.Train();
            else _network.Eval();
        }
    }

    private TrainingHistory Run(
        DataLoader train, DataLoader? validation, int epochs, EarlyStopping? earlyStopping, IProgress<TrainingProgress>? progress,
        CheckpointOptions? checkpoint, EarlyStoppingState stopping, List<(string, IStateful)> states, CancellationToken cancellationToken)
    {
        // Resuming restores the parameters, the optimizer, the schedules, early stopping and the loader's shuffle state.
        int firstEpoch = 1;
        long step = 0;
        string? lastCheckpoint = null;
        if (checkpoint is { Resume: true } && System.IO.File.Exists(checkpoint.Path))
        {
            (int completed, step) = Checkpoint.LoadSections(checkpoint.Path, _network, _optimizer, train, states, ignoreUnrequested: false);
            firstEpoch = completed + 1;
            lastCheckpoint = checkpoint.Path;
        }

        var trainMeasure = new EpochMeasure(Task, Reduction, _network.OutputSize, train, IgnoredLabel);
        var validationMeasure = validation is null ? null : new EpochMeasure(Task, Reduction, _network.OutputSize, validation, IgnoredLabel);
        var results = new List<EpochResult>(Math.Max(0, epochs - firstEpoch + 1));
        // A resumed run that had already stopped (or finished) takes no more steps: it only ends as that run ended.
        bool stoppedEarly = stopping.ShouldStop && firstEpoch - 1 < epochs;
        int lastEpoch = firstEpoch - 1;

        for (int epoch = firstEpoch; epoch <= epochs && !stopping.ShouldStop; epoch++)
        {
            long start = Stopwatch.GetTimestamp();
            double lr = _optimizer.Lr;
            EpochMetrics trained = TrainEpoch(train, trainMeasure, epoch, epochs, ref step, lastCheckpoint, progress, cancellationToken);
            EpochMetrics validated = validationMeasure is null ? EpochMetrics.None : Measure(validation!, validationMeasure);
            var measured = new EpochResult(epoch, trained, validated, lr, TimeSpan.Zero, IsBest: false);

            bool isBest = stopping.Record(epoch, earlyStopping is null ? double.NaN : measured[earlyStopping.Monitor], _network.Parameters);
            if (_scheduler is not null && SchedulerInterval == SchedulerInterval.Epoch) _scheduler.Step();
            _plateau?.Step(measured[PlateauMetric]);

            bool stop = stopping.ShouldStop;
            if (checkpoint is not null && (epoch % checkpoint.EveryEpochs == 0 || epoch == epochs || stop))
            {
                Checkpoint.SaveSections(checkpoint.Path, _network, _optimizer, train, epoch, step, states);
                lastCheckpoint = checkpoint.Path;
            }

            var result = measured with { Elapsed = Stopwatch.GetElapsedTime(start), IsBest = isBest };
            results.Add(result);
            lastEpoch = epoch;
            progress?.Report(new TrainingProgress(ProgressKind.Epoch, epoch, epochs, train.Count, train.Count, trained.Loss, result));

            if (stop)
            {
                stoppedEarly = epoch < epochs;
                break;
            }
        }

        bool restored = false;
        if (stopping.BestWeights is not null && stopping.BestEpoch > 0 && stopping.BestEpoch != lastEpoch)
        {
            stopping.BestWeights.CopyTo(_network.Parameters);
            restored = true;
        }
        return new TrainingHistory(results, stopping.BestEpoch, stoppedEarly, restored);
    }

    /// <summary>
    /// The metrics of the network on every sample of <paramref name="loader"/>, without gradients: loss and accuracy for
    /// classification (<c>var (loss, accuracy) = trainer.Evaluate(loader)</c> still reads them), the regression or binary
    /// metrics otherwise.
    /// </summary>
    public EpochMetrics Evaluate(DataLoader loader)
    {
        ArgumentNullException.ThrowIfNull(loader);
        CheckSamples(loader, nameof(loader), "");
        return Measure(loader, new EpochMeasure(Task, Reduction, _network.OutputSize, loader, IgnoredLabel));
    }

    /// <summary>A pass over a loader whose samples were checked, in evaluation mode (dropout off) under <c>NoGrad</c>, as <c>model.eval()</c> and <c>torch.no_grad()</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private EpochMetrics Measure(DataLoader loader, EpochMeasure measure)
    {
        measure.Reset();
        bool training = _network.Training;
        _network.Eval();
        try
        {
            using (_network.NoGrad())
            {
                foreach (var (inputs, targets) in loader)
                {
                    var outputs = _network.Forward(inputs);
                    measure.Add(outputs, targets, ComputeLoss(outputs, targets).Item());
                }
            }
        }
        finally
        {
            if (training) _network.Train();
        }
        return measure.Result();
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private EpochMetrics TrainEpoch(
        DataLoader train, EpochMeasure measure, int epoch, int epochs, ref long step, string? lastCheckpoint,
        IProgress<TrainingProgress>? progress, CancellationToken cancellationToken)
    {
        measure.Reset();
        // Every epoch trains in training mode (dropout on), as model.train() at the top of PyTorch's loop.
        _network.Train();
        int batch = 0;
        bool perBatch = _scheduler is not null && SchedulerInterval == SchedulerInterval.Batch;
        foreach (var (inputs, targets) in train)
        {
            cancellationToken.ThrowIfCancellationRequested();
            _optimizer.ZeroGrad();
            var outputs = _network.Forward(inputs);
            var loss = ComputeLoss(outputs, targets);
            float value = loss.Item();
            // A non-finite loss would make every parameter NaN in one step: stop before it is taken. (A batch whose every
            // label is ignored has PyTorch's NaN mean and a zero gradient: it steps, and counts for nothing in the epoch.)
            if (!float.IsFinite(value) && measure.Counted(targets) > 0)
            {
                throw new TrainingDivergedException(epoch, step + 1, batch + 1, train.Count, value, lastCheckpoint);
            }
            measure.Add(outputs, targets, value);
            loss.Backward();
            _optimizer.Step();
            if (perBatch) _scheduler!.Step();
            step++;
            batch++;
            progress?.Report(new TrainingProgress(ProgressKind.Batch, epoch, epochs, batch, train.Count, value, null));
        }
        return measure.Result();
    }

    /// <summary>The label that counts for nothing (CrossEntropyLoss's ignoreIndex), if the criterion has one.</summary>
    private int? IgnoredLabel => _labelCriterion is CrossEntropyLoss crossEntropy ? crossEntropy.IgnoreIndex : null;

    private Loss ComputeLoss(Outputs outputs, Targets targets) =>
        _labelCriterion is not null ? _labelCriterion.Forward(outputs, targets.Labels) : _valueCriterion!.Forward(outputs, targets.Values);

    /// <summary>The components a checkpoint of this run holds beside the network, optimizer and loader.</summary>
    private List<(string, IStateful)> StatesToSave(EarlyStoppingState stopping)
    {
        var states = new List<(string, IStateful)>();
        if (_scheduler is not null) states.Add((Checkpoint.SchedulerSection, _scheduler));
        if (_plateau is not null) states.Add((Checkpoint.PlateauSection, _plateau));
        states.Add((Checkpoint.TrainerSection, stopping));
        return states;
    }

    private void CheckMonitor(MonitoredMetric metric, DataLoader train, DataLoader? validation, string argument, string who)
    {
        if (!metric.AppliesTo(Task))
        {
            throw new ArgumentException($"{who} watches {metric}, which a {Task} run does not report (the criterion decides the task).", argument);
        }
        if (metric.IsValidation() && validation is null)
        {
            throw new ArgumentException($"{who} watches {metric}, a validation metric; pass a validation loader.", nameof(validation));
        }
        // Metrics that are undefined on the samples given would be NaN every epoch, so they could never improve.
        DataLoader measured = metric.IsValidation() ? validation! : train;
        string which = metric.IsValidation() ? nameof(validation) : nameof(train);
        if (metric is MonitoredMetric.ValidationR2Score or MonitoredMetric.TrainR2Score && measured.SampleCount < 2)
        {
            throw new ArgumentException($"{who} watches {metric}, which is undefined for the {which} loader's single sample.", which);
        }
        if (metric is MonitoredMetric.ValidationRocAuc or MonitoredMetric.TrainRocAuc)
        {
            ReadOnlySpan<float> targets = measured.AllTargets.Values;
            int columns = measured.TargetCount;
            for (int c = 0; c < columns; c++)
            {
                bool positive = false, negative = false;
                for (int i = c; i < targets.Length; i += columns)
                {
                    if (targets[i] >= 0.5f) positive = true;
                    else negative = true;
                }
                if (!(positive && negative))
                {
                    throw new ArgumentException(
                        $"{who} watches {metric}, but output {c} of the {which} loader holds only {(positive ? "positive" : "negative")} targets, so ROC AUC is undefined.", which);
                }
            }
        }
    }

    /// <summary>The loader's features, target kind and every target against the network's input and output sizes.</summary>
    private void CheckSamples(DataLoader loader, string name, string consequence)
    {
        if (loader.Features != _network.InputSize)
        {
            throw new ArgumentException($"Expected samples of {_network.InputSize} features (the network's InputSize) but the loader has {loader.Features}.", name);
        }
        if (loader.HasLabels != (_labelCriterion is not null))
        {
            string criterion = (_labelCriterion as object ?? _valueCriterion)!.GetType().Name;
            throw new ArgumentException(
                loader.HasLabels
                    ? $"Expected float targets for {criterion} but the {name} loader holds class labels{consequence}."
                    : $"Expected class labels for {criterion} but the {name} loader holds {loader.TargetCount} float target(s) per sample{consequence}.",
                name);
        }
        if (_valueCriterion is not null && loader.TargetCount != _network.OutputSize)
        {
            throw new ArgumentException(
                $"Expected {_network.OutputSize} targets per sample (one per network output, as {_valueCriterion.GetType().Name} and the task's metrics compare them) " +
                $"but the {name} loader has {loader.TargetCount}{consequence}.", name);
        }
        if (_labelCriterion is null)
        {
            return;
        }
        int? ignored = IgnoredLabel;
        ReadOnlySpan<int> labels = loader.AllTargets.Labels;
        for (int i = 0; i < labels.Length; i++)
        {
            if ((uint)labels[i] >= (uint)_network.OutputSize && labels[i] != ignored)
            {
                throw new ArgumentException(
                    $"Expected every label in [0, {_network.OutputSize}) (one class per network output) but sample {i} of the {name} loader's " +
                    $"dataset has label {labels[i]}{consequence}.", name);
            }
        }
    }
}
