namespace CompiledNets.Generator.Model;

/// <summary>
/// One matrix product of constant shape that a kernel computes; a network emits one kernel per distinct
/// product. Two forms, both written once generic over the vector width:
/// <see cref="DotProductSpec"/> reduces along rows in vectors, <see cref="BroadcastProductSpec"/> multiplies
/// a broadcast number by vectors of a row. Must stay equatable.
/// </summary>
/// <param name="Name">The kernel's method name, e.g. <c>Forward784x128</c>.</param>
/// <param name="Summary">The formula and shapes, for the comment above the kernel.</param>
internal abstract record ProductSpec(string Name, string Summary);

/// <summary>
/// <c>y[r, o] = bias[o] + Σ_i x[r, i] · w[o, i]</c>, a row (or <paramref name="WideRows"/>) at a time: groups of <see cref="Group"/> outputs, each a vector
/// accumulator along the inputs (the last vector partial, its lanes past the row cleared), the group then summed across
/// lanes together (<c>V.StoreSums</c>, in an order that does not depend on the group, so one sample, a batch's rows and
/// every thread count give an output the same bits).
/// </summary>
/// <param name="Inputs">Length of the rows reduced along (i).</param>
/// <param name="Outputs">Rows of w (o).</param>
/// <param name="Batched">
/// Whether the kernel runs the rows [rowStart, rowEnd) of a batch, for the outputs [outStart, outEnd) (whole groups, the last
/// part to the end), or one sample.
/// </param>
/// <param name="HasInputTail">Whether some vector width leaves inputs after the last whole vector (a partial vector).</param>
/// <param name="OutputBlock">
/// Outputs per block when the weight is too large to stay in cache: every row runs one block before the next block
/// starts; 0 when every row runs all outputs.
/// </param>
/// <param name="WideRows">
/// Rows a batched kernel runs through its whole groups at once on machines with 32 vector registers (3: 24 accumulators,
/// each weight vector loaded serving the three rows, where one row loads a weight vector per multiply-add), or 0 (one sample,
/// or fewer outputs than a group).
/// </param>
internal sealed record DotProductSpec(
    string Name,
    string Summary,
    int Inputs,
    int Outputs,
    bool Batched,
    bool HasInputTail,
    int OutputBlock,
    int WideRows)
    : ProductSpec(Name, Summary)
{
    /// <summary>Outputs summed together: eight accumulators (of 16 registers on AVX2, with the input and a weight vector).</summary>
    public const int Group = 8;

    /// <summary>Outputs after the last whole group, summed in a group of their own.</summary>
    public int OutputTail => Outputs % Group;
}

/// <summary>How a broadcast product's result starts.</summary>
internal enum ProductStart
{
    /// <summary><c>C = A · B</c>.</summary>
    Zero,

    /// <summary><c>C += A · B</c> (gradients accumulate, as in PyTorch).</summary>
    Accumulate,

    /// <summary><c>C = bias + A · B</c>, one bias per column.</summary>
    Bias,

    /// <summary><c>C = bias + A · B</c>, one bias per row (a convolution's output channel).</summary>
    RowBias,
}

