namespace CompiledNets.Generator.Model;

/// <summary>The <c>[channels, height, width]</c> of one sample. Must stay equatable.</summary>
internal sealed record ShapeSpec(int Channels, int Height, int Width)
{
    public int Count => Channels * Height * Width;

    public override string ToString() => $"[{Channels}, {Height}, {Width}]";
}

/// <summary>
/// A 2-D convolution with a square kernel, <c>y[o, i, j] = bias[o] + Σ_c Σ_u Σ_v weight[o, c, u, v] · x[c, i·s − p + u, j·s − p + v]</c>.
/// Must stay equatable.
/// </summary>
/// <param name="In">The input sample's shape.</param>
/// <param name="Out">The output sample's shape.</param>
/// <param name="WeightOffset">Offset of <c>"{Index}.weight"</c> <c>[O, C, K, K]</c>.</param>
/// <param name="BiasOffset">Offset of <c>"{Index}.bias"</c> <c>[O]</c>.</param>
/// <param name="NeedsInputGradient">Whether backward writes dLoss/dx (not for the first layer).</param>
internal sealed record Conv2dSpec(int Index, string Module, ShapeSpec In, ShapeSpec Out, int Kernel, int Stride, int Padding, int WeightOffset, int BiasOffset, bool NeedsInputGradient)
    : LayerSpec(Index, Module, In.Count, Out.Count)
{
    public int WeightCount => Out.Channels * In.Channels * Kernel * Kernel;

    public int FanIn => In.Channels * Kernel * Kernel;
}

/// <summary>2-D max or average pooling over square windows, no padding, floor mode. Must stay equatable.</summary>
internal sealed record Pool2dSpec(int Index, string Module, bool IsMax, ShapeSpec In, ShapeSpec Out, int Kernel, int Stride)
    : LayerSpec(Index, Module, In.Count, Out.Count);

/// <summary><c>[C, H, W]</c> as <c>C·H·W</c> features: a copy in the same order. Must stay equatable.</summary>
internal sealed record FlattenSpec(int Index, ShapeSpec In)
    : LayerSpec(Index, "Flatten", In.Count, In.Count);
