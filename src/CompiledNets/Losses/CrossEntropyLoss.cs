using System;
using System.Runtime.CompilerServices;

namespace CompiledNets;

/// <summary>
/// Cross-entropy of raw logits against class indices, like PyTorch's <c>nn.CrossEntropyLoss</c>:
/// log-softmax followed by negative log-likelihood,
/// <c>ℓ_b = log Σ_c exp(z_bc) − z_b,y_b</c>, averaged (or summed) over the batch.
/// </summary>
/// <remarks>
/// The gradient with respect to the logits is <c>(softmax(z_b) − onehot(y_b)) / B</c> (without the
/// <c>/ B</c> for <see cref="Reduction.Sum"/>). Both are computed in one pass that subtracts each
/// row's maximum first, so logits of ±1000 give finite results.
/// </remarks>
public sealed class CrossEntropyLoss : Criterion<int>
{
    /// <summary>Creates the criterion.</summary>
    public CrossEntropyLoss(Reduction reduction = Reduction.Mean)
        : base(CheckReduction(reduction))
    {
    }

    /// <inheritdoc/>
    protected override float Compute(ReadOnlySpan<float> outputs, ReadOnlySpan<int> targets, int features, Span<float> gradient)
    {
        Check(outputs, targets, features, gradient.IsEmpty ? outputs.Length : gradient.Length);
        // Without a gradient to write (no backward will follow), the exponentials still need room.
        Span<float> scratch = Scratch(targets.Length + (gradient.IsEmpty ? outputs.Length : 0));
        Span<float> work = gradient.IsEmpty ? scratch.Slice(targets.Length) : gradient;
        return Core(outputs, targets, features, work, Reduction, scratch.Slice(0, targets.Length));
    }

    /// <summary>
    /// Computes the loss of <paramref name="logits"/> (rows of <paramref name="classes"/> floats) and writes
    /// dLoss/dLogits into <paramref name="gradient"/> (same shape). Throws before writing anything when an
    /// argument is invalid.
    /// </summary>
    public static float Compute(ReadOnlySpan<float> logits, ReadOnlySpan<int> labels, int classes, Span<float> gradient, Reduction reduction = Reduction.Mean)
    {
        CheckReduction(reduction);
        Check(logits, labels, classes, gradient.Length);
        int batch = labels.Length;
        return Core(logits, labels, classes, gradient, reduction, batch <= 512 ? stackalloc float[batch] : new float[batch]);
    }

    private static Reduction CheckReduction(Reduction reduction) => reduction is Reduction.Mean or Reduction.Sum
        ? reduction
        : throw new ArgumentOutOfRangeException(nameof(reduction), reduction, "Expected Reduction.Mean or Reduction.Sum.");

    /// <summary>Every label a class, one label per row, a gradient of the logits' shape: checked before anything is written.</summary>
    private static void Check(ReadOnlySpan<float> logits, ReadOnlySpan<int> labels, int classes, int gradientLength)
    {
        if (classes <= 0) throw new ArgumentOutOfRangeException(nameof(classes), classes, "Expected at least one class.");
        int batch = labels.Length;
        if (batch == 0) throw new ArgumentException("Expected at least one label but got none.", nameof(labels));
        if (logits.Length != (long)batch * classes)
        {
            throw new ArgumentException($"Expected {batch} x {classes} = {(long)batch * classes} logits (one row per label) but got {logits.Length}.", nameof(logits));
        }
        if (gradientLength != logits.Length)
        {
            throw new ArgumentException($"Expected a gradient of {logits.Length} floats but got {gradientLength}.", "gradient");
        }
        for (int b = 0; b < batch; b++)
        {
            if ((uint)labels[b] >= (uint)classes)
            {
                throw new ArgumentOutOfRangeException(nameof(labels), labels[b], $"Expected every label in [0, {classes}) but labels[{b}] = {labels[b]}.");
            }
        }
    }

    /// <summary>The checked computation; <paramref name="rowMax"/> is scratch of one float per row.</summary>
    // The hot loop of every training step: fully optimized from its first call, not after tiering up.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static float Core(ReadOnlySpan<float> logits, ReadOnlySpan<int> labels, int classes, Span<float> gradient, Reduction reduction, Span<float> rowMax)
    {
        int batch = labels.Length;
        float scale = reduction == Reduction.Mean ? 1f / batch : 1f;

        // g = z − max(z) row by row, so exp never overflows (logits of ±1000 stay finite).
        for (int b = 0; b < batch; b++)
        {
            ReadOnlySpan<float> z = logits.Slice(b * classes, classes);
            Span<float> g = gradient.Slice(b * classes, classes);
            float max = z[0];
            for (int c = 1; c < classes; c++) max = MathF.Max(max, z[c]);
            for (int c = 0; c < classes; c++) g[c] = z[c] - max;
            rowMax[b] = max;
        }
        // One vectorized exp over the whole batch rather than one call per row.
        VectorMath.Exp(gradient);

        // Row sums of exp, kept in the scratch over the maxima once each max has been used.
        double total = 0;
        for (int b = 0; b < batch; b++)
        {
            ReadOnlySpan<float> g = gradient.Slice(b * classes, classes);
            float sum = 0f;
            for (int c = 0; c < classes; c++) sum += g[c];
            // ℓ_b = log Σ_c exp(z_c − max) + max − z_y: the max and z_y part now, the log below.
            total += rowMax[b] - logits[b * classes + labels[b]];
            rowMax[b] = sum;
        }
        Span<float> rowSum = rowMax;

        // d ℓ_b / d z = softmax(z) − onehot(y), scaled by the reduction.
        for (int b = 0; b < batch; b++)
        {
            Span<float> g = gradient.Slice(b * classes, classes);
            float factor = scale / rowSum[b];
            for (int c = 0; c < classes; c++) g[c] *= factor;
            g[labels[b]] -= scale;
        }

        // One vectorized log over the batch's row sums, added in row order.
        VectorMath.Log(rowSum);
        for (int b = 0; b < batch; b++)
        {
            total += rowSum[b];
        }
        return (float)(total * scale);
    }
}
