using System;
using System.Globalization;

namespace CompiledNets;

/// <summary>
/// Thrown by <see cref="Trainer.Fit"/> when a training batch's loss is NaN or infinite. The check runs before the
/// optimizer step, so the parameters (and optimizer state) are those after the last step whose loss was finite,
/// and no checkpoint is written after the divergence.
/// </summary>
public sealed class TrainingDivergedException : Exception
{
    /// <summary>Creates the exception for the step that produced <paramref name="loss"/>.</summary>
    /// <param name="epoch">1-based epoch of the diverging batch.</param>
    /// <param name="step">1-based optimizer step (counted over the whole run) that was not taken.</param>
    /// <param name="batch">1-based batch within the epoch.</param>
    /// <param name="batches">Batches per epoch.</param>
    /// <param name="loss">The non-finite loss.</param>
    /// <param name="lastCheckpoint">The checkpoint file left as the last good state, if one was written or loaded.</param>
    public TrainingDivergedException(int epoch, long step, int batch, int batches, float loss, string? lastCheckpoint = null)
        : base(FormatMessage(epoch, step, batch, batches, loss, lastCheckpoint))
    {
        Epoch = epoch;
        Step = step;
        Batch = batch;
        Loss = loss;
        LastCheckpoint = lastCheckpoint;
    }

    /// <summary>1-based epoch of the diverging batch.</summary>
    public int Epoch { get; }

    /// <summary>1-based optimizer step that was not taken; the parameters are those after step <c>Step − 1</c>.</summary>
    public long Step { get; }

    /// <summary>1-based batch within <see cref="Epoch"/>.</summary>
    public int Batch { get; }

    /// <summary>The loss: NaN or ±infinity.</summary>
    public float Loss { get; }

    /// <summary>The checkpoint file holding the last good state, or null when none was written or loaded.</summary>
    public string? LastCheckpoint { get; }

    private static string FormatMessage(int epoch, long step, int batch, int batches, float loss, string? lastCheckpoint)
    {
        string message =
            $"Training diverged in epoch {epoch} at step {step} (batch {batch} of {batches}): the loss is {loss.ToString(CultureInfo.InvariantCulture)}. " +
            $"The optimizer did not take this step, so the parameters are those after step {step - 1}. " +
            "Lower the learning rate, or check the inputs for extreme values.";
        return lastCheckpoint is null ? message : message + $" The last checkpoint, {lastCheckpoint}, was not overwritten.";
    }
}
