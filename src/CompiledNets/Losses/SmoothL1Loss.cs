using System;

namespace CompiledNets;

/// <summary>
/// The smooth L1 loss, like PyTorch's <c>nn.SmoothL1Loss</c> (Girshick, "Fast R-CNN", 2015): with <c>d = x − y</c>,
/// <c>ℓ = 0.5 d² / β</c> where <c>|d| &lt; β</c>, else <c>|d| − 0.5 β</c> (the Huber loss divided by β); β = 0 is the
/// L1 loss. <c>dℓ/dx = d / β</c> inside, <c>sign(d)</c> outside (−1 at d = 0 when β = 0, as PyTorch). Averaged over every element (or summed, or not reduced).
/// </summary>
public sealed class SmoothL1Loss : ElementwiseLoss
{
    /// <summary>Creates the criterion.</summary>
    /// <param name="reduction">How the element losses are combined.</param>
    /// <param name="beta">Where the loss turns from quadratic to linear, finite and ≥ 0.</param>
    public SmoothL1Loss(Reduction reduction = Reduction.Mean, float beta = 1f)
        : base(reduction)
    {
        if (!(beta >= 0f) || !float.IsFinite(beta)) throw new ArgumentOutOfRangeException(nameof(beta), beta, "Expected a finite beta >= 0.");
        Beta = beta;
    }

    /// <summary>Where the loss turns from quadratic to linear.</summary>
    public float Beta { get; }

    /// <inheritdoc/>
    protected override void Elements(ReadOnlySpan<float> outputs, ReadOnlySpan<float> targets, int features, Span<float> losses, Span<float> gradient)
    {
        bool withGradient = !gradient.IsEmpty;
        float beta = Beta;
        for (int i = 0; i < outputs.Length; i++)
        {
            float d = outputs[i] - targets[i];
            float a = MathF.Abs(d);
            bool quadratic = a < beta;
            losses[i] = quadratic ? 0.5f * d * d / beta : a - 0.5f * beta;
            // PyTorch's order of tests: d ≤ −β first, so with β = 0 a tie gets −1.
            if (withGradient) gradient[i] = d <= -beta ? -1f : d >= beta ? 1f : d / beta;
        }
    }
}
