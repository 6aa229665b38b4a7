namespace CompiledNets.Generator.Model;

/// <summary>
/// Batch normalization of <paramref name="Channels"/> channels, each with <paramref name="PerChannel"/> values per sample
/// (1 after a Linear, L in a sequence, H·W in an image): <c>y = (x − mean) / √(var + eps) · weight + bias</c>. Must stay equatable.
/// </summary>
/// <param name="IsImage">Whether this is a BatchNorm2d (of an image), else a BatchNorm1d.</param>
/// <param name="Shape">The sample's shape, or null for features.</param>
/// <param name="Eps">eps, as a C# float literal.</param>
/// <param name="Momentum">momentum, as a C# float literal.</param>
/// <param name="WeightOffset">Offset of <c>"{Index}.weight"</c> <c>[C]</c>; the bias follows it.</param>
/// <param name="MeanOffset">Offset of <c>"{Index}.running_mean"</c> <c>[C]</c> in the float buffers; running_var follows it.</param>
/// <param name="CounterOffset">Offset of <c>"{Index}.num_batches_tracked"</c> in the int64 buffers.</param>
internal sealed record BatchNormSpec(
    int Index, string Module, bool IsImage, int Channels, int PerChannel, ShapeSpec? Shape, string Eps, string Momentum,
    int WeightOffset, int MeanOffset, int CounterOffset)
    : LayerSpec(Index, Module, Channels * PerChannel, Channels * PerChannel)
{
    public int BiasOffset => WeightOffset + Channels;

    public int VarianceOffset => MeanOffset + Channels;

    /// <summary>
    /// Whether the ReLU that follows runs in this layer's forward: it stores max(0, y) straight into the ReLU's output (the
    /// ReLU's backward reads only that output, this layer's backward only its input), and its own output is never written.
    /// </summary>
    public bool FusesReLU { get; init; }

    /// <summary>The field of the per-channel mean the last forward used (the batch's or the running one).</summary>
    public string MeanField => $"_mean{Index}";

    /// <summary>The field of the per-channel 1 / √(var + eps) the last forward used.</summary>
    public string InverseStdField => $"_invStd{Index}";
}

/// <summary>
/// One buffer tensor of the network (not trained, saved with the parameters), as PyTorch's state_dict names it. Must stay equatable.
/// </summary>
/// <param name="Name">The state_dict key, e.g. <c>"1.running_mean"</c>.</param>
/// <param name="Constant">The C# constant of its offset, e.g. <c>RunningMean1</c>.</param>
/// <param name="Offset">Where it starts in the float buffers, or in the int64 buffers when <paramref name="IsInteger"/>.</param>
/// <param name="Shape">Its dimensions; empty for a scalar.</param>
/// <param name="IsInteger">Whether it is an int64 (num_batches_tracked).</param>
/// <param name="Initial">Its initial value (0 or 1).</param>
internal sealed record StatisticSpec(string Name, string Constant, int Offset, EquatableArray<int> Shape, bool IsInteger, int Initial)
{
    public int Count => Shape.Count == 0 ? 1 : System.Linq.Enumerable.Aggregate(Shape, 1, (a, b) => a * b);
}
