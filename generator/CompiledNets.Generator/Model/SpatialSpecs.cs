namespace CompiledNets.Generator.Model;

/// <summary>
/// The <c>[channels, height, width]</c> of one sample, or for a sequence <c>[channels, length]</c> (height 1, the length
/// as the width: a sequence is an image of one row). Must stay equatable.
/// </summary>
internal sealed record ShapeSpec(int Channels, int Height, int Width, bool IsSequence = false)
{
    public int Count => Channels * Height * Width;

    /// <summary>Values of one channel: what batch normalization averages over per sample.</summary>
    public int PerChannel => Height * Width;

    public override string ToString() => IsSequence ? $"[{Channels}, {Width}]" : $"[{Channels}, {Height}, {Width}]";

    /// <summary>The count as a product, for messages: <c>"16 × 5 × 5"</c> or <c>"8 × 20"</c>.</summary>
    public string Product => IsSequence ? $"{Channels} × {Width}" : $"{Channels} × {Height} × {Width}";

    /// <summary>The dimensions after the channels, as a shape's tail: <c>"H, W"</c> or <c>"L"</c>.</summary>
    public string Sides => IsSequence ? $"{Width}" : $"{Height}, {Width}";
}

/// <summary>
/// A convolution with a square kernel (a run of taps for a sequence),
/// <c>y[o, i, j] = bias[o] + Σ_c Σ_u Σ_v weight[o, c, u, v] · x[c, i·s − p + u, j·s − p + v]</c>; a Conv1d is the same with
/// one row, so no u and no i. Must stay equatable.
/// </summary>
/// <param name="In">The input sample's shape.</param>
/// <param name="Out">The output sample's shape.</param>
/// <param name="WeightOffset">Offset of <c>"{Index}.weight"</c> <c>[O, C, K, K]</c> (<c>[O, C, K]</c>).</param>
/// <param name="BiasOffset">Offset of <c>"{Index}.bias"</c> <c>[O]</c>.</param>
internal sealed record ConvSpec(int Index, string Module, ShapeSpec In, ShapeSpec Out, int Kernel, int Stride, int Padding, int WeightOffset, int BiasOffset)
    : LayerSpec(Index, Module, In.Count, Out.Count)
{
    /// <summary>Whether this is a Conv1d over sequences.</summary>
    public bool IsSequence => In.IsSequence;

    /// <summary>Taps down the rows: the kernel, or 1 for a sequence.</summary>
    public int KernelRows => IsSequence ? 1 : Kernel;

    /// <summary>Padding above and below: the padding, or 0 for a sequence.</summary>
    public int PaddingRows => IsSequence ? 0 : Padding;

    public int WeightCount => Out.Channels * In.Channels * KernelRows * Kernel;

    public int FanIn => In.Channels * KernelRows * Kernel;

    /// <summary>Output positions per channel: the columns of the products.</summary>
    public int Positions => Out.Height * Out.Width;

    /// <summary>The field of the batch's unfolded inputs (im2col), <c>[B, FanIn, Positions]</c>; backward reuses it for dLoss/dcolumns.</summary>
    public string Columns => $"_columns{Index}";

    /// <summary>The field of one sample's unfolded input, for one-sample inference.</summary>
    public string SampleColumns => $"_sampleColumns{Index}";

    /// <summary>
    /// Whether im2col and col2im move each tap's run along an output row in vectors: with stride 1 it is a run of the
    /// input's row too (of its padded copy, <see cref="PadsImage"/>); larger strides go float by float.
    /// </summary>
    public bool RunsInVectors => Stride == 1;

    /// <summary>
    /// Whether the input goes through a zero-padded copy (<see cref="PaddedIn"/>): with stride 1 and padding, every tap's
    /// run is then a plain run of the copy, moved in vectors; im2col copies x into it, col2im sums into it.
    /// </summary>
    public bool PadsImage => RunsInVectors && Padding > 0;

    /// <summary>The padded input's shape: the padding added on every side (a sequence's two ends).</summary>
    public ShapeSpec PaddedIn => In with { Height = In.Height + 2 * PaddingRows, Width = In.Width + 2 * Padding };

    /// <summary>The field of the batch's padded inputs, <c>[B, C, H + 2p, W + 2p]</c>; backward reuses it for dLoss/d of them.</summary>
    public string Padded => $"_padded{Index}";

    /// <summary>The field of one sample's padded input, for one-sample inference.</summary>
    public string SamplePadded => $"_samplePadded{Index}";

    /// <summary>
    /// The field of the weight gradient's sums per lane between samples, <c>[O, FanIn, LaneStride]</c>: each (channel, tap)
    /// keeps a vector's lanes.
    /// </summary>
    public string LaneSums => $"_laneSums{Index}";

    /// <summary>Floats per (channel, tap) in <see cref="LaneSums"/>: the widest vector's lanes.</summary>
    public int LaneStride => VectorWidths.Widest;

    /// <summary>
    /// Whether the weight gradient reads each tap's values from the image's rows (the padded copy or the input,
    /// <see cref="ImageCount"/> floats a sample) rather than from the columns: with stride 1, a tap's run along an output row
    /// is a run of an image row. A sample's image stays in L1 where its columns (<c>[FanIn, Positions]</c>: each channel's
    /// plane once per position of the window, up to Kernel² copies) stream from L2 or memory, so the sums wait on
    /// loads; along rows, each row of positions ends in a partial vector. So only where an output row fills at least three
    /// quarters of the widest vectors it takes (28 positions: 28 of 32 lanes; not 10: 10 of 16), or is the whole sequence.
    /// </summary>
    public bool GradientFromImage =>
        RunsInVectors && (IsSequence || 4 * Out.Width >= 3 * VectorWidths.Widest * ((Out.Width + VectorWidths.Widest - 1) / VectorWidths.Widest));

    /// <summary>Floats of one sample's image, the padded copy when there is one: what <see cref="GradientFromImage"/> reads.</summary>
    public int ImageCount => PadsImage ? PaddedIn.Count : In.Count;

    /// <summary>
    /// Samples whose weight-gradient sums run together, between a load and a store of the lanes: as many as have their
    /// columns in <see cref="NetworkSpec.CacheBlockFloats"/>, so every group of channels reads them from cache.
    /// </summary>
    public int GradientSampleBlock => System.Math.Max(1, NetworkSpec.CacheBlockFloats / (FanIn * Positions));

    /// <summary>The product of the forward, <c>y [O, P] = bias + weight [O, K] · columns [K, P]</c>.</summary>
    public string ForwardProduct => $"Conv{Out.Channels}x{FanIn}x{Positions}";

    /// <summary>The product into the unfolded input's gradient, <c>dcolumns [K, P] = weightᵀ [K, O] · dy [O, P]</c>.</summary>
    public string InputGradientProduct => $"ConvInputGradient{FanIn}x{Out.Channels}x{Positions}";
}

