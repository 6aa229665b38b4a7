namespace CompiledNets.Generator.Model;

/// <summary>
/// A fully connected layer, <c>y = x · weightᵀ + bias</c>, and how each of its products runs. Must stay equatable.
/// </summary>
/// <param name="WeightOffset">Offset of <c>"{Index}.weight"</c> <c>[OutFeatures, InFeatures]</c> in the flat buffers.</param>
/// <param name="BiasOffset">Offset of <c>"{Index}.bias"</c> <c>[OutFeatures]</c> in the flat buffers.</param>
/// <param name="Transposed">
/// Whether the batched forward multiplies by a transposed copy of the weight (small layers: rows too short
/// to reduce along in vectors) instead of reducing along the rows of the weight.
/// </param>
/// <param name="WeightTFloats">
/// Floats of the transposed copy: <c>InFeatures · OutFeatures</c> for a copy written out in the generated code (rows of
/// OutFeatures), else room for the panels <c>Transposition.ToPanels</c> packs at the widest vectors (OutFeatures rounded up
/// to whole panels); 0 when the layer has none.
/// </param>
/// <param name="Forward">The batched forward product, named by its kernel.</param>
/// <param name="ForwardSample">The one-sample forward kernel, which layers run when the network is too large for registers.</param>
/// <param name="WeightGradient">The kernel of dLoss/dweight.</param>
/// <param name="InputGradient">The kernel of dLoss/dx (for the first layer, run only when dLoss/dinputs is asked for).</param>
/// <param name="BiasGradient">The kernel of dLoss/dbias.</param>
internal sealed record LinearSpec(
    int Index,
    string Module,
    int InFeatures,
    int OutFeatures,
    int WeightOffset,
    int BiasOffset,
    bool Transposed,
    int WeightTFloats,
    string Forward,
    string ForwardSample,
    string WeightGradient,
    string InputGradient,
    string BiasGradient)
    : LayerSpec(Index, Module, InFeatures, OutFeatures)
{
    /// <summary>
    /// Whether the ReLU that follows runs in this layer's forward: its register tiles store max(0, y) straight into the
    /// ReLU's output (the ReLU's backward reads only that output), and the layer's own output is never written.
    /// </summary>
    public bool FusesReLU { get; init; }

    /// <summary>
    /// For a <see cref="Packed"/> layer, the kernel that runs batches of fewer than <see cref="SmallBatchRows"/> rows: dot products
    /// along the rows of the weight itself, which need no packed copy; null for other layers.
    /// </summary>
    public string? SmallBatchForward { get; init; }

    /// <summary>
    /// Batches of fewer rows than this run <see cref="SmallBatchForward"/> on machines with 32 vector registers, where its tile
    /// of 3 rows × 8 outputs reuses each weight vector loaded three times; see <see cref="SmallBatchRowsNarrow"/> for 16.
    /// </summary>
    public int SmallBatchRows { get; init; }

    /// <summary>
    /// <see cref="SmallBatchRows"/> on machines with 16 vector registers, where the dot products run a row at a time and so
    /// lose to the packed weight's tiles at fewer rows.
    /// </summary>
    public int SmallBatchRowsNarrow { get; init; }

    /// <summary>Weights, and so multiply-adds of each product per row of the batch: the work that decides how many threads it gets.</summary>
    public int WeightCount => InFeatures * OutFeatures;

    /// <summary>Whether the transposed copy is written out in the generated code (small layers) rather than made by <c>Transposition</c>.</summary>
    public bool TransposeUnrolled => Transposed && WeightCount <= NetworkGenerator.Parser.UnrollLimit;

    /// <summary>
    /// Whether the forward packs weightᵀ in panels (<c>Transposition.ToPanels</c>) and splits over threads by outputs, each
    /// part packing its own rows; small batches run <see cref="SmallBatchForward"/> instead, and batches of at least twice the
    /// outputs' rows pack in parts of outputs, then split the product by rows.
    /// </summary>
    public bool Packed => Transposed && !TransposeUnrolled;

    /// <summary>
    /// How an unrolled transposed copy is made: a loop along the longer side (the outputs when there are at least as many as
    /// inputs), the shorter side written out with constant offsets.
    /// </summary>
    public bool TransposeAlongOutputs => OutFeatures >= InFeatures;
}
