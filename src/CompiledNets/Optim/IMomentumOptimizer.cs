namespace CompiledNets;

/// <summary>
/// An optimizer with a momentum that <see cref="OneCycleLR"/> cycles, as PyTorch's <c>cycle_momentum</c> does: SGD's
/// and RMSprop's <c>momentum</c>, Adam's and AdamW's <c>beta1</c> (PyTorch's <c>betas[0]</c>).
/// </summary>
public interface IMomentumOptimizer : IOptimizer
{
    /// <summary>The momentum (or beta1) of the next step.</summary>
    float Momentum { get; set; }
}
