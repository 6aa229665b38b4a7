using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

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
/// <para>With PyTorch's options: class weights <c>w</c>, label smoothing <c>ε</c> over <c>C</c> classes, and an ignored
/// label, each row that is not ignored has
/// <c>ℓ_b = (1 − ε) · w_y · (−log p_y) + (ε / C) · Σ_c w_c · (−log p_c)</c> (w = 1 without weights), an ignored row 0;
/// the mean divides the sum by <c>Σ_b w_{y_b}</c> over the rows not ignored (their count without weights), so it is NaN
/// when every row is ignored, as in PyTorch. <c>dℓ_b/dz_j = (1 − ε) w_y (p_j − [j = y]) + (ε / C)(p_j Σ_c w_c − w_j)</c>.</para>
/// </remarks>
public sealed class CrossEntropyLoss : Criterion<int>
{
    private readonly float[] _weight;
    private readonly double _weightSum;

    /// <summary>Creates the criterion.</summary>
    /// <param name="reduction">Mean, sum, or none (one loss per row).</param>
    /// <param name="weight">A weight per class (finite, ≥ 0), or empty for 1 everywhere.</param>
    /// <param name="ignoreIndex">A label whose rows add nothing to the loss or the gradient (PyTorch's default −100).</param>
    /// <param name="labelSmoothing">The share ε of the target spread evenly over all classes, in [0, 1].</param>
    public CrossEntropyLoss(Reduction reduction = Reduction.Mean, ReadOnlySpan<float> weight = default, int ignoreIndex = -100, float labelSmoothing = 0f)
        : base(reduction)
    {
        for (int i = 0; i < weight.Length; i++)
        {
            if (!(weight[i] >= 0f) || !float.IsFinite(weight[i]))
            {
                throw new ArgumentOutOfRangeException(nameof(weight), weight[i], $"Expected finite class weights >= 0 but weight[{i}] = {weight[i]}.");
            }
        }
        if (!(labelSmoothing >= 0f && labelSmoothing <= 1f))
        {
            throw new ArgumentOutOfRangeException(nameof(labelSmoothing), labelSmoothing, "Expected label smoothing between 0 and 1.");
        }
        _weight = weight.ToArray();
        foreach (float w in _weight) _weightSum += w;
        IgnoreIndex = ignoreIndex;
        LabelSmoothing = labelSmoothing;
    }

    /// <summary>The weight of each class; empty when every weight is 1.</summary>
    public ReadOnlySpan<float> Weight => _weight;

    /// <summary>The label whose rows are ignored.</summary>
    public int IgnoreIndex { get; }

    /// <summary>The share of the target spread over all classes.</summary>
    public float LabelSmoothing { get; }

    /// <inheritdoc/>
    protected override int ElementsPerValue(int features) => features;

    /// <inheritdoc/>
    protected override void CheckTargets(ReadOnlySpan<float> outputs, ReadOnlySpan<int> targets, int features) =>
        Check(outputs, targets, features, outputs.Length, IgnoreIndex, _weight.Length);

    /// <inheritdoc/>
    protected override void ComputeUnreduced(ReadOnlySpan<float> outputs, ReadOnlySpan<int> targets, int features, Span<float> values, Span<float> gradient)
    {
        General(outputs, targets, features, gradient, values);
    }

    /// <inheritdoc/>
    protected override float Compute(ReadOnlySpan<float> outputs, ReadOnlySpan<int> targets, int features, Span<float> gradient)
    {
        Check(outputs, targets, features, gradient.IsEmpty ? outputs.Length : gradient.Length, IgnoreIndex, _weight.Length);
        if (_weight.Length != 0 || LabelSmoothing != 0f || targets.Contains(IgnoreIndex))
        {
            Span<float> rowLosses = Scratch(targets.Length);
            double divisor = General(outputs, targets, features, gradient, rowLosses);
            double sum = 0;
            foreach (float loss in rowLosses) sum += loss;
            if (Reduction == Reduction.Sum)
            {
                return (float)sum;
            }
            // Every row ignored: the mean is 0 / 0 = NaN, as PyTorch's, and the gradient stays zero, as PyTorch's.
            if (!gradient.IsEmpty && divisor != 0)
            {
                System.Numerics.Tensors.TensorPrimitives.Multiply(gradient, (float)(1 / divisor), gradient);
            }
            return (float)(sum / divisor);
        }
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
        Check(logits, labels, classes, gradient.Length, ignoreIndex: null, weightCount: 0);
        int batch = labels.Length;
        return Core(logits, labels, classes, gradient, reduction, batch <= 512 ? stackalloc float[batch] : new float[batch]);
    }

