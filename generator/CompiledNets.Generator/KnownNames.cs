namespace CompiledNets.Generator;

/// <summary>Metadata names of the layer attributes and fully qualified names used in generated code.</summary>
internal static class KnownNames
{
    public const string LinearAttribute = "CompiledNets.LinearAttribute";
    public const string ReLUAttribute = "CompiledNets.ReLUAttribute";
    public const string LeakyReLUAttribute = "CompiledNets.LeakyReLUAttribute";
    public const string SigmoidAttribute = "CompiledNets.SigmoidAttribute";
    public const string TanhAttribute = "CompiledNets.TanhAttribute";

    /// <summary>Every layer attribute; a network is discovered through any of them.</summary>
    public static readonly string[] LayerAttributes =
    {
        LinearAttribute, ReLUAttribute, LeakyReLUAttribute, SigmoidAttribute, TanhAttribute,
    };

    public const string INetwork = "global::CompiledNets.INetwork";
    public const string ParallelWork = "global::CompiledNets.IParallelWork";
    public const string Parallelism = "global::CompiledNets.Parallelism";
    public const string Outputs = "global::CompiledNets.Outputs";
    public const string NoGradScope = "global::CompiledNets.NoGradScope";
    public const string ParameterTensor = "global::CompiledNets.ParameterTensor";
    public const string Rng = "global::CompiledNets.Rng";
    public const string ReadOnlySpan = "global::System.ReadOnlySpan<float>";
    public const string Span = "global::System.Span<float>";
    public const string MathF = "global::System.MathF";
    public const string ArgumentException = "global::System.ArgumentException";
    public const string InvalidOperationException = "global::System.InvalidOperationException";
    public const string TensorPrimitives = "global::System.Numerics.Tensors.TensorPrimitives";
    public const string Unsafe = "global::System.Runtime.CompilerServices.Unsafe";
    public const string MemoryMarshal = "global::System.Runtime.InteropServices.MemoryMarshal";
    public const string MethodImpl = "global::System.Runtime.CompilerServices.MethodImpl";
    public const string AggressiveInlining = "global::System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining";
    public const string Vector512 = "global::System.Runtime.Intrinsics.Vector512";
    public const string Vector256 = "global::System.Runtime.Intrinsics.Vector256";
    public const string Vector128 = "global::System.Runtime.Intrinsics.Vector128";
    public const string GeneratedCode = "global::System.CodeDom.Compiler.GeneratedCode";
    public const string FiniteCheck = "global::CompiledNets.FiniteCheck";
    public const string LayerInfo = "global::CompiledNets.LayerInfo";
    public const string IReadOnlyListOfLayerInfo = "global::System.Collections.Generic.IReadOnlyList<global::CompiledNets.LayerInfo>";
    public const string IReadOnlyListOfParameterTensor = "global::System.Collections.Generic.IReadOnlyList<global::CompiledNets.ParameterTensor>";
}
