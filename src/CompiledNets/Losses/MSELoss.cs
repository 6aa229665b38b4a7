using System;

namespace CompiledNets;

/// <summary>
/// Mean squared error, like PyTorch's <c>nn.MSELoss</c>: <c>ℓ = (x − y)²</c> per element, averaged over every
/// element (or summed, or not reduced); <c>dℓ/dx = 2 (x − y)</c>.
/// </summary>
public sealed class MSELoss : ElementwiseLoss
{
    /// <summary>Creates the criterion.</summary>
    public MSELoss(Reduction reduction = Reduction.Mean)
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
            losses[i] = d * d;
            if (withGradient) gradient[i] = 2f * d;
        }
    }
}
