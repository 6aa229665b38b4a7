using System;

namespace CompiledNets;

/// <summary>
/// Mean absolute error, like PyTorch's <c>nn.L1Loss</c>: <c>ℓ = |x − y|</c> per element, averaged over every element
/// (or summed, or not reduced); <c>dℓ/dx = sign(x − y)</c>, 0 where x = y, as PyTorch.
/// </summary>
public sealed class L1Loss : ElementwiseLoss
{
    /// <summary>Creates the criterion.</summary>
    public L1Loss(Reduction reduction = Reduction.Mean)
        : base(reduction)
    {
    }

    /// <inheritdoc/>
    protected override void Elements(ReadOnlySpan<float> outputs, ReadOnlySpan<float> targets, int features, Span<float> losses, Span<float> gradient)
    {
        bool withGradient = !gradient.IsEmpty;
        for (int i = 0; i < outputs.Length; i++)
        {
            float d = outputs[i] - targets[i];
            losses[i] = MathF.Abs(d);
            if (withGradient) gradient[i] = d > 0f ? 1f : d < 0f ? -1f : 0f;
        }
    }
}
