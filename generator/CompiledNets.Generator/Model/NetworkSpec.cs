namespace CompiledNets.Generator.Model;

/// <summary>
/// Everything the emitter formats for one network: names, layers, sizes and the kernels to emit.
/// The parser has checked it and computed every number. Must stay equatable: it holds no symbol,
/// syntax node or compilation.
/// </summary>
/// <param name="Namespace">The namespace, or null for the global namespace.</param>
/// <param name="ClassName">The network class.</param>
/// <param name="ContainingTypes">Types the class is nested in, outermost first.</param>
/// <param name="HintName">The generated file's name, namespace-qualified.</param>
/// <param name="Layers">The layers in declaration order.</param>
/// <param name="InputSize">Floats per input sample.</param>
/// <param name="OutputSize">Floats per output sample.</param>
/// <param name="ParameterCount">Total trainable floats.</param>
/// <param name="VectorizedShapes">Distinct shapes of Linear layers: each gets one set of tiled SIMD kernels for batches.</param>
/// <param name="InferenceOnStack">Whether one-sample inference keeps its activations on the stack (small networks).</param>
internal sealed record NetworkSpec(
    string? Namespace,
    string ClassName,
    EquatableArray<ContainingTypeSpec> ContainingTypes,
    string HintName,
    EquatableArray<LayerSpec> Layers,
    int InputSize,
    int OutputSize,
    int ParameterCount,
    EquatableArray<ShapeSpec> VectorizedShapes,
    bool InferenceOnStack);
