namespace CompiledNets.Generator.Model;

/// <summary>
/// Inverted dropout over <paramref name="Features"/> floats per sample: kept elements scaled by 1 / (1 − p) while
/// training, the identity in evaluation. Must stay equatable.
/// </summary>
/// <param name="P">The probability of zeroing an element, as a C# float literal.</param>
/// <param name="Mask">The field of the batch's mask (each element 0 or 1 / (1 − p)), which backward multiplies by.</param>
internal sealed record DropoutSpec(int Index, string Module, int Features, string P, string Mask)
    : LayerSpec(Index, Module, Features, Features);
