using System;

namespace CompiledNets;

/// <summary>
/// Where and how often <see cref="Trainer.Fit"/> writes a <see cref="Checkpoint"/>, and whether it resumes from one.
/// </summary>
/// <remarks>
/// A checkpoint is written after every <see cref="EveryEpochs"/>-th epoch and after the last epoch run (including one
/// where early stopping ends training), before that epoch's progress report. Each write replaces the previous file
/// atomically, so the file always holds a complete checkpoint. A run that diverges throws before its epoch ends, so
/// the last checkpoint written stays that of the last good epoch.
/// </remarks>
public sealed class CheckpointOptions
{
    /// <summary>Creates checkpoint options.</summary>
    /// <param name="path">The checkpoint file; its directory must exist.</param>
    /// <param name="everyEpochs">Write after every this many epochs, ≥ 1.</param>
    /// <param name="resume">
    /// When the file exists, load it before training and continue from the epoch after the one it saved (the
    /// epoch limit passed to <c>Fit</c> still counts from epoch 1). The schedules and early stopping (its best value,
    /// patience counter and best weights) resume where they were. A run that had already stopped early (or run every
    /// epoch) takes no more steps and ends as that run ended. The validation loader's order is not saved: give it
    /// <c>shuffle: false</c> (the usual choice), or its batches differ after a resume and the validation means may
    /// differ in their last bits.
    /// </param>
    public CheckpointOptions(string path, int everyEpochs = 1, bool resume = false)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (everyEpochs < 1) throw new ArgumentOutOfRangeException(nameof(everyEpochs), everyEpochs, "Expected a checkpoint interval of at least 1 epoch.");
        Path = path;
        EveryEpochs = everyEpochs;
        Resume = resume;
    }

    /// <summary>The checkpoint file.</summary>
    public string Path { get; }

    /// <summary>Epochs between checkpoints.</summary>
    public int EveryEpochs { get; }

    /// <summary>Whether an existing checkpoint is loaded before training.</summary>
    public bool Resume { get; }
}
