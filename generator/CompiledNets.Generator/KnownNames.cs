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
    public const string BufferTensorList = "global::System.Collections.Generic.IReadOnlyList<global::CompiledNets.BufferTensor>";
    public const string LongSpan = "global::System.Span<long>";

    /// <summary>INetwork as <c>ITypeSymbol.ToDisplayString()</c> spells it, to recognize networks among the user's types.</summary>
    public const string INetworkName = "CompiledNets.INetwork";

    /// <summary>The attribute <see cref="GeneratedCode"/> names, as <c>ToDisplayString()</c> spells it, to see whether the user already applied it.</summary>
    public const string GeneratedCodeAttributeName = "System.CodeDom.Compiler.GeneratedCodeAttribute";

    /// <summary>Where every network's implementation namespace lives.</summary>
    public const string GeneratedNamespace = "CompiledNets.Generated";

    /// <summary>
    /// The members the generated partial declaration adds to every network class (besides INetwork's explicit
    /// implementations), as CN0013, CN0014 and CN0018 describe them; methods list their parameter types, as
    /// <c>ITypeSymbol.ToDisplayString()</c> spells them, so that user overloads with other parameters are allowed.
    /// </summary>
    public static readonly GeneratedMember[] GeneratedMembers =
    [
        new("InputSize", "the constant InputSize"),
        new("OutputSize", "the constant OutputSize"),
        new("ParameterCount", "the constant ParameterCount"),
        new("_network", "the field _network"),
        new("NamedParameters", "the static property NamedParameters"),
        new("NamedBuffers", "the static property NamedBuffers"),
        new("Layers", "the static property Layers"),
        new("Parameters", "the property Parameters"),
        new("Gradients", "the property Gradients"),
        new("Buffers", "the property Buffers"),
        new("IntegerBuffers", "the property IntegerBuffers"),
        new("GradEnabled", "the property GradEnabled"),
        new("ThreadCount", "the property ThreadCount"),
        new("Training", "the property Training"),
        new("InputRequiresGrad", "the property InputRequiresGrad"),
        new("InputGradient", "the property InputGradient"),
        new("Train", "the method Train()", []),
        new("Eval", "the method Eval()", []),
        new("NoGrad", "the method NoGrad()", []),
        new("Forward", "the method Forward(ReadOnlySpan<float>, Span<float>)", ["System.ReadOnlySpan<float>", "System.Span<float>"]),
        new("Forward", "the method Forward(ReadOnlySpan<float>)", ["System.ReadOnlySpan<float>"]),
        new("Predict", "the method Predict(ReadOnlySpan<float>, Span<float>)", ["System.ReadOnlySpan<float>", "System.Span<float>"]),
        new("Backward", "the method Backward(ReadOnlySpan<float>)", ["System.ReadOnlySpan<float>"]),
    ];

    /// <summary>A member the generator adds: its name, how messages describe it, and a method's parameter types.</summary>
    public sealed record GeneratedMember(string Name, string Description, string[]? Parameters = null);
}
