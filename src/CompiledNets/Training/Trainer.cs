using System;
using System.Runtime.CompilerServices;
using System.Diagnostics;
using System.Threading;

namespace CompiledNets;

/// <summary>
/// The training loop, written once, for users who would rather not write it: each epoch runs the
/// PyTorch loop (zero_grad, forward, loss, backward, step) over the training batches, then measures
/// loss and accuracy on the validation batches under <c>NoGrad</c>. Early stopping, progress reports
/// and cancellation are optional. The explicit loop stays first-class; this is that loop. It works with any
/// criterion of class targets and any optimizer: checkpoints hold the optimizer's state dict.
/// </summary>
public sealed class Trainer
{
    private readonly INetwork _network;
    private readonly Criterion<int> _criterion;
    private readonly IOptimizer _optimizer;
    private int[] _predicted = [];

    /// <summary>Creates a trainer for one network, loss and optimizer.</summary>
    public Trainer(INetwork network, Criterion<int> criterion, IOptimizer optimizer)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(criterion);
        ArgumentNullException.ThrowIfNull(optimizer);
        OptimizerChecks.ThrowIfNotOf(optimizer, network, nameof(optimizer));
        _network = network;
        _criterion = criterion;
        _optimizer = optimizer;
    }

    /// <summary>
    /// Trains for up to <paramref name="epochs"/> epochs and returns what each epoch measured.
    /// Cancellation is checked between batches and throws <see cref="OperationCanceledException"/>,
    /// leaving the parameters as the last completed step made them.
    /// </summary>
    /// <remarks>
    /// A batch whose loss is NaN or infinite stops training before the optimizer steps, with a
    /// <see cref="TrainingDivergedException"/> naming the epoch and step; the last checkpoint written stays intact.
    /// With <paramref name="checkpoint"/>, a <see cref="Checkpoint"/> of the network, the optimizer's state and
    /// <paramref name="train"/> is written as <see cref="CheckpointOptions"/> describes, and
    /// with <see cref="CheckpointOptions.Resume"/> an existing one is loaded first; the history then holds only the
    /// epochs run by this call.
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
        if (earlyStopping is not null && validation is null)
        {
            throw new ArgumentException("Early stopping watches a validation metric; pass a validation loader.", nameof(validation));
        }
        // Every sample of both loaders is checked before the first step changes anything.
        CheckSamples(train, nameof(train), " (nothing was trained)");
        if (validation is not null) CheckSamples(validation, nameof(validation), " (nothing was trained)");

        // Resuming restores the parameters, the momentum and the loader's shuffle state, then carries on counting.
        int firstEpoch = 1;
        long step = 0;
        string? lastCheckpoint = null;
        if (checkpoint is { Resume: true } && System.IO.File.Exists(checkpoint.Path))
        {
            (int completed, step) = Checkpoint.Load(checkpoint.Path, _network, _optimizer, train);
            firstEpoch = completed + 1;
            lastCheckpoint = checkpoint.Path;
        }

        var results = new System.Collections.Generic.List<EpochResult>(epochs);
        float best = earlyStopping?.Worst ?? float.NaN;
        int bestEpoch = 0, sinceBest = 0;
        float[]? bestWeights = earlyStopping is { RestoreBestWeights: true } ? new float[_network.ParameterCount] : null;
        bool stoppedEarly = false;

        for (int epoch = firstEpoch; epoch <= epochs; epoch++)
        {
            long start = Stopwatch.GetTimestamp();
            var (trainLoss, trainAccuracy) = TrainEpoch(train, epoch, epochs, ref step, lastCheckpoint, progress, cancellationToken);
            var (validationLoss, validationAccuracy) = validation is null ? (float.NaN, float.NaN) : EvaluateChecked(validation);

            bool isBest;
            if (earlyStopping is null)
            {
                isBest = true;
                bestEpoch = epoch;
            }
            else
            {
                float value = earlyStopping.Monitor == MonitoredMetric.ValidationLoss ? validationLoss : validationAccuracy;
                isBest = earlyStopping.Improves(value, best);
                if (isBest)
                {
                    best = value;
                    bestEpoch = epoch;
                    sinceBest = 0;
                    _network.Parameters.CopyTo(bestWeights);
                }
                else
                {
                    sinceBest++;
                }
            }

            bool stop = earlyStopping is not null && sinceBest >= earlyStopping.Patience;
            if (checkpoint is not null && (epoch % checkpoint.EveryEpochs == 0 || epoch == epochs || stop))
            {
                Checkpoint.Save(checkpoint.Path, _network, _optimizer, train, epoch, step);
                lastCheckpoint = checkpoint.Path;
            }

            var result = new EpochResult(epoch, trainLoss, trainAccuracy, validationLoss, validationAccuracy, Stopwatch.GetElapsedTime(start), isBest);
            results.Add(result);
            progress?.Report(new TrainingProgress(ProgressKind.Epoch, epoch, epochs, train.Count, train.Count, trainLoss, result));

            if (stop)
            {
                stoppedEarly = epoch < epochs;
                break;
            }
        }

        bool restored = false;
        if (bestWeights is not null && bestEpoch > 0 && bestEpoch != results[^1].Epoch)
        {
            bestWeights.CopyTo(_network.Parameters);
            restored = true;
        }
        return new TrainingHistory(results, bestEpoch, stoppedEarly, restored);
    }

    /// <summary>Mean loss and accuracy (0..1) of the network on every sample of <paramref name="loader"/>, without gradients.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public (float Loss, float Accuracy) Evaluate(DataLoader loader)
    {
        ArgumentNullException.ThrowIfNull(loader);
        CheckSamples(loader, nameof(loader), "");
        return EvaluateChecked(loader);
    }

    /// <summary><see cref="Evaluate"/> of a loader whose samples were checked (Fit checks the validation loader once, before its first step).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private (float Loss, float Accuracy) EvaluateChecked(DataLoader loader)
    {
        EnsurePredictionBuffer(loader);
        double lossSum = 0;
        int correct = 0, total = 0;
        using (_network.NoGrad())
        {
            foreach (var (inputs, labels) in loader)
            {
                var outputs = _network.Forward(inputs);
                lossSum += (double)_criterion.Forward(outputs, labels).Item() * labels.Length;
                correct += outputs.ArgMax(_predicted).CountEqual(labels);
                total += labels.Length;
            }
        }
        return ((float)(lossSum / total), (float)correct / total);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private (float Loss, float Accuracy) TrainEpoch(
        DataLoader train, int epoch, int epochs, ref long step, string? lastCheckpoint, IProgress<TrainingProgress>? progress, CancellationToken cancellationToken)
    {
        EnsurePredictionBuffer(train);
        double lossSum = 0;
        int correct = 0, total = 0, batch = 0;
        foreach (var (inputs, labels) in train)
        {
            cancellationToken.ThrowIfCancellationRequested();
            _optimizer.ZeroGrad();
            var outputs = _network.Forward(inputs);
            var loss = _criterion.Forward(outputs, labels);
            float value = loss.Item();
            // A non-finite loss would make every parameter NaN in one step: stop before it is taken.
            if (!float.IsFinite(value))
            {
                throw new TrainingDivergedException(epoch, step + 1, batch + 1, train.Count, value, lastCheckpoint);
            }
            correct += outputs.ArgMax(_predicted).CountEqual(labels);
            loss.Backward();
            _optimizer.Step();
            step++;

            lossSum += (double)value * labels.Length;
            total += labels.Length;
            batch++;
            progress?.Report(new TrainingProgress(ProgressKind.Batch, epoch, epochs, batch, train.Count, value, null));
        }
        return ((float)(lossSum / total), (float)correct / total);
    }

    private void EnsurePredictionBuffer(DataLoader loader)
    {
        int largestBatch = loader.LargestBatch;
        if (_predicted.Length < largestBatch)
        {
            _predicted = new int[largestBatch];
        }
    }

    /// <summary>The loader's feature count, and every label it holds, against the network's input and output sizes.</summary>
    private void CheckSamples(DataLoader loader, string name, string consequence)
    {
        if (loader.Features != _network.InputSize)
        {
            throw new ArgumentException($"Expected samples of {_network.InputSize} features (the network's InputSize) but the loader has {loader.Features}.", name);
        }
        ReadOnlySpan<int> labels = loader.Labels;
        for (int i = 0; i < labels.Length; i++)
        {
            if ((uint)labels[i] >= (uint)_network.OutputSize)
            {
                throw new ArgumentException(
                    $"Expected every label in [0, {_network.OutputSize}) (one class per network output) but sample {i} of the {name} loader's " +
                    $"dataset has label {labels[i]}{consequence}.", name);
            }
        }
    }
}
