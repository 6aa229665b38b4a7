namespace CompiledNets.Generator.Model;

/// <summary>
/// Everything the emitter formats for one network: names, layers, parameters, buffers and kernels. The
/// parser has checked it and computed every number and every choice. Must stay equatable: it holds no
/// symbol, syntax node or compilation.
/// </summary>
/// <param name="Namespace">The user's namespace, or null for the global namespace.</param>
/// <param name="ClassName">The network class, as C# spells it.</param>
/// <param name="ContainingTypes">Types the class is nested in, outermost first.</param>
/// <param name="HintName">The generated file's name, namespace-qualified.</param>
/// <param name="ImplementationNamespace">
/// The namespace of the implementation (<c>CompiledNets.Generated.…</c>): its own, so its <c>using</c>s
/// cannot meet the user's types.
/// </param>
/// <param name="Layers">The layers in declaration order.</param>
/// <param name="Parameters">The parameter tensors in state_dict order.</param>
/// <param name="Buffers">The arrays of the batched passes: inputs, activations, their gradients, transposed weights.</param>
/// <param name="Products">The distinct kernels the layers call.</param>
/// <param name="InputSize">Floats per input sample.</param>
/// <param name="OutputSize">Floats per output sample.</param>
/// <param name="ParameterCount">Total trainable floats.</param>
/// <param name="OneSampleInRegisters">Whether one-sample inference runs fully unrolled in local variables (every layer small).</param>
/// <param name="Statistics">The buffers (running statistics and counters) in state_dict order; empty without batch normalization.</param>
/// <param name="ValuesPerChannel">The fewest values per channel one sample brings to a batch normalization; 0 without one.</param>
/// <param name="MarkGeneratedCode">
/// Whether the generated class part carries [GeneratedCode]: false when the user's declaration already does, since the
/// attribute may appear once per class.
/// </param>
internal sealed record NetworkSpec(
    string? Namespace,
    string ClassName,
    EquatableArray<ContainingTypeSpec> ContainingTypes,
    string HintName,
    string ImplementationNamespace,
    EquatableArray<LayerSpec> Layers,
    EquatableArray<ParameterSpec> Parameters,
    EquatableArray<BufferSpec> Buffers,
    EquatableArray<ProductSpec> Products,
    int InputSize,
    int OutputSize,
    int ParameterCount,
    bool OneSampleInRegisters,
    EquatableArray<StatisticSpec> Statistics,
    int ValuesPerChannel,
    bool MarkGeneratedCode = true)
{
    /// <summary>Floats per row of the widest batch buffer: what bounds the largest batch an array can hold.</summary>
    public int WidestRow => System.Linq.Enumerable.Max(System.Linq.Enumerable.Where(Buffers, b => b.IsBatch), b => b.RowFloats);

    /// <summary>Whether any layer drops units, so the network needs a mask generator.</summary>
    public bool HasDropout => System.Linq.Enumerable.Any(System.Linq.Enumerable.OfType<DropoutSpec>(Layers));

    /// <summary>Floats of the float buffers (running statistics).</summary>
    public int StatisticFloats => System.Linq.Enumerable.Sum(System.Linq.Enumerable.Where(Statistics, s => !s.IsInteger), s => s.Count);

    /// <summary>Elements of the int64 buffers (one num_batches_tracked per batch normalization).</summary>
    public int StatisticIntegers => System.Linq.Enumerable.Count(Statistics, s => s.IsInteger);

    /// <summary>Batch buffers hold whole tiles of this many rows (the runtime's WorkspaceBase.RowTile).</summary>
    public const int RowTile = 4;

    /// <summary>
    /// Floats a kernel keeps in cache while it rereads them (256 KB, a typical L2's share): a broadcast product's block of
    /// rows, a convolution weight gradient's block of samples' columns.
    /// </summary>
    public const int CacheBlockFloats = 65536;
}
