using System;

namespace CompiledNets;

/// <summary>
/// Binary cross-entropy of raw logits against targets in [0, 1], like PyTorch's <c>nn.BCEWithLogitsLoss</c>:
/// <c>ℓ = −[p · y · log σ(x) + (1 − y) · log(1 − σ(x))]</c>, with <c>p</c> the positive weight of the output's column
/// (1 without <c>posWeight</c>). Computed in PyTorch's stable form
/// <c>ℓ = (1 − y) x + (1 + (p − 1) y) · (log(1 + e^(−|x|)) + max(−x, 0))</c>, finite for logits of ±1000;
/// <c>dℓ/dx = (1 + (p − 1) y) σ(x) − p y</c>. Averaged over every element (or summed, or not reduced).
/// </summary>
/// <remarks>
/// <c>posWeight</c> above 1 raises recall on an imbalanced task: for 100 negatives per positive, 100 weighs the
/// positives as much as the negatives.
/// </remarks>
public sealed class BCEWithLogitsLoss : ElementwiseLoss
{
    private readonly float[] _posWeight;

    /// <summary>Creates the criterion.</summary>
    /// <param name="reduction">How the element losses are combined.</param>
    /// <param name="posWeight">The weight of positive targets per output column (finite, ≥ 0), or null for 1 everywhere.</param>
    public BCEWithLogitsLoss(Reduction reduction = Reduction.Mean, ReadOnlySpan<float> posWeight = default)
        : base(reduction)
    {
        for (int i = 0; i < posWeight.Length; i++)
        {
            if (!(posWeight[i] >= 0f) || !float.IsFinite(posWeight[i]))
            {
                throw new ArgumentOutOfRangeException(nameof(posWeight), posWeight[i], $"Expected finite positive weights >= 0 but posWeight[{i}] = {posWeight[i]}.");
            }
        }
        _posWeight = posWeight.ToArray();
    }

    /// <summary>The weight of positive targets per output column; empty when every weight is 1.</summary>
    public ReadOnlySpan<float> PosWeight => _posWeight;

    private protected override void CheckColumns(int features)
    {
        if (_posWeight.Length != 0 && _posWeight.Length != features)
        {
            throw new ArgumentException($"Expected outputs of {_posWeight.Length} columns, one per positive weight, but they have {features}.", "outputs");
        }
    }

    /// <inheritdoc/>
    protected override void Elements(ReadOnlySpan<float> outputs, ReadOnlySpan<float> targets, int features, Span<float> losses, Span<float> gradient)
    {
        bool withGradient = !gradient.IsEmpty;
        bool weighted = _posWeight.Length != 0;
        for (int i = 0; i < outputs.Length; i++)
        {
            float x = outputs[i], y = targets[i];
            float p = weighted ? _posWeight[i % features] : 1f;
            float logWeight = 1f + (p - 1f) * y;
            // e = e^(−|x|) ≤ 1 serves both: −log σ(x) = log(1 + e) + max(−x, 0), and σ(x) = 1 / (1 + e) for x ≥ 0,
            // e / (1 + e) below, without overflow.
            float e = MathF.Exp(-MathF.Abs(x));
            losses[i] = (1f - y) * x + logWeight * (MathF.Log(1f + e) + MathF.Max(-x, 0f));
            if (withGradient)
            {
                float sigmoid = x >= 0f ? 1f / (1f + e) : e / (1f + e);
                gradient[i] = logWeight * sigmoid - p * y;
            }
        }
    }
}
