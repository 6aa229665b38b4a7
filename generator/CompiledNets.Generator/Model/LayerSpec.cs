namespace CompiledNets.Generator.Model;

/// <summary>
/// One layer, with every size and offset the emitter needs already computed. Must stay equatable.
/// </summary>
/// <param name="Index">Position in the attribute list, as <c>nn.Sequential</c> numbers its modules.</param>
/// <param name="Kind">The layer type.</param>
/// <param name="InFeatures">Floats per sample going in.</param>
/// <param name="OutFeatures">Floats per sample coming out (equal to <paramref name="InFeatures"/> for activations).</param>
/// <param name="NegativeSlope">LeakyReLU's slope for negative inputs; 0 otherwise.</param>
/// <param name="WeightOffset">Offset of <c>"{Index}.weight"</c> in the flat buffers (Linear only).</param>
/// <param name="BiasOffset">Offset of <c>"{Index}.bias"</c> in the flat buffers (Linear only).</param>
/// <param name="Strategy">How a Linear layer is emitted.</param>
/// <param name="NeedsInputGradient">Whether backward must produce dLoss/dInput (false for the first layer).</param>
internal sealed record LayerSpec(
    int Index,
    LayerKind Kind,
    int InFeatures,
    int OutFeatures,
    float NegativeSlope,
    int WeightOffset,
    int BiasOffset,
    LinearStrategy Strategy,
    bool NeedsInputGradient)
{
    public int WeightCount => InFeatures * OutFeatures;
}
