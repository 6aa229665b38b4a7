namespace CompiledNets;

/// <summary>
/// AdamW (Loshchilov and Hutter, "Decoupled Weight Decay Regularization", ICLR 2019) exactly as PyTorch's
/// <c>torch.optim.AdamW</c>: the parameter decays before the Adam step, and the gradient carries no L2 term.
/// <code>
/// p = p · (1 − lr · weight_decay)
/// m = β₁ · m + (1 − β₁) · g,   v = β₂ · v + (1 − β₂) · g²,   v̂ = max(v̂, v) with amsgrad
/// p = p − (lr / (1 − β₁ᵗ)) · m / (√v / √(1 − β₂ᵗ) + eps)      (√v̂ with amsgrad)
/// </code>
/// </summary>
/// <remarks>One pass over the flat parameter, gradient and moment buffers per step, allocation-free.</remarks>
public sealed class AdamW : AdamBase
{
    /// <summary>Creates the optimizer for all parameters of <paramref name="network"/>, with PyTorch's defaults.</summary>
    /// <param name="network">The network whose parameters are updated.</param>
    /// <param name="lr">Learning rate, ≥ 0.</param>
    /// <param name="beta1">Decay of the first moment, in [0, 1).</param>
    /// <param name="beta2">Decay of the second moment, in [0, 1).</param>
    /// <param name="eps">Added to the denominator, ≥ 0.</param>
    /// <param name="weightDecay">Decoupled weight decay, ≥ 0 (PyTorch's default 1e-2).</param>
    /// <param name="amsgrad">Whether to use the AMSGrad variant.</param>
    public AdamW(INetwork network, float lr = 1e-3f, float beta1 = 0.9f, float beta2 = 0.999f, float eps = 1e-8f, float weightDecay = 1e-2f, bool amsgrad = false)
        : base(network, lr, beta1, beta2, eps, weightDecay, amsgrad, decoupled: true)
    {
    }

    private protected override string Kind => "AdamW";
}
