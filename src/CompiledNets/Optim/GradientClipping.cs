using System;
using System.Numerics.Tensors;

namespace CompiledNets;

/// <summary>Gradient clipping over a network's flat gradient buffer, as <c>torch.nn.utils</c>.</summary>
public static class GradientClipping
{
    /// <summary>
    /// Scales every gradient so that their joint norm is at most <paramref name="maxNorm"/>, exactly as PyTorch's
    /// <c>clip_grad_norm_</c>: <c>total = ‖all gradients as one vector‖_p</c>, then every gradient is multiplied by
    /// <c>min(1, max_norm / (total + 1e-6))</c>. Call it between <c>loss.Backward()</c> and <c>optimizer.Step()</c>.
    /// </summary>
    /// <param name="network">The network whose <see cref="INetwork.Gradients"/> are clipped.</param>
    /// <param name="maxNorm">The largest norm allowed, finite and ≥ 0.</param>
    /// <param name="normType">p of the p-norm, &gt; 0; <see cref="float.PositiveInfinity"/> for the largest absolute value.</param>
    /// <param name="errorIfNonfinite">Whether a NaN or infinite total norm throws (leaving the gradients as they were) instead of spreading into them, as PyTorch's option.</param>
    /// <returns>The total norm before clipping.</returns>
    public static float ClipGradNorm(this INetwork network, float maxNorm, float normType = 2f, bool errorIfNonfinite = false)
    {
        ArgumentNullException.ThrowIfNull(network);
        if (!(maxNorm >= 0f) || !float.IsFinite(maxNorm)) throw new ArgumentOutOfRangeException(nameof(maxNorm), maxNorm, "Expected a finite maximum norm >= 0.");
        if (!(normType > 0f)) throw new ArgumentOutOfRangeException(nameof(normType), normType, "Expected a norm type > 0 (or float.PositiveInfinity).");
        Span<float> gradients = network.Gradients;
        float total = (float)Norm(gradients, normType);
        if (!float.IsFinite(total) && errorIfNonfinite)
        {
            throw new InvalidOperationException(
                $"The total norm of order {normType} of the gradients is {total}, so they cannot be clipped; pass errorIfNonfinite: false to clip anyway.");
        }
        // As PyTorch, in float32: max_norm / (total + 1e-6) runs as reciprocal then multiply; clamped to at most 1 (NaN stays NaN).
        float coefficient = 1f / (total + 1e-6f) * maxNorm;
        if (!(coefficient >= 1f))
        {
            TensorPrimitives.Multiply(gradients, coefficient, gradients);
        }
        return total;
    }

    /// <summary>The p-norm of <paramref name="values"/>, accumulated in double.</summary>
    private static double Norm(ReadOnlySpan<float> values, float p)
    {
        if (float.IsPositiveInfinity(p))
        {
            float max = 0f;
            foreach (float v in values)
            {
                float a = MathF.Abs(v);
                if (!(a <= max)) max = a; // NaN wins, as torch.max propagates it
                if (float.IsNaN(max)) break;
            }
            return max;
        }
        double sum = 0;
        if (p == 2f)
        {
            foreach (float v in values) sum += (double)v * v;
            return Math.Sqrt(sum);
        }
        if (p == 1f)
        {
            foreach (float v in values) sum += Math.Abs(v);
            return sum;
        }
        foreach (float v in values) sum += Math.Pow(Math.Abs(v), p);
        return Math.Pow(sum, 1.0 / p);
    }
}
