using System;
using System.Numerics.Tensors;

namespace CompiledNets;

/// <summary>
/// Cross-entropy of raw logits against class indices, like PyTorch's <c>nn.CrossEntropyLoss</c>:
/// log-softmax followed by negative log-likelihood,
/// <c>ℓ_b = log Σ_c exp(z_bc) − z_b,y_b</c>, averaged (or summed) over the batch.
/// </summary>
/// <remarks>
/// The gradient with respect to the logits is <c>(softmax(z_b) − onehot(y_b)) / B</c> (without the
/// <c>/ B</c> for <see cref="Reduction.Sum"/>). Both are computed in one pass that subtracts each
/// row's maximum first, so logits of ±1000 give finite results. The gradient is kept in a buffer
/// owned by this object, grown once to the largest batch seen; a step allocates nothing after that.
/// </remarks>
public sealed class CrossEntropyLoss
{
    private float[] _gradient = [];
    private float[] _rowMax = [];
    private long _forwardCount;

    /// <summary>Creates the criterion.</summary>
    public CrossEntropyLoss(Reduction reduction = Reduction.Mean)
    {
        if (reduction is not (Reduction.Mean or Reduction.Sum))
        {
            throw new ArgumentOutOfRangeException(nameof(reduction), reduction, "Expected Reduction.Mean or Reduction.Sum.");
        }
        Reduction = reduction;
    }

    /// <summary>How per-sample losses are combined.</summary>
    public Reduction Reduction { get; }

    /// <summary>
    /// The loss of a batch of logits against <paramref name="labels"/>. When the outputs came from a
    /// forward pass with gradients enabled, <see cref="Loss.Backward"/> back-propagates it.
    /// </summary>
    public Loss Forward(Outputs outputs, ReadOnlySpan<int> labels)
    {
        int length = outputs.BatchSize * outputs.Features;
        if (_gradient.Length < length)
        {
            _gradient = new float[length];
        }
        if (_rowMax.Length < labels.Length)
        {
            _rowMax = new float[labels.Length];
        }
        float value = Compute(outputs.Data, labels, outputs.Features, _gradient.AsSpan(0, length), Reduction, _rowMax);
        return new Loss(value, this, ++_forwardCount, outputs.Network, outputs.Version, length);
    }

    /// <summary>Counts <see cref="Forward"/> calls; a <see cref="Loss"/> can back-propagate only the latest one's gradient.</summary>
    internal long ForwardCount => _forwardCount;

    /// <summary>The gradient written by the last <see cref="Forward"/>.</summary>
    internal ReadOnlySpan<float> Gradient(int length) => _gradient.AsSpan(0, length);

    /// <summary>
    /// Computes the loss of <paramref name="logits"/> (rows of <paramref name="classes"/> floats) and writes
    /// dLoss/dLogits into <paramref name="gradient"/> (same shape). Throws before writing anything when an
    /// argument is invalid.
    /// </summary>
    public static float Compute(ReadOnlySpan<float> logits, ReadOnlySpan<int> labels, int classes, Span<float> gradient, Reduction reduction = Reduction.Mean) =>
        Compute(logits, labels, classes, gradient, reduction, []);

    private static float Compute(ReadOnlySpan<float> logits, ReadOnlySpan<int> labels, int classes, Span<float> gradient, Reduction reduction, Span<float> scratch)
    {
        if (classes <= 0) throw new ArgumentOutOfRangeException(nameof(classes), classes, "Expected at least one class.");
        int batch = labels.Length;
        if (batch == 0) throw new ArgumentException("Expected at least one label but got none.", nameof(labels));
        if (logits.Length != batch * classes)
        {
            throw new ArgumentException($"Expected {batch} x {classes} = {batch * classes} logits (one row per label) but got {logits.Length}.", nameof(logits));
        }
        if (gradient.Length != logits.Length)
        {
            throw new ArgumentException($"Expected a gradient of {logits.Length} floats but got {gradient.Length}.", nameof(gradient));
        }
        for (int b = 0; b < batch; b++)
        {
            if ((uint)labels[b] >= (uint)classes)
            {
                throw new ArgumentOutOfRangeException(nameof(labels), labels[b], $"Expected every label in [0, {classes}) but labels[{b}] = {labels[b]}.");
            }
        }

        if (scratch.Length >= batch)
        {
            return Core(logits, labels, classes, gradient, reduction, scratch.Slice(0, batch));
        }
        return Core(logits, labels, classes, gradient, reduction, batch <= 512 ? stackalloc float[batch] : new float[batch]);
    }

    /// <summary>The checked computation; <paramref name="rowMax"/> is scratch of one float per row.</summary>
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
        TensorPrimitives.Exp(gradient, gradient);

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

        // One vectorized log over the batch's row sums.
        TensorPrimitives.Log(rowSum, rowSum);
        total += TensorPrimitives.Sum(rowSum);
        return (float)(total * scale);
    }
}
