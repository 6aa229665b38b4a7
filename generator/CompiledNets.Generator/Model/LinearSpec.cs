namespace CompiledNets.Generator.Model;

/// <summary>
/// A fully connected layer, <c>y = x · weightᵀ + bias</c>, and how each of its products runs. Must stay equatable.
/// </summary>
/// <param name="WeightOffset">Offset of <c>"{Index}.weight"</c> <c>[OutFeatures, InFeatures]</c> in the flat buffers.</param>
/// <param name="BiasOffset">Offset of <c>"{Index}.bias"</c> <c>[OutFeatures]</c> in the flat buffers.</param>
/// <param name="NeedsInputGradient">Whether backward must produce dLoss/dInput (false for the first layer: nothing before it learns).</param>
/// <param name="Transposed">
/// Whether the batched forward multiplies by a transposed copy of the weight (small layers: rows too short
/// to reduce along in vectors) instead of reducing along the rows of the weight.
/// </param>
/// <param name="Forward">The batched forward product, named by its kernel.</param>
/// <param name="ForwardSample">The one-sample forward kernel (layers run one sample through kernels when the network is too large for registers), or null.</param>
/// <param name="WeightGradient">The kernel of dLoss/dweight.</param>
/// <param name="InputGradient">The kernel of dLoss/dx, or null without <paramref name="NeedsInputGradient"/>.</param>
/// <param name="BiasGradient">The kernel of dLoss/dbias.</param>
/// <param name="MultiplyAddsPerRow">Multiply-adds of one product per row of the batch: the work that decides how many threads it gets.</param>
internal sealed record LinearSpec(
    int Index,
    string Module,
    int InFeatures,
    int OutFeatures,
    int WeightOffset,
    int BiasOffset,
    bool NeedsInputGradient,
    bool Transposed,
    string Forward,
    string? ForwardSample,
    string WeightGradient,
    string? InputGradient,
    string BiasGradient,
    long MultiplyAddsPerRow)
    : LayerSpec(Index, Module, InFeatures, OutFeatures)
{
    public int WeightCount => InFeatures * OutFeatures;
}