/// <summary>
/// <c>C[r, col] (+)= Σ_k A(r, k) · B[k, col]</c> with <c>A(r, k) = a[r·ARowStride + k·ADepthStride]</c>,
/// <c>B[k, col] = b[k·BDepthStride + col]</c>, <c>C[r, col] = c[r·CRowStride + col]</c>: panels of
/// <see cref="TileVectors"/> vectors of columns, each run down the rows in register tiles (<see cref="WideRows"/> rows
/// where the machine has 32 vector registers, else <see cref="TileRows"/>; one-vector tiles <see cref="WideRows"/> on every
/// machine), one broadcast of A per row and step.
/// </summary>
/// <param name="A">The name of A in the kernel (the broadcast operand), e.g. <c>x</c>.</param>
/// <param name="B">The name of B (the vector operand), e.g. <c>weightT</c>.</param>
/// <param name="C">The name of C (the result), e.g. <c>y</c>.</param>
/// <param name="Columns">Columns of C.</param>
/// <param name="RowsAreBatch">
/// Whether the rows of C are the batch's (the buffers hold whole tiles, so every tile is whole), or the constant
/// <see cref="Rows"/>.
/// </param>
/// <param name="Rows">Constant row count when not <paramref name="RowsAreBatch"/>.</param>
/// <param name="DepthIsBatch">Whether k runs over the batch (weight gradients) or to the constant <see cref="Depth"/>.</param>
/// <param name="Depth">Constant depth when not <paramref name="DepthIsBatch"/>.</param>
/// <param name="TileRows">Rows per tile on every machine (4, or the rows when fewer): the 16-register tile, and the wide tile's tail.</param>
/// <param name="WideRows">
/// Rows of every tile (whole panels, the single vectors after them, the partial last vector) on machines with 32 vector
/// registers, and of the one-vector tiles on every machine (at most 12 rows: 12 accumulators, the vector of B and the
/// broadcast fit 16 registers): 8, a constant count of 5 to 7 in one tile, or 9 to 12 in one tile two vectors wide; or 0
/// when the rows are too few: then every tile takes <see cref="TileRows"/>.
/// </param>
/// <param name="TailRows">
/// For constant rows, the rows of the last tile when <see cref="Rows"/> is not a multiple of <see cref="TileRows"/>;
/// otherwise 0.
/// </param>
/// <param name="TileVectors">Vectors of columns per panel in the main column loop.</param>
/// <param name="HasPairStep">
/// Whether some width has two whole vectors left after the panels, a tenth of the columns or more: they run as one tile of
/// two vectors (each broadcast of A serves both), not as two tiles of one.
/// </param>
/// <param name="HasVectorLoop">Whether some width has whole vectors left after the panels (and the pair step).</param>
/// <param name="HasPartialVector">Whether some width has a partial vector left at the end of a row.</param>
/// <param name="RowBlock">
/// Rows of a batch per block, every panel running over one block before the next (0: no blocks): blocks whose rows of A
/// fit in cache for long rows, or blocks of one wide tile where the sums are short (<see cref="ShortSumBlocks"/>).
/// </param>
/// <param name="ShortSumBlocks">
/// Whether the blocks are one wide tile of rows because the sums are short: a tile stores its results after a few
/// multiply-adds each, and a row tile run along every panel writes its rows of C in order.
/// </param>
/// <param name="DepthBlock">
/// Rows of B per depth block (0: one pass over the whole depth): every panel and row tile runs over a block before the next,
/// the tiles of later blocks adding to C. Only for a constant depth and a start of zero or the gradient's values.
/// </param>
/// <param name="StepsPerPass">Steps of k per pass of a tile's loop (the loop's own instructions come once per pass).</param>
/// <param name="ReLU">Whether the tiles store max(0, C) (a forward that runs the ReLU after it, <c>LinearSpec.FusesReLU</c>).</param>
/// <param name="SplitsColumns">
/// Whether threads split the product by columns (each part every row of its columns; batch rows only) rather than by rows:
/// a layer's forward through its packed transposed weight, whose parts each pack the weight rows of their own columns. (A
/// batch of at least twice the outputs' rows calls it for parts of rows instead, each over every column, after a pack round.)
/// </param>
internal sealed record BroadcastProductSpec(
    string Name,
    string Summary,
    string A,
    string B,
    string C,
    int Columns,
    bool RowsAreBatch,
    int Rows,
    bool DepthIsBatch,
    int Depth,
    int ARowStride,
    int ADepthStride,
    int BDepthStride,
    int CRowStride,
    ProductStart Start,
    int TileRows,
    int WideRows,
    int TailRows,
    int TileVectors,
    bool HasPairStep,
    bool HasVectorLoop,
    bool HasPartialVector,
    int RowBlock,
    bool ShortSumBlocks,
    bool SplitsColumns = false,
    bool ReLU = false,
    int DepthBlock = 0,
    int StepsPerPass = 1)
    : ProductSpec(Name, Summary)
{
    /// <summary>
    /// Whether B is packed in panels of one vector of columns (<c>Transposition.ToPanels</c>): B[k, col] at
    /// <c>(col / V.Count) · (Depth · V.Count) + k · V.Count + col % V.Count</c>, so each vector of a tile streams from a panel
    /// of its own. A product split by columns reads the panels its parts packed.
    /// </summary>
    public bool BInPanels => SplitsColumns;

    /// <summary>Whether a tile runs passes of <see cref="StepsPerPass"/> steps: unless the depth is a constant shorter than a pass.</summary>
    public bool HasPasses => StepsPerPass > 1 && (DepthIsBatch || DepthBlock > 0 || Depth >= StepsPerPass);

    /// <summary>Whether a tile runs single steps after its passes: unless the depth is a constant multiple of a pass.</summary>
    public bool HasSingleSteps => !HasPasses || DepthIsBatch || DepthBlock > 0 || Depth % StepsPerPass != 0;
}

/// <summary>
/// <c>dbias[o] += Σ_b dy[b, o]</c>: vectors of <see cref="Columns"/> summed down the batch.
/// </summary>
/// <param name="HasPartialVector">Whether some width has a partial vector at the end of the row.</param>
internal sealed record ColumnSumSpec(string Name, string Summary, int Columns, bool HasPartialVector)
    : ProductSpec(Name, Summary);
