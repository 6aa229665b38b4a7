using System;
using System.Collections.Generic;
using System.Reflection;
using CompiledNets;

namespace CompiledNets.Benchmarks;

/// <summary>Whether a workload trains (forward, loss, backward, step) or only infers (forward).</summary>
public enum Pass
{
    Inference,
    Training,
}

/// <summary>
/// Effective floating-point operations per sample, counting the matrix products only, so that
/// GFLOP/s compare with a machine's FMA peak (one FMA = 2 flops).
/// </summary>
/// <remarks>
/// For Linear layers l = 0 … L−1 with weights <c>[out_l, in_l]</c>:
/// <code>
/// forward  = Σ_l 2·in_l·out_l                       Y = X·Wᵀ
/// backward = Σ_l 2·in_l·out_l                       dW = dYᵀ·X
///          + Σ_{l ≥ 1} 2·in_l·out_l                 dX = dY·W (the input needs no gradient, so layer 0's dX is not computed)
/// training = forward + backward = Σ_l 6·in_l·out_l − 2·in_0·out_0
/// </code>
/// Bias adds, activations, the loss and the optimizer step are not counted: the first three are
/// O(out) per sample, the step is O(parameters) per batch. So 784→128→10 counts 203,264 flops per
/// sample forward and 409,088 per sample trained; 10→20→2 counts 480 and 1,040.
/// </remarks>
public static class Flops
{
    /// <summary>Flops per sample for <paramref name="pass"/> through the network type <paramref name="network"/>.</summary>
    public static long PerSample(Type network, Pass pass)
    {
        IReadOnlyList<(int In, int Out)> layers = LinearShapes(network);
        long forward = 0, firstLayer = 2L * layers[0].In * layers[0].Out;
        foreach (var (inFeatures, outFeatures) in layers)
        {
            forward += 2L * inFeatures * outFeatures;
        }
        return pass == Pass.Inference ? forward : 3 * forward - firstLayer;
    }

    /// <summary>
    /// The (inFeatures, outFeatures) of every Linear layer in order, read from the generated static
    /// <c>NamedParameters</c> (weights are named <c>"N.weight"</c> with shape <c>[out, in]</c>), so the
    /// count follows the layer attributes without repeating them here.
    /// </summary>
    public static IReadOnlyList<(int In, int Out)> LinearShapes(Type network)
    {
        PropertyInfo property = network.GetProperty("NamedParameters", BindingFlags.Public | BindingFlags.Static)
            ?? throw new ArgumentException($"{network.Name} has no static NamedParameters; is it a generated network?", nameof(network));
        var parameters = (IReadOnlyList<ParameterTensor>)property.GetValue(null)!;
        var shapes = new List<(int, int)>();
        foreach (ParameterTensor tensor in parameters)
        {
            if (tensor.Name.EndsWith(".weight", StringComparison.Ordinal) && tensor.Shape.Count == 2)
            {
                shapes.Add((tensor.Shape[1], tensor.Shape[0]));
            }
        }
        if (shapes.Count == 0)
        {
            throw new ArgumentException($"{network.Name} lists no \"N.weight\" tensor of two dimensions.", nameof(network));
        }
        return shapes;
    }
}
