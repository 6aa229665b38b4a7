namespace CompiledNets;

/// <summary>
/// Adam (Kingma and Ba, "Adam: A Method for Stochastic Optimization", ICLR 2015) exactly as PyTorch's
/// <c>torch.optim.Adam</c>, weight decay entering as an L2 term of the gradient:
/// <code>
/// g = g + weight_decay · p
/// m = β₁ · m + (1 − β₁) · g,   v = β₂ · v + (1 − β₂) · g²,   v̂ = max(v̂, v) with amsgrad
/// p = p − (lr / (1 − β₁ᵗ)) · m / (√v / √(1 − β₂ᵗ) + eps)      (√v̂ with amsgrad)
/// </code>
/// </summary>
/// <remarks>One pass over the flat parameter, gradient and moment buffers per step, allocation-free.</remarks>
public sealed class Adam : AdamBase
{
    /// <summary>Creates the optimizer for all parameters of <paramref name="network"/>, with PyTorch's defaults.</summary>
    /// <param name="network">The network whose parameters are updated.</param>
    /// <param name="lr">Learning rate, ≥ 0.</param>
    /// <param name="beta1">Decay of the first moment, in [0, 1).</param>
    /// <param name="beta2">Decay of the second moment, in [0, 1).</param>
    /// <param name="eps">Added to the denominator, ≥ 0.</param>
    /// <param name="weightDecay">L2 penalty added to the gradient, ≥ 0.</param>
    /// <param name="amsgrad">Whether to use the AMSGrad variant (Reddi et al., 2018).</param>
    public Adam(INetwork network, float lr = 1e-3f, float beta1 = 0.9f, float beta2 = 0.999f, float eps = 1e-8f, float weightDecay = 0f, bool amsgrad = false)
        : base(network, lr, beta1, beta2, eps, weightDecay, amsgrad, decoupled: false)
    {
    }

    private protected override string Kind => "Adam";
}
