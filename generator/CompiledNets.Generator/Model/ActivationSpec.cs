namespace CompiledNets.Generator.Model;

/// <summary>An elementwise activation (ReLU, GELU, ...): its function from the activation table and its argument. Must stay equatable.</summary>
/// <param name="Function">Which row of <see cref="Activations"/> the layer is.</param>
/// <param name="Argument">The function's one argument (LeakyReLU's negative slope), formatted as a C# float literal, or null.</param>
internal sealed record ActivationSpec(int Index, string Module, int Features, ActivationFunction Function, string? Argument)
    : LayerSpec(Index, Module, Features, Features)
{
    /// <summary>Whether the Linear before this ReLU computes its forward in its own tiles' stores (<see cref="LinearSpec.FusesReLU"/>).</summary>
    public bool FusedIntoPrevious { get; init; }
}