    // The static Compute reduces to one number.
    private static Reduction CheckReduction(Reduction reduction) => reduction is Reduction.Mean or Reduction.Sum
        ? reduction
        : throw new ArgumentOutOfRangeException(nameof(reduction), reduction, "Expected Reduction.Mean or Reduction.Sum.");

    /// <summary>Every label a class, one label per row, a gradient of the logits' shape: checked before anything is written.</summary>
    private static void Check(ReadOnlySpan<float> logits, ReadOnlySpan<int> labels, int classes, int gradientLength, int? ignoreIndex, int weightCount)
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
        if (weightCount != 0 && weightCount != classes)
        {
            throw new ArgumentException($"Expected {weightCount} classes, one per class weight, but the logits have {classes} per row.", nameof(logits));
        }
        for (int b = 0; b < batch; b++)
        {
            if ((uint)labels[b] >= (uint)classes && labels[b] != ignoreIndex)
            {
                string ignored = ignoreIndex is null || (uint)ignoreIndex < (uint)classes ? "" : $" or the ignored label {ignoreIndex}";
                throw new ArgumentOutOfRangeException(nameof(labels), labels[b], $"Expected every label in [0, {classes}){ignored} but labels[{b}] = {labels[b]}.");
            }
        }
    }

    /// <summary>
    /// Every option: writes each row's loss into <paramref name="rowLosses"/> and, unless <paramref name="gradient"/> is
    /// empty, each row's gradient; returns the mean's divisor (the summed target weights of the rows not ignored).
    /// </summary>
    private double General(ReadOnlySpan<float> logits, ReadOnlySpan<int> labels, int classes, Span<float> gradient, Span<float> rowLosses)
    {
        bool withGradient = !gradient.IsEmpty;
        ReadOnlySpan<float> weight = _weight;
        float smoothing = LabelSmoothing, keep = 1f - smoothing, share = smoothing / classes;
        double weightSum = weight.IsEmpty ? classes : _weightSum;
        double divisor = 0;
        for (int b = 0; b < labels.Length; b++)
        {
            ReadOnlySpan<float> z = logits.Slice(b * classes, classes);
            Span<float> g = withGradient ? gradient.Slice(b * classes, classes) : default;
            int y = labels[b];
            if (y == IgnoreIndex)
            {
                rowLosses[b] = 0f;
                if (withGradient) g.Clear();
                continue;
            }
            float max = z[0];
            for (int c = 1; c < classes; c++) max = MathF.Max(max, z[c]);
            double sum = 0;
            for (int c = 0; c < classes; c++) sum += Math.Exp(z[c] - max);
            double logSum = Math.Log(sum);
            // −log p_c = logSum − (z_c − max).
            double wy = weight.IsEmpty ? 1 : weight[y];
            double smooth = 0;
            for (int c = 0; c < classes; c++)
            {
                double wc = weight.IsEmpty ? 1 : weight[c];
                smooth += wc * (logSum - (z[c] - max));
            }
            rowLosses[b] = (float)(keep * wy * (logSum - (z[y] - max)) + share * smooth);
            divisor += wy;
            if (withGradient)
            {
                for (int c = 0; c < classes; c++)
                {
                    double p = Math.Exp(z[c] - max - logSum);
                    double wc = weight.IsEmpty ? 1 : weight[c];
                    g[c] = (float)(keep * wy * (p - (c == y ? 1 : 0)) + share * (p * weightSum - wc));
                }
            }
        }
        return divisor;
    }

    /// <summary>The checked computation; <paramref name="rowMax"/> is scratch of one float per row.</summary>
    // The hot loop of every training step: fully optimized from its first call, not after tiering up. Each pass over the
    // rows is a method of its own: the loss's sum then stays in a register inside each pass's loop (in one method with the
    // exp and log calls, the JIT kept it in memory through the loops too).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static float Core(ReadOnlySpan<float> logits, ReadOnlySpan<int> labels, int classes, Span<float> gradient, Reduction reduction, Span<float> rowMax)
    {
        int batch = labels.Length;
        float scale = reduction == Reduction.Mean ? 1f / batch : 1f;
        ref float z = ref MemoryMarshal.GetReference(logits);
        ref float g = ref MemoryMarshal.GetReference(gradient);
        ref int label = ref MemoryMarshal.GetReference(labels);
        ref float row = ref MemoryMarshal.GetReference(rowMax);

        // g = z − max(z) row by row, so exp never overflows (logits of ±1000 stay finite).
        ShiftByMaxima(ref z, ref g, ref row, batch, classes);
        // One vectorized exp over the whole batch rather than one call per row.
        VectorMath.Exp(gradient);
        // ℓ_b = log Σ_c exp(z_c − max) + max − z_y: the max and z_y part now, the log below. The row sums replace the maxima.
        double total = SumRows(ref z, ref g, ref label, ref row, batch, classes);
        // d ℓ_b / d z = softmax(z) − onehot(y), scaled by the reduction.
        Normalize(ref g, ref label, ref row, batch, classes, scale);
        // One vectorized log over the batch's row sums, added in row order.
        VectorMath.Log(rowMax);
        return (float)(AddInOrder(total, ref row, batch) * scale);
    }

    /// <summary><c>g = z − max(z)</c> row by row; each row's max into <paramref name="rowMax"/>.</summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static void ShiftByMaxima(ref float z, ref float g, ref float rowMax, int batch, int classes)
    {
        for (int b = 0, at = 0; b < batch; b++, at += classes)
        {
            float max = Unsafe.Add(ref z, at);
            for (int c = 1; c < classes; c++) max = MathF.Max(max, Unsafe.Add(ref z, at + c));
            for (int c = 0; c < classes; c++) Unsafe.Add(ref g, at + c) = Unsafe.Add(ref z, at + c) - max;
            Unsafe.Add(ref rowMax, b) = max;
        }
    }

    /// <summary>Σ_b (max_b − z_b,y_b) in row order; each row's sum of exp replaces its max.</summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static double SumRows(ref float z, ref float g, ref int label, ref float row, int batch, int classes)
    {
        double total = 0;
        for (int b = 0, at = 0; b < batch; b++, at += classes)
        {
            float sum = 0f;
            for (int c = 0; c < classes; c++) sum += Unsafe.Add(ref g, at + c);
            total += Unsafe.Add(ref row, b) - Unsafe.Add(ref z, at + Unsafe.Add(ref label, b));
            Unsafe.Add(ref row, b) = sum;
        }
        return total;
    }

    /// <summary><c>g = scale · (softmax(z) − onehot(y))</c>: each row of exp divided by its sum, then the label's entry less <paramref name="scale"/>.</summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static void Normalize(ref float g, ref int label, ref float rowSum, int batch, int classes, float scale)
    {
        for (int b = 0, at = 0; b < batch; b++, at += classes)
        {
            float factor = scale / Unsafe.Add(ref rowSum, b);
            for (int c = 0; c < classes; c++) Unsafe.Add(ref g, at + c) *= factor;
            Unsafe.Add(ref g, at + Unsafe.Add(ref label, b)) -= scale;
        }
    }

    /// <summary><paramref name="total"/> plus the first <paramref name="count"/> values, one after another.</summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static double AddInOrder(double total, ref float values, int count)
    {
        for (int i = 0; i < count; i++)
        {
            total += Unsafe.Add(ref values, i);
        }
        return total;
    }
}
