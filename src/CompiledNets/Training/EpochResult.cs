using System;

namespace CompiledNets;

/// <summary>What one epoch of training measured.</summary>
/// <param name="Epoch">1-based epoch number.</param>
/// <param name="Train">The metrics of the training batches, measured while training (as Keras' logs are).</param>
/// <param name="Validation">The metrics of the validation samples after the epoch, without gradients; all NaN without a validation set.</param>
/// <param name="LearningRate">The learning rate of the epoch's first step.</param>
/// <param name="Elapsed">Wall time of the epoch, validation included.</param>
/// <param name="IsBest">Whether the monitored metric improved on every earlier epoch.</param>
public sealed record EpochResult(
    int Epoch,
    EpochMetrics Train,
    EpochMetrics Validation,
    double LearningRate,
    TimeSpan Elapsed,
    bool IsBest)
{
    /// <summary>Mean training loss over the epoch's samples.</summary>
    public float TrainLoss => Train.Loss;

    /// <summary>Fraction of training samples classified right while training (0..1); NaN for regression.</summary>
    public float TrainAccuracy => Train.Accuracy;

    /// <summary>Mean validation loss after the epoch, NaN without a validation set.</summary>
    public float ValidationLoss => Validation.Loss;

    /// <summary>Validation accuracy after the epoch (0..1), NaN without a validation set or for regression.</summary>
    public float ValidationAccuracy => Validation.Accuracy;

    /// <summary>The value of <paramref name="metric"/> this epoch (NaN where the task does not report it).</summary>
    public double this[MonitoredMetric metric] => metric.Read(metric.IsValidation() ? Validation : Train);
}
