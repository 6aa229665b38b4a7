using System;

namespace CompiledNets;

/// <summary>
/// The Huber loss, like PyTorch's <c>nn.HuberLoss</c>: with <c>d = x − y</c>, <c>ℓ = 0.5 d²</c> where <c>|d| &lt; δ</c>,
/// else <c>δ (|d| − 0.5 δ)</c>; <c>dℓ/dx = d</c> inside, <c>δ · sign(d)</c> outside. Averaged over every element (or
/// summed, or not reduced).
/// </summary>
public sealed class HuberLoss : ElementwiseLoss
{
    /// <summary>Creates the criterion.</summary>
    /// <param name="reduction">How the element losses are combined.</param>
    /// <param name="delta">Where the loss turns from quadratic to linear, finite and &gt; 0.</param>
    public HuberLoss(Reduction reduction = Reduction.Mean, float delta = 1f)
        : base(reduction)
    {
        if (!(delta > 0f) || !float.IsFinite(delta)) throw new ArgumentOutOfRangeException(nameof(delta), delta, "Expected a finite delta > 0.");
        Delta = delta;
    }

    /// <summary>Where the loss turns from quadratic to linear.</summary>
    public float Delta { get; }

    /// <inheritdoc/>
    protected override void Elements(ReadOnlySpan<float> outputs, ReadOnlySpan<float> targets, int features, Span<float> losses, Span<float> gradient)
    {
        bool withGradient = !gradient.IsEmpty;
        float delta = Delta;
        for (int i = 0; i < outputs.Length; i++)
        {
            float d = outputs[i] - targets[i];
            float a = MathF.Abs(d);
            losses[i] = a < delta ? 0.5f * d * d : delta * (a - 0.5f * delta);
            if (withGradient) gradient[i] = a < delta ? d : d > 0f ? delta : -delta;
        }
    }
}
