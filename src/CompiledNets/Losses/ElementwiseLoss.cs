using System;
using System.Runtime.CompilerServices;

namespace CompiledNets;

/// <summary>
/// A loss of each output float against the target float at the same place (regression and binary losses), reduced as
/// PyTorch does: the mean over every element (rows × outputs), the sum, or none. A subclass gives the loss of one
/// element and its derivative.
/// </summary>
public abstract class ElementwiseLoss : Criterion<float>
{
    /// <summary>Creates a criterion that combines the element losses as <paramref name="reduction"/> says.</summary>
    protected ElementwiseLoss(Reduction reduction)
        : base(reduction)
    {
    }

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    protected override float Compute(ReadOnlySpan<float> outputs, ReadOnlySpan<float> targets, int features, Span<float> gradient)
    {
        CheckTargets(outputs, targets, features);
        Span<float> losses = Scratch(outputs.Length);
        Elements(outputs, targets, features, losses, gradient);
        double sum = 0;
        foreach (float loss in losses)
        {
            sum += loss;
        }
        if (Reduction == Reduction.Sum)
        {
            return (float)sum;
        }
        float scale = 1f / outputs.Length;
        if (!gradient.IsEmpty)
        {
            System.Numerics.Tensors.TensorPrimitives.Multiply(gradient, scale, gradient);
        }
        return (float)(sum / outputs.Length);
    }

    /// <inheritdoc/>
    protected override void ComputeUnreduced(ReadOnlySpan<float> outputs, ReadOnlySpan<float> targets, int features, Span<float> values, Span<float> gradient) =>
        Elements(outputs, targets, features, values, gradient);

    /// <summary>One finite target per output float.</summary>
    protected override void CheckTargets(ReadOnlySpan<float> outputs, ReadOnlySpan<float> targets, int features)
    {
        if (targets.Length != outputs.Length)
        {
            throw new ArgumentException(
                $"Expected {outputs.Length} targets, one per output ({outputs.Length / Math.Max(1, features)} rows x {features}), but got {targets.Length}.",
                nameof(targets));
        }
        FiniteCheck.ThrowIfNotFinite(targets, features, nameof(targets));
        CheckColumns(features);
    }

    /// <summary>Checks that outputs of <paramref name="features"/> columns fit the criterion's per-column options; any do by default.</summary>
    private protected virtual void CheckColumns(int features)
    {
    }

    /// <summary>
    /// Writes each element's loss into <paramref name="losses"/> and, unless <paramref name="gradient"/> is empty, its
    /// derivative with respect to the output into <paramref name="gradient"/>. Column j of a row is element i with
    /// i mod <paramref name="features"/> = j.
    /// </summary>
    protected abstract void Elements(ReadOnlySpan<float> outputs, ReadOnlySpan<float> targets, int features, Span<float> losses, Span<float> gradient);
}
