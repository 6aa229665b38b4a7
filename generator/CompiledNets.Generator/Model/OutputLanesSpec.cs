namespace CompiledNets.Generator.Model;

/// <summary>
/// <c>dweight[o, i] += Σ_b dy[b, o] · x[b, i]</c> for a Linear whose rows of <see cref="Inputs"/> are shorter than a
/// vector: tiles of every input × <see cref="TileVectors"/> vectors of outputs, the lanes running along the outputs, so
/// every lane does work (a row of 10 fills 10 of 16 lanes in <see cref="InputLanes"/>, the broadcast product's tiles). A
/// tile sums each input's vector down the whole batch from zero, stores them in a small scratch and adds them into the
/// gradient's rows one by one. That move costs about what a tile's first batch rows do, so small batches, and machines with 16
/// vector registers, run <see cref="InputLanes"/> instead. Must stay equatable.
/// </summary>
/// <param name="Inputs">The layer's inputs: the gradient's row length, at most <see cref="MaximumInputs"/>.</param>
/// <param name="Outputs">
/// The layer's outputs: the gradient's rows, which threads split; at least a tile's at every width (a seed net's 20 outputs
/// would leave lanes idle here too, and its step measured a few percent slower).
/// </param>
/// <param name="InputLanes">The broadcast product (lanes along the inputs) that small batches run.</param>
internal sealed record OutputLanesSpec(string Name, string Summary, int Inputs, int Outputs, string InputLanes)
    : ProductSpec(Name, Summary)
{
    /// <summary>
    /// The longest row that takes these tiles: 2 × 12 accumulators, two vectors of dy and a broadcast of x fit in 32 vector
    /// registers. A row of 16 fills a whole AVX-512 vector in the broadcast product already.
    /// </summary>
    public const int MaximumInputs = 12;

    /// <summary>Vectors of outputs per tile (on machines with 32 vector registers).</summary>
    public const int TileVectors = 2;

    /// <summary>
    /// The smallest batch that takes these tiles. A tile's multiply-adds grow with the batch while the move into the gradient
    /// does not: measured on AVX-512 for rows of 10, against the broadcast product, level at 32 rows (105 against 93–103
    /// GFLOP/s), 1.4× at 64 and 1.7–2.7× at 128 to 256; at 16 rows 25–30 % slower for 64 and 256 outputs.
    /// </summary>
    public const int MinimumBatch = 32;
}
