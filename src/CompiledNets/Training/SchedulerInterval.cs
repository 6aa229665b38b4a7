namespace CompiledNets;

/// <summary>When <see cref="Trainer"/> steps its <see cref="Trainer.Scheduler"/>.</summary>
public enum SchedulerInterval
{
    /// <summary>Once after every epoch (StepLR, MultiStepLR, ExponentialLR, CosineAnnealingLR over epochs).</summary>
    Epoch,

    /// <summary>Once after every optimizer step (OneCycleLR, LinearLR warm-up over steps).</summary>
    Batch,
}
