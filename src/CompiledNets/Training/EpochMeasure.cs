using System;
using System.Runtime.CompilerServices;

namespace CompiledNets;

/// <summary>
/// Gathers what one pass over a loader measures, batch by batch, and turns it into <see cref="EpochMetrics"/> for the
/// task: the loss always; for classification the correct count; for binary and regression tasks every output and target
/// of the pass, kept in buffers sized once for the loader's samples (the metrics then are scikit-learn's, computed over
/// the whole pass, not averaged per batch).
/// </summary>
internal sealed class EpochMeasure
{
    private readonly TaskKind _task;
    private readonly Reduction _reduction;
    private readonly int _outputsPerSample;
    private readonly int[] _predicted;
    private readonly float[] _outputs;
    private readonly float[] _targets;
    private readonly int? _ignored;
    private double _lossSum;
    private int _correct, _samples, _filled;

    /// <param name="task">Which metrics to compute.</param>
    /// <param name="reduction">The criterion's reduction: a mean loss counts once per sample, a sum once per batch.</param>
    /// <param name="outputsPerSample">The network's outputs per sample.</param>
    /// <param name="loader">The loader whose passes are measured: its sample count and largest batch size the buffers.</param>
    /// <param name="ignored">A label that counts for nothing (CrossEntropyLoss's ignoreIndex): neither in the loss nor in the accuracy.</param>
    public EpochMeasure(TaskKind task, Reduction reduction, int outputsPerSample, DataLoader loader, int? ignored)
    {
        _ignored = ignored;
        _task = task;
        _reduction = reduction;
        _outputsPerSample = outputsPerSample;
        _predicted = task == TaskKind.Classification ? new int[loader.LargestBatch] : [];
        int kept = task == TaskKind.Classification ? 0 : loader.SampleCount * outputsPerSample;
        _outputs = new float[kept];
        _targets = new float[kept];
    }

    /// <summary>Starts a new pass.</summary>
    public void Reset()
    {
        _lossSum = 0;
        _correct = _samples = _filled = 0;
    }

    /// <summary>Adds one batch: its loss, and its outputs against its targets.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Add(Outputs outputs, Targets targets, float loss)
    {
        int size = Counted(targets);
        if (size == 0)
        {
            return;
        }
        _lossSum += _reduction == Reduction.Sum ? loss : (double)loss * size;
        _samples += size;
        if (_task == TaskKind.Classification)
        {
            // An ignored label never equals a predicted class, so the count of right ones needs no correction.
            _correct += outputs.ArgMax(_predicted).CountEqual(targets.Labels);
            return;
        }
        outputs.Data.CopyTo(_outputs.AsSpan(_filled));
        targets.Values.CopyTo(_targets.AsSpan(_filled));
        _filled += outputs.Data.Length;
    }

    /// <summary>The samples of a batch that count: all but those of an ignored label.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public int Counted(Targets targets)
    {
        if (_ignored is not int ignored || !targets.AreLabels)
        {
            return targets.Count;
        }
        int counted = 0;
        foreach (int label in targets.Labels)
        {
            if (label != ignored) counted++;
        }
        return counted;
    }

    /// <summary>The metrics of the pass so far (NaN but the loss when outputs overflowed: the metrics are undefined then).</summary>
    public EpochMetrics Result()
    {
        float loss = (float)(_lossSum / _samples);
        var outputs = new ReadOnlySpan<float>(_outputs, 0, _filled);
        var targets = new ReadOnlySpan<float>(_targets, 0, _filled);
        if (_task != TaskKind.Classification && !AllFinite(outputs))
        {
            return EpochMetrics.None with { Loss = loss };
        }
        return _task switch
        {
            TaskKind.Classification => EpochMetrics.None with { Loss = loss, Accuracy = (float)_correct / _samples },
            TaskKind.Binary => EpochMetrics.None with { Loss = loss, Accuracy = BinaryAccuracy(outputs, targets), RocAuc = MeanRocAuc(outputs, targets) },
            _ => new EpochMetrics(
                loss,
                float.NaN,
                RegressionMetrics.MeanAbsoluteError(targets, outputs, _outputsPerSample),
                RegressionMetrics.MeanSquaredError(targets, outputs, _outputsPerSample),
                RegressionMetrics.RootMeanSquaredError(targets, outputs, _outputsPerSample),
                R2OrNaN(targets, outputs),
                double.NaN),
        };
    }

    private static bool AllFinite(ReadOnlySpan<float> values)
    {
        foreach (float value in values)
        {
            if (!float.IsFinite(value)) return false;
        }
        return true;
    }

    /// <summary>R² as scikit-learn, except NaN for a single sample (where scikit-learn warns and returns NaN as well).</summary>
    private double R2OrNaN(ReadOnlySpan<float> targets, ReadOnlySpan<float> outputs) =>
        targets.Length / _outputsPerSample < 2 ? double.NaN : RegressionMetrics.R2Score(targets, outputs, _outputsPerSample);

    /// <summary>The share of outputs whose sign (logit &gt; 0) agrees with its target (≥ 0.5 counts as positive).</summary>
    private static float BinaryAccuracy(ReadOnlySpan<float> logits, ReadOnlySpan<float> targets)
    {
        int right = 0;
        for (int i = 0; i < logits.Length; i++)
        {
            if ((logits[i] > 0) == (targets[i] >= 0.5f)) right++;
        }
        return (float)right / logits.Length;
    }

    /// <summary>ROC AUC of each output column, averaged (scikit-learn's macro average); NaN when a column holds one class only.</summary>
    private double MeanRocAuc(ReadOnlySpan<float> logits, ReadOnlySpan<float> targets)
    {
        int rows = logits.Length / _outputsPerSample;
        var labels = new int[rows];
        var scores = new float[rows];
        double sum = 0;
        for (int column = 0; column < _outputsPerSample; column++)
        {
            int positives = 0;
            for (int r = 0; r < rows; r++)
            {
                labels[r] = targets[r * _outputsPerSample + column] >= 0.5f ? 1 : 0;
                scores[r] = logits[r * _outputsPerSample + column];
                positives += labels[r];
            }
            if (positives == 0 || positives == rows)
            {
                return double.NaN;
            }
            sum += BinaryMetrics.RocAuc(labels, scores);
        }
        return sum / _outputsPerSample;
    }
}
