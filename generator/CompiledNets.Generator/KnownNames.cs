namespace CompiledNets.Generator;

/// <summary>Fully qualified names the user's partial class spells out (the implementation uses plain names).</summary>
internal static class KnownNames
{
    public const string INetwork = "global::CompiledNets.INetwork";
    public const string Outputs = "global::CompiledNets.Outputs";
    public const string NoGradScope = "global::CompiledNets.NoGradScope";
    public const string ReadOnlySpan = "global::System.ReadOnlySpan<float>";
    public const string Span = "global::System.Span<float>";
    public const string GeneratedCode = "global::System.CodeDom.Compiler.GeneratedCode";
    public const string LayerInfoList = "global::System.Collections.Generic.IReadOnlyList<global::CompiledNets.LayerInfo>";
    public const string ParameterTensorList = "global::System.Collections.Generic.IReadOnlyList<global::CompiledNets.ParameterTensor>";

    /// <summary>Where every network's implementation namespace lives.</summary>
    public const string GeneratedNamespace = "CompiledNets.Generated";
}
