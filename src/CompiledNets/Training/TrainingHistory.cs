using System.Collections.Generic;

namespace CompiledNets;

/// <summary>Everything a <see cref="Trainer.Fit"/> run measured, epoch by epoch.</summary>
public sealed class TrainingHistory
{
    internal TrainingHistory(IReadOnlyList<EpochResult> epochs, int bestEpoch, bool stoppedEarly, bool restoredBestWeights)
    {
        Epochs = epochs;
        BestEpoch = bestEpoch;
        StoppedEarly = stoppedEarly;
        RestoredBestWeights = restoredBestWeights;
    }

    /// <summary>One result per epoch run, in order.</summary>
    public IReadOnlyList<EpochResult> Epochs { get; }

    /// <summary>The 1-based epoch with the best monitored metric (the last epoch without early stopping).</summary>
    public int BestEpoch { get; }

    /// <summary>Whether early stopping ended training before the epoch limit.</summary>
    public bool StoppedEarly { get; }

    /// <summary>Whether the network's parameters were set back to those of <see cref="BestEpoch"/>.</summary>
    public bool RestoredBestWeights { get; }
}