/// <summary>Max or average pooling over square windows (runs, for a sequence), no padding, floor mode. Must stay equatable.</summary>
internal sealed record PoolSpec(int Index, string Module, bool IsMax, ShapeSpec In, ShapeSpec Out, int Kernel, int Stride)
    : LayerSpec(Index, Module, In.Count, Out.Count)
{
    public bool IsSequence => In.IsSequence;

    /// <summary>Rows of a window: the kernel, or 1 for a sequence.</summary>
    public int KernelRows => IsSequence ? 1 : Kernel;

    /// <summary>Values in one window.</summary>
    public int WindowSize => KernelRows * Kernel;

    /// <summary>
    /// The field of a max pool's maxima in the last batched forward, <c>[B, C, OH, OW]</c>: where in its window each output's
    /// maximum is, as the float <c>u · W + v</c> (exact: far below 2²⁴), so backward sends dy there without searching the
    /// window again (PyTorch keeps its indices too).
    /// </summary>
    public string Maxima => $"_maxima{Index}";

    /// <summary>Whether windows overlap (stride below the kernel): an input may be the maximum of several, and gets their sum.</summary>
    public bool Overlapping => Stride < Kernel;

    /// <summary>Windows of at most this many taps are written out, one tap after another, instead of looped over.</summary>
    public const int UnrolledTaps = 16;

    /// <summary>
    /// Whether a max pool's windows run a vector of them side by side, one per lane: with stride 1 a tap of consecutive
    /// windows is a run of the row, with stride 2 every other float of it; the window written out. Its one-sample method
    /// then reads whole vectors past a row's end.
    /// </summary>
    public bool WindowsInLanes => IsMax && Stride <= 2 && WindowSize <= UnrolledTaps;
}

/// <summary><c>[C, H, W]</c> (or <c>[C, L]</c>) as <c>C·H·W</c> features: a copy in the same order. Must stay equatable.</summary>
internal sealed record FlattenSpec(int Index, ShapeSpec In)
    : LayerSpec(Index, "Flatten", In.Count, In.Count);
