namespace CompiledNets;

/// <summary>Whether a progress report is about one batch or a finished epoch.</summary>
public enum ProgressKind
{
    /// <summary>A training batch has been stepped.</summary>
    Batch,

    /// <summary>An epoch (training and validation) has finished.</summary>
    Epoch,
}

/// <summary>
/// A progress report from <see cref="Trainer.Fit"/>: after every training batch, and after every epoch
/// with its <see cref="EpochResult"/>. A struct, so reporting allocates nothing per batch.
/// </summary>
/// <param name="Kind">Batch or epoch.</param>
/// <param name="Epoch">1-based epoch.</param>
/// <param name="Epochs">The epoch limit.</param>
/// <param name="Batch">1-based batch within the epoch (for epoch reports, the number of batches).</param>
/// <param name="Batches">Batches per epoch.</param>
/// <param name="Loss">The batch's loss, or the epoch's mean training loss.</param>
/// <param name="Result">The epoch's result, for <see cref="ProgressKind.Epoch"/> reports.</param>
public readonly record struct TrainingProgress(ProgressKind Kind, int Epoch, int Epochs, int Batch, int Batches, float Loss, EpochResult? Result);
