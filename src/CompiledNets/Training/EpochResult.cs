using System;

namespace CompiledNets;

/// <summary>What one epoch of training measured.</summary>
/// <param name="Epoch">1-based epoch number.</param>
/// <param name="TrainLoss">Mean training loss over the epoch's samples.</param>
/// <param name="TrainAccuracy">Fraction of training samples classified right while training (0..1).</param>
/// <param name="ValidationLoss">Mean validation loss after the epoch, NaN without a validation set.</param>
/// <param name="ValidationAccuracy">Validation accuracy after the epoch (0..1), NaN without a validation set.</param>
/// <param name="Elapsed">Wall time of the epoch, validation included.</param>
/// <param name="IsBest">Whether the monitored metric improved on every earlier epoch.</param>
public sealed record EpochResult(
    int Epoch,
    float TrainLoss,
    float TrainAccuracy,
    float ValidationLoss,
    float ValidationAccuracy,
    TimeSpan Elapsed,
    bool IsBest);
