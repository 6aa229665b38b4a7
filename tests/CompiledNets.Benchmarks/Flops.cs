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
    /// Every product layer in order as (inFeatures, outFeatures) of the equivalent Linear, read from the generated static
    /// <c>Layers</c>: a Linear's own sizes; a convolution's window (in·k·k, or in·k for Conv1d) and its outputs
    /// (out·H·W), since each output is one dot product over the window. Batch norm, pooling and activations are not counted.
    /// </summary>
    public static IReadOnlyList<(int In, int Out)> LinearShapes(Type network)
    {
        PropertyInfo property = network.GetProperty("Layers", BindingFlags.Public | BindingFlags.Static)
            ?? throw new ArgumentException($"{network.Name} has no static Layers; is it a generated network?", nameof(network));
        var layers = (IReadOnlyList<LayerInfo>)property.GetValue(null)!;
        var shapes = new List<(int, int)>();
        foreach (LayerInfo layer in layers)
        {
            if (layer.Kind == LayerKind.Linear)
            {
                shapes.Add((layer.InFeatures, layer.OutFeatures));
            }
            else if (layer.Kind is LayerKind.Conv2d or LayerKind.Conv1d && layer.Window is { } w)
            {
                int taps = w.Dimensions == 1 ? w.KernelSize : w.KernelSize * w.KernelSize;
                shapes.Add((w.InChannels * taps, w.OutChannels * w.OutHeight * w.OutWidth));
            }
        }
        if (shapes.Count == 0)
        {
            throw new ArgumentException($"{network.Name} has no Linear or convolution layer.", nameof(network));
        }
        return shapes;
    }
}
