using System.Collections.Generic;
using System.Linq;
using CompiledNets.Generator.Model;

namespace CompiledNets.Generator;

public sealed partial class NetworkGenerator
{
    internal static partial class Parser
    {
        /// <summary>The vector widths a kernel may run at, in floats.</summary>
        private static readonly int[] Widths = VectorWidths.All.Select(w => w.Lanes).ToArray();

        /// <summary>A Linear layer and the names of its kernels; kernels are shared by layers of the same shape.</summary>
        private static LinearSpec PlanLinear(int index, string module, int inFeatures, int outFeatures, int weightOffset, int biasOffset)
        {
            string shape = $"{inFeatures}x{outFeatures}";
            // The batched forward multiplies by a transposed copy of the weight, made at the start of each forward pass,
            // whenever there are outputs enough for whole panels of vectors (the register tiles then broadcast each input
            // across vectors of outputs, the fastest form), when the weight's rows are shorter than a vector (they cannot be
            // summed along in vectors), and for small layers, whose copy costs next to nothing. Narrow layers with long rows
            // sum along the rows instead (dot products), which needs no copy.
            bool transposed = outFeatures >= PanelVectors * VectorWidths.Widest || (long)inFeatures * outFeatures <= UnrollLimit
                || inFeatures < VectorWidths.Widest;
            var linear = new LinearSpec(
                index,
                module,
                inFeatures,
                outFeatures,
                weightOffset,
                biasOffset,
                transposed,
                !transposed ? 0 : (long)inFeatures * outFeatures <= UnrollLimit ? inFeatures * outFeatures : inFeatures * PackedRowFloats(outFeatures),
                Forward: ForwardName(inFeatures, outFeatures, transposed, relu: false),
                ForwardSample: $"Forward{shape}Sample",
                WeightGradient: $"WeightGradient{shape}",
                InputGradient: $"InputGradient{shape}",
                BiasGradient: $"BiasGradient{outFeatures}");
            if (!linear.Packed)
            {
                return linear;
            }
            // A packed layer's small batches skip the copy and sum along the weight's rows: packing moves every weight once,
            // which costs about what a dozen rows of the product do. Interleaved sweeps (batches 4 to 64): with AVX-512, rows of
            // 128 inputs or more, 3 rows at a time, ran 15–75 % faster at 8 to 24 rows and level at 32; a row at a time (16
            // vector registers, AVX2), 7–35 % faster at 4 rows, level at 8 and 25–30 % slower at 16. Shorter rows (100→128,
            // 30→64) lost from 16 rows on: their sums across lanes weigh more. Below 4 rows every layer sums along the rows.
            int rows = inFeatures >= DotRowsMinimum ? SmallBatchLongRows : SmallBatchShortRows;
            return linear with
            {
                SmallBatchForward = ForwardName(inFeatures, outFeatures, transposed: false, relu: false),
                SmallBatchRows = rows,
                SmallBatchRowsNarrow = System.Math.Min(rows, SmallBatchNarrowRows),
            };
        }

        /// <summary>The forward kernel's name: <c>Forward784x10</c>, <c>ForwardTransposed64x32</c>, or <c>ForwardTransposedReLU784x128</c>.</summary>
        private static string ForwardName(int inFeatures, int outFeatures, bool transposed, bool relu) =>
            $"Forward{(transposed ? "Transposed" : "")}{(relu ? "ReLU" : "")}{inFeatures}x{outFeatures}";

        /// <summary>
        /// A row of <paramref name="columns"/> rounded up to whole vectors of the widest width: what a layer's transposed weight,
        /// packed in panels of one vector of outputs, needs per input.
        /// </summary>
        private static int PackedRowFloats(int columns) => (columns + VectorWidths.Widest - 1) / VectorWidths.Widest * VectorWidths.Widest;

        /// <summary>
        /// Vectors of columns in a broadcast product's register tile: up to 3, fewer for rows narrower than 3 vectors of AVX2's
        /// 8 floats, so that an AVX2 row of 2 or 3 whole vectors runs them in one tile, each broadcast serving all of them (wider
        /// vectors skip the panels their row cannot fill and take single-vector tiles). With AVX-512's 16 floats as the measure,
        /// 16 to 31 columns took single-vector tiles on AVX2 (and 32 to 47 two-vector ones): the seed net's 10→20 forward ran
        /// two 4 × 1 tiles and a partial one per 4 rows, where one 4 × 2 tile and the partial one now serve them (its batch-32
        /// step 2.9–4.1 → 2.1–3.5 µs).
        /// Measuring by 128-bit vectors would give NEON the same for 12 to 23 columns, at about half again the seed net's lines.
        /// </summary>
        private static int TileVectors(int columns) => System.Math.Max(1, System.Math.Min(PanelVectors, columns / TileVectorFloats));

        /// <summary>The vector width, in floats, that <see cref="TileVectors"/> counts whole vectors of a row in (AVX2's).</summary>
        private const int TileVectorFloats = 8;

        /// <summary>The parameter tensors in state_dict order: each Linear's or Conv2d's weight, then its bias.</summary>
        private static List<ParameterSpec> PlanParameters(List<LayerSpec> layers)
        {
            var parameters = new List<ParameterSpec>();
            foreach (LayerSpec layer in layers)
            {
                if (layer is ConvSpec conv)
                {
                    int[] weightShape = conv.IsSequence
                        ? new[] { conv.Out.Channels, conv.In.Channels, conv.Kernel }
                        : new[] { conv.Out.Channels, conv.In.Channels, conv.Kernel, conv.Kernel };
                    parameters.Add(new ParameterSpec($"{conv.Index}.weight", $"Weight{conv.Index}", conv.WeightOffset,
                        new EquatableArray<int>(weightShape), conv.FanIn, conv.Index));
                    parameters.Add(new ParameterSpec($"{conv.Index}.bias", $"Bias{conv.Index}", conv.BiasOffset,
                        new EquatableArray<int>(new[] { conv.Out.Channels }), conv.FanIn, conv.Index));
                    continue;
                }
                if (layer is BatchNormSpec norm)
                {
                    // PyTorch's reset_parameters: weight ones, bias zeros (nothing drawn).
                    parameters.Add(new ParameterSpec($"{norm.Index}.weight", $"Weight{norm.Index}", norm.WeightOffset,
                        new EquatableArray<int>(new[] { norm.Channels }), 0, norm.Index, "1f"));
                    parameters.Add(new ParameterSpec($"{norm.Index}.bias", $"Bias{norm.Index}", norm.BiasOffset,
                        new EquatableArray<int>(new[] { norm.Channels }), 0, norm.Index, "0f"));
                    continue;
                }
                if (layer is not LinearSpec linear)
                {
                    continue;
                }
                parameters.Add(new ParameterSpec($"{linear.Index}.weight", $"Weight{linear.Index}", linear.WeightOffset,
                    new EquatableArray<int>(new[] { linear.OutFeatures, linear.InFeatures }), linear.InFeatures, linear.Index));
                parameters.Add(new ParameterSpec($"{linear.Index}.bias", $"Bias{linear.Index}", linear.BiasOffset,
                    new EquatableArray<int>(new[] { linear.OutFeatures }), linear.InFeatures, linear.Index));
            }
            return parameters;
        }

        /// <summary>Each batch normalization's running_mean (zeros), running_var (ones) and num_batches_tracked, in state_dict order.</summary>
        private static List<StatisticSpec> PlanStatistics(List<LayerSpec> layers)
        {
            var statistics = new List<StatisticSpec>();
            foreach (BatchNormSpec norm in layers.OfType<BatchNormSpec>())
            {
                var channels = new EquatableArray<int>(new[] { norm.Channels });
                statistics.Add(new StatisticSpec($"{norm.Index}.running_mean", $"RunningMean{norm.Index}", norm.MeanOffset, channels, false, 0));
                statistics.Add(new StatisticSpec($"{norm.Index}.running_var", $"RunningVar{norm.Index}", norm.VarianceOffset, channels, false, 1));
                statistics.Add(new StatisticSpec($"{norm.Index}.num_batches_tracked", $"BatchesTracked{norm.Index}", norm.CounterOffset, EquatableArray<int>.Empty, true, 0));
            }
            return statistics;
        }

        /// <summary>
        /// The arrays of a workspace: the inputs, every layer's output a{k} and dLoss/da{k} (for the last layer,
        /// dLoss/dOutputs), dLoss/dinputs, the transposed weight of every layer that multiplies by one, and, when one sample runs
        /// through kernels, each hidden layer's output for one sample.
        /// </summary>
        private static List<BufferSpec> PlanBuffers(List<LayerSpec> layers)
        {
            int last = layers.Count - 1;
            var buffers = new List<BufferSpec>
            {
                new("_input", layers[0].InFeatures, 0, $"the inputs, [B, {layers[0].InFeatures}]"),
            };
            // A Linear or batch norm that runs the next ReLU in its stores never writes its own output: no buffer for it.
            buffers.AddRange(layers.Where(l => l is not LinearSpec { FusesReLU: true } and not BatchNormSpec { FusesReLU: true }).Select(l =>
                new BufferSpec($"_a{l.Index}", l.OutFeatures, 0, $"a{l.Index}, the output of layer {l.Index}, [B, {l.OutFeatures}]")));
            buffers.AddRange(layers.Select(l => new BufferSpec($"_d{l.Index}", l.OutFeatures, 0,
                l.Index == last ? $"dLoss/da{l.Index} = dLoss/dOutputs, copied in by Backward, [B, {l.OutFeatures}]" : $"dLoss/da{l.Index}, [B, {l.OutFeatures}]")));
            buffers.Add(new BufferSpec("_dInput", layers[0].InFeatures, 0, $"dLoss/dinputs, written by backward only when asked for, [B, {layers[0].InFeatures}]"));
            buffers.AddRange(layers.OfType<LinearSpec>().Where(l => l.Buffers.WeightT is not null).Select(l =>
                new BufferSpec(l.Buffers.WeightT!, 0, l.WeightTFloats, l.TransposeUnrolled
                    ? $"weightᵀ of layer {l.Index}, [{l.InFeatures}, {l.OutFeatures}], copied by each batched forward"
                    : $"weightᵀ of layer {l.Index}, [{l.InFeatures}, {l.OutFeatures}] packed in panels by each batched forward")));
            buffers.AddRange(layers.OfType<DropoutSpec>().Select(l =>
                new BufferSpec(l.Mask, l.Features, 0, $"layer {l.Index}'s dropout mask (0, or 1 / (1 - p) for kept elements), [B, {l.Features}]")));
            buffers.AddRange(layers.OfType<ConvSpec>().SelectMany(l => new[]
            {
                new BufferSpec(l.Columns, l.FanIn * l.Positions, 0, $"layer {l.Index}'s unfolded inputs (im2col), then dLoss/d of them, [B, {l.FanIn}, {l.Positions}]"),
                new BufferSpec(l.SampleColumns, 0, l.FanIn * l.Positions, $"layer {l.Index}'s unfolded input for one sample, [{l.FanIn}, {l.Positions}]"),
                new BufferSpec(l.LaneSums, 0, l.Out.Channels * l.FanIn * l.LaneStride,
                    $"layer {l.Index}'s weight-gradient sums per lane between samples, [{l.Out.Channels}, {l.FanIn}, {l.LaneStride}]"),
            }));
            buffers.AddRange(layers.OfType<ConvSpec>().Where(l => l.PadsImage).SelectMany(l => new[]
            {
                new BufferSpec(l.Padded, l.PaddedIn.Count, 0, $"layer {l.Index}'s inputs with their zero padding, then dLoss/d of them, [B, {l.In.Channels}, {l.PaddedIn.Sides}]"),
                new BufferSpec(l.SamplePadded, 0, l.PaddedIn.Count, $"layer {l.Index}'s input with its zero padding for one sample, [{l.In.Channels}, {l.PaddedIn.Sides}]"),
            }));
            buffers.AddRange(layers.OfType<PoolSpec>().Where(l => l.IsMax).Select(l =>
                new BufferSpec(l.Maxima, l.OutFeatures, 0, $"layer {l.Index}'s maxima: where in its window each output's maximum is (u · W + v, a float), [B, {l.Out.Channels}, {l.Out.Sides}]")));
            buffers.AddRange(layers.OfType<BatchNormSpec>().SelectMany(l => new[]
            {
                new BufferSpec(l.MeanField, 0, l.Channels, $"layer {l.Index}'s mean per channel in the last forward, [{l.Channels}]"),
                new BufferSpec(l.InverseStdField, 0, l.Channels, $"layer {l.Index}'s 1 / √(var + eps) per channel in the last forward, [{l.Channels}]"),
            }));
            // One sample runs through kernels from layer to layer in these (a workspace is one thread's).
            if (layers[0].Buffers.SampleInput is { } sampleInput)
            {
                buffers.Add(new BufferSpec(sampleInput, 0, layers[0].InFeatures, $"one sample's input, copied for the kernel's whole vectors, [{layers[0].InFeatures}]"));
            }
            buffers.AddRange(layers.Where(l => l.Buffers.Sample is not null).Select(l =>
                new BufferSpec(l.Buffers.Sample!, 0, l.OutFeatures, $"layer {l.Index}'s output for one sample, [{l.OutFeatures}]")));
            return buffers;
        }

        /// <summary>
        /// Marks each ReLU that follows a Linear whose forward runs in register tiles (through its transposed weight), or a
        /// batch normalization, as run in that forward's stores: the ReLU's backward reads only its output (and batch norm's
        /// backward only its input), so the layer's own output need never be written.
        /// </summary>
        private static List<LayerSpec> FuseReLUs(List<LayerSpec> layers)
        {
            var fused = new List<LayerSpec>(layers);
            for (int i = 0; i + 1 < fused.Count; i++)
            {
                if (fused[i] is LinearSpec { Transposed: true } linear && fused[i + 1] is ActivationSpec { Function: ActivationFunction.ReLU } relu)
                {
                    fused[i] = linear with { FusesReLU = true, Forward = ForwardName(linear.InFeatures, linear.OutFeatures, transposed: true, relu: true) };
                    fused[i + 1] = relu with { FusedIntoPrevious = true };
                }
                else if (fused[i] is BatchNormSpec norm && fused[i + 1] is ActivationSpec { Function: ActivationFunction.ReLU } next)
                {
                    fused[i] = norm with { FusesReLU = true };
                    fused[i + 1] = next with { FusedIntoPrevious = true };
                }
            }
            return fused;
        }

        /// <summary>
        /// Gives each layer its buffers: layer k reads a{k-1} (the inputs for k = 0) and writes a{k}; backward reads
        /// dLoss/da{k} and writes dLoss/da{k-1}, the first layer dLoss/dinputs only when asked for.
        /// </summary>
        private static List<LayerSpec> AssignBuffers(List<LayerSpec> layers, bool oneSampleInRegisters)
        {
            int last = layers.Count - 1;
            return layers.Select(layer => layer with
            {
                Buffers = new LayerBuffers(
                    layer.Index == 0 ? "_input" : $"_a{layer.Index - 1}",
                    // A Linear or batch norm that runs the next ReLU writes that ReLU's output.
                    layer is LinearSpec { FusesReLU: true } or BatchNormSpec { FusesReLU: true } ? $"_a{layer.Index + 1}" : $"_a{layer.Index}",
                    $"_d{layer.Index}",
                    layer.Index == 0 ? "_dInput" : $"_d{layer.Index - 1}",
                    InputGradientOnRequest: layer.Index == 0,
                    layer is LinearSpec { Transposed: true } ? $"_weightT{layer.Index}" : null,
                    oneSampleInRegisters || layer.Index == last ? null : $"_sample{layer.Index}",
                    // The one-sample kernel reads a row's last partial vector whole: past the end of the caller's span.
                    !oneSampleInRegisters && layer.Index == 0 && ReadsPastRows(layer) ? "_sampleInput" : null),
            }).ToList();
        }

        /// <summary>
        /// Whether a layer's one-sample method reads whole vectors past the end of its input's rows, so that as the first layer
        /// it needs the caller's input in a padded copy: a Linear whose rows end in a partial vector, a convolution whose
        /// stride-1 runs it reads in place (a padded one reads its own copy), a max pool whose windows run side by side.
        /// </summary>
        private static bool ReadsPastRows(LayerSpec layer) => layer switch
        {
            LinearSpec linear => HasPartial(linear.InFeatures),
            ConvSpec conv => conv.RunsInVectors && !conv.PadsImage,
            PoolSpec pool => pool.WindowsInLanes,
            _ => false,
        };

        /// <summary>Every kernel the layers call, each once, in the order the layers first need them.</summary>
        private static List<ProductSpec> PlanProducts(List<LayerSpec> layers, bool oneSampleInRegisters)
        {
            var products = new List<ProductSpec>();
            void Add(ProductSpec product)
            {
                if (!products.Any(p => p.Name == product.Name))
                {
                    products.Add(product);
                }
            }

            foreach (ConvSpec conv in layers.OfType<ConvSpec>())
            {
                // A convolution is a product over its unfolded input: columns [K, P] of each sample (K = C·k·k taps, P positions).
                int o = conv.Out.Channels, k = conv.FanIn, positions = conv.Positions;
                Add(Broadcast(conv.ForwardProduct, $"y [{o}, {positions}] = bias + weight [{o}, {k}] · columns [{k}, {positions}]", "weight", "columns", "y",
                    columns: positions, rowsAreBatch: false, rows: o, depthIsBatch: false, depth: k, aRowStride: k, aDepthStride: 1, bDepthStride: positions,
                    cRowStride: positions, ProductStart.RowBias));
                Add(Broadcast(conv.InputGradientProduct, $"dcolumns [{k}, {positions}] = weightᵀ [{k}, {o}] · dy [{o}, {positions}]", "weight", "dy", "dcolumns",
                    columns: positions, rowsAreBatch: false, rows: k, depthIsBatch: false, depth: o, aRowStride: 1, aDepthStride: k, bDepthStride: positions,
                    cRowStride: positions, ProductStart.Zero));
            }
            foreach (LinearSpec layer in layers.OfType<LinearSpec>())
            {
                int i = layer.InFeatures, o = layer.OutFeatures;
                Add(layer.Transposed
                    ? Broadcast(layer.Forward, layer.FusesReLU ? $"y [B, {o}] = max(0, bias + x [B, {i}] · weightᵀ [{i}, {o}])" : $"y [B, {o}] = bias + x [B, {i}] · weightᵀ [{i}, {o}]",
                        "x", "weightT", "y", columns: o, rowsAreBatch: true, rows: 0,
                        depthIsBatch: false, depth: i, aRowStride: i, aDepthStride: 1, bDepthStride: o, cRowStride: o, ProductStart.Bias,
                        splitsColumns: layer.Packed) with { ReLU = layer.FusesReLU }
                    : Dot(layer.Forward, $"y [B, {o}] = bias + x [B, {i}] · weight [{o}, {i}]ᵀ", i, o, batched: true));
                if (layer.SmallBatchForward is { } smallBatch)
                {
                    // Few rows: a block of weight rows in L1 serves every row before the next block is read.
                    Add(Dot(smallBatch, $"y [B, {o}] = bias + x [B, {i}] · weight [{o}, {i}]ᵀ, batches of fewer than " +
                        (layer.SmallBatchRows == layer.SmallBatchRowsNarrow ? $"{layer.SmallBatchRows} rows" : $"{layer.SmallBatchRows} rows ({layer.SmallBatchRowsNarrow} with 16 vector registers)"), i, o,
                        batched: true, SmallBatchPanelFloats));
                }
                if (!oneSampleInRegisters)
                {
                    Add(Dot(layer.ForwardSample!, $"y [{o}] = bias + weight [{o}, {i}] · x [{i}], one sample", i, o, batched: false));
                }
                // Rows shorter than a vector, and outputs for a whole tile at every width: large batches run tiles whose lanes run
                // along the outputs, the rest the broadcast product.
                string weightGradient = layer.WeightGradient, weightGradientSummary = $"dweight [{o}, {i}] += dyᵀ [{o}, B] · x [B, {i}]";
                if (i <= OutputLanesSpec.MaximumInputs && o >= OutputLanesSpec.TileVectors * VectorWidths.Widest)
                {
                    weightGradient += "InputLanes";
                    Add(new OutputLanesSpec(layer.WeightGradient, weightGradientSummary, i, o, weightGradient));
                }
                Add(Broadcast(weightGradient, weightGradientSummary, "dy", "x", "gradWeight", columns: i, rowsAreBatch: false, rows: o,
                    depthIsBatch: true, depth: 0, aRowStride: 1, aDepthStride: o, bDepthStride: i, cRowStride: i, ProductStart.Accumulate));
                Add(Broadcast(layer.InputGradient, $"dx [B, {i}] = dy [B, {o}] · weight [{o}, {i}]", "dy", "weight", "dx", columns: i, rowsAreBatch: true, rows: 0,
                    depthIsBatch: false, depth: o, aRowStride: o, aDepthStride: 1, bDepthStride: i, cRowStride: i, ProductStart.Zero));
                Add(new ColumnSumSpec(layer.BiasGradient, $"dbias [{o}] += Σ_b dy [B, {o}]", o, HasPartial(o)));
            }
            return products;
        }

        private static DotProductSpec Dot(string name, string summary, int inputs, int outputs, bool batched, int blockFloats = PanelFloats)
        {
            int group = DotProductSpec.Group;
            // Batches run the outputs in blocks whose weight rows fit in blockFloats, so that every row reads the block from
            // cache rather than the whole weight from memory.
            int block = System.Math.Max(group, blockFloats / inputs / group * group);
            return new DotProductSpec(name, summary, inputs, outputs, batched,
                HasInputTail: HasPartial(inputs),
                OutputBlock: batched && block < outputs ? block : 0,
                // Interleaved sweeps, batches 16 to 256: 1024→10 and 128→10 forwards at 35–41 % of the FMA peak a row at a time,
                // 54–63 % two rows at a time, 70–80 % three.
                WideRows: batched && outputs >= group ? DotWideRows : 0);
        }

        private static BroadcastProductSpec Broadcast(
            string name, string summary, string a, string b, string c, int columns, bool rowsAreBatch, int rows, bool depthIsBatch, int depth,
            int aRowStride, int aDepthStride, int bDepthStride, int cRowStride, ProductStart start, bool splitsColumns = false)
        {
            // Register tiles of 8 rows × 3 vectors where the machine has 32 vector registers (24 accumulators, the 3 vectors of
            // B and the broadcast of A), 4 rows × 3 vectors where it has 16; narrow rows get fewer vectors. The 4-row tile also
            // runs the rows the wide tile leaves. Rows that are not the batch (a weight gradient's output rows) are split over
            // threads at multiples of RowTile (4): every part holds whole 4-row tiles and only the last one a tail.
            int tileRows = rowsAreBatch || rows >= NetworkSpec.RowTile ? NetworkSpec.RowTile : rows;
            int tailRows = rowsAreBatch ? 0 : rows % tileRows;
            int tileVectors = TileVectors(columns);
            // The wide tile reuses each vector of B across more rows, and it sums twice as many chains at once: a small product
            // (a short depth, few tiles) waits on the multiply-adds' latency, not their throughput, so one-vector panels and the
            // partial last vector take it too (16 rows measured slower than 8 there). A constant count of 5 to 7 rows (a
            // convolution's output channels) takes one wide tile of all of them rather than a 4-row tile and a tail.
            int wideRows = rowsAreBatch ? WideTileRows : rows > NetworkSpec.RowTile ? System.Math.Min(WideTileRows, rows) : 0;
            // More constant rows than a wide tile, where tiles of 8 would leave 1 to 3 rows to a narrow tail tile (a classifier's
            // 10 outputs in its weight gradient: 8 and 2), take equal wide tiles when they leave nothing or one 4-row tile (10 as
            // 5 + 5, 9 as 5 + 4, 18 as 6 + 6 + 6).
            if (!rowsAreBatch && rows > WideTileRows && rows % WideTileRows is > 0 and < NetworkSpec.RowTile)
            {
                int tiles = (rows + WideTileRows - 1) / WideTileRows, even = (rows + tiles - 1) / tiles;
                if (even >= 5 && rows % even is 0 or NetworkSpec.RowTile)
                {
                    wideRows = even;
                }
            }
            // A constant 9 to 12 rows summed down the batch over columns of two vectors or more (a classifier's 10 outputs in its
            // weight gradient) take one wide tile of all of them, two vectors wide (at most 24 accumulators): each vector of B then serves every row
            // once, where tiles of 5 rows × 3 vectors read it twice, the second time from L2 once a panel's column of B outgrows
            // L1. Standalone, AVX-512, 10 rows of a weight gradient (sums down the batch): 10 × 1024 at batch 256 115–120 → 160
            // GFLOP/s, at 128 143–145 → 187, 10 × 1000 at 256 153 → 189. Each sum keeps its order, so the bits do not change.
            if (!rowsAreBatch && depthIsBatch && rows > WideTileRows && rows <= NarrowTileRowsMost && columns >= 2 * VectorWidths.Widest)
            {
                wideRows = rows;
                tileVectors = 2;
            }
            // A batch's rows in blocks, every panel running over a block before the next. A short sum (a depth of at most
            // ShortSum) stores a tile's results after a few multiply-adds each: where a row holds more than one panel and the
            // whole of B fits in RowBlockFloats (every block reads all of it), blocks of one wide tile, which run along every
            // panel and so write their rows of C in order, where panels outside wrote a few lines of every row per panel (the
            // sweep: 10→1024's forward and 1024→10's input gradient, batches 64–256, 1.2–2.6× faster). Long rows of A come in
            // blocks that fit in RowBlockFloats, so every panel reads a block from cache however large the batch (a thousand
            // rows of x would otherwise stream from memory once per panel); rows of up to 128 floats need none: 512 of them fit
            // anyway, and larger batches are rare (Predict runs 256 at a time).
            bool shortSum = rowsAreBatch && !depthIsBatch && depth <= ShortSum && columns > PanelVectors * VectorWidths.Widest &&
                (long)depth * columns <= RowBlockFloats;
            int rowBlock = shortSum ? WideTileRows
                : rowsAreBatch && aRowStride > RowBlockFloats / 512 ? System.Math.Max(16, RowBlockFloats / aRowStride / 8 * 8)
                : 0;
            // Two vectors left after panels of three run as one tile where they hold a tenth of the columns or more (784→128's
            // forward: a quarter, and its one-vector tiles took a third of its time): a one-vector tile loads a broadcast of A
            // for every multiply-add it does, and the loads, not the multiply-adds, bound it. Where the two are a sliver of a
            // wide row, two more tile methods would not pay for their lines. A product split by columns gives threads parts of
            // whole vectors, not whole panels: a part may end in two or in single vectors whatever the columns in all.
            bool pairStep = tileVectors == 3 && Widths.Any(w => w > 1 && columns <= PairShare * 2 * w &&
                (splitsColumns ? columns >= 2 * w : columns % (tileVectors * w) >= 2 * w));
            // Whole vectors left after the panels and the pair step, at some width (the pair step, when there is one, runs at
            // every width that leaves two).
            bool vectorLoop = tileVectors > 1 && (splitsColumns || Widths.Any(w =>
            {
                int left = columns % (tileVectors * w) / w;
                return (pairStep && left >= 2 ? left - 2 : left) >= 1;
            }));
            return new BroadcastProductSpec(name, summary, a, b, c, columns, rowsAreBatch, rows, depthIsBatch, depth,
                aRowStride, aDepthStride, bDepthStride, cRowStride, start, tileRows, wideRows, tailRows, tileVectors,
                HasPairStep: pairStep,
                HasVectorLoop: vectorLoop,
                HasPartialVector: HasPartial(columns),
                RowBlock: rowBlock,
                ShortSumBlocks: shortSum,
                SplitsColumns: splitsColumns,
                DepthBlock: !depthIsBatch && !splitsColumns && start is ProductStart.Zero or ProductStart.Accumulate && depth > DepthBlockRows ? DepthBlockRows : 0,
                // A tile's loop takes several steps of k per pass: its own instructions (the index, the addresses of A and B, the
                // branch) then come once per pass, where with 16 vector registers they crowded the multiply-adds. Interleaved
                // sweeps, AVX2 (Zen 3), batches 64–256: four steps against one 1.1–1.6× on 784→128 and 300→100, and bk and ak
                // walking along the sum rather than indexed from k a further 1.0–1.3× there and on 256→128. Where B is read in
                // place with rows about a page apart (a 1000- or 1024-wide layer's weight and input gradients), two steps ran
                // 1.1–1.4× faster than four.
                StepsPerPass: !splitsColumns && bDepthStride >= FarRowFloats ? 2 : 4);
        }

        /// <summary>
        /// Rows of B at least this many floats apart (about a page) take two steps of k per pass rather than four (see
        /// <see cref="BroadcastProductSpec.StepsPerPass"/>).
        /// </summary>
        private const int FarRowFloats = 1000;

        /// <summary>
        /// The longest constant sum (depth) a broadcast product that does not read B in panels runs in one pass: longer ones run
        /// in blocks of this many rows of B, every panel and row tile over one block before the next, the tiles adding each
        /// block into C, so that a panel's block stays in cache however long the sum. A layer's input gradient reads the weight's
        /// rows in place, a row apart in memory: on 2048 of them a panel's lines crowded a few cache sets and came from L3 for
        /// every row tile. Interleaved sweeps (AVX-512), its share of the FMA peak relative to 784→128's unblocked one, batches
        /// 64–256: 2048→2048 0.46 → 0.64–0.67 with blocks of 512 (0.62–0.63 with 128), 1024→1024 0.78 → 0.87–0.91, 1000→1024
        /// and 512→4096 level. (A convolution's input gradient over more than 512 channels takes blocks too, unmeasured.) Each
        /// sum keeps its order (C holds it between blocks exactly), so the bits do not change.
        /// </summary>
        private const int DepthBlockRows = 512;

        /// <summary>The smallest share of a row (one in PairShare) that two vectors left after the panels run as one tile for.</summary>
        private const int PairShare = 10;

        /// <summary>The longest sum (depth) whose batch rows run in blocks of one wide tile along every panel.</summary>
        private const int ShortSum = 32;

        /// <summary>Floats of a batch's rows of A a broadcast product keeps in cache while every panel reads them (256 KB).</summary>
        private const int RowBlockFloats = NetworkSpec.CacheBlockFloats;

        /// <summary>Vectors of columns in a broadcast product's panel (and register tile).</summary>
        private const int PanelVectors = 3;

        /// <summary>Rows of the wide register tile, for machines with 32 vector registers.</summary>
        private const int WideTileRows = 8;

        /// <summary>The most constant rows that run as one wide tile two vectors wide (2 × 12 accumulators in 32 registers).</summary>
        private const int NarrowTileRowsMost = 12;

        /// <summary>Inputs from which a packed layer's small batches run up to <see cref="SmallBatchLongRows"/> rows (<c>LinearSpec.SmallBatchRows</c>).</summary>
        private const int DotRowsMinimum = 128;

        /// <summary>Rows below which a packed layer of <see cref="DotRowsMinimum"/> inputs or more sums along its weight's rows (32 registers).</summary>
        private const int SmallBatchLongRows = 32;

        /// <summary>Rows below which a packed layer of shorter rows sums along its weight's rows.</summary>
        private const int SmallBatchShortRows = 4;

        /// <summary>The most rows a small batch has on machines with 16 vector registers, where the dot products run a row at a time.</summary>
        private const int SmallBatchNarrowRows = 8;

        /// <summary>Rows a batched dot product runs through its whole groups at once, for machines with 32 vector registers.</summary>
        private const int DotWideRows = 3;

        /// <summary>
        /// Floats of weight rows a batched dot product rereads for every row (a block of outputs): 128 KB, a quarter
        /// of a typical 512 KB L2, leaving the rest to the rows streamed and the results.
        /// </summary>
        private const int PanelFloats = 32768;

        /// <summary>
        /// Floats of weight rows a packed layer's small-batch dot product rereads for every row: 32 KB, a typical L1 data cache.
        /// With few rows the weight is most of what a step reads; a block in L1 serves the 3-row tile's 8 weight loads a step,
        /// which from L2 wait on its bandwidth (the sweep, 784→1000 and 1024→1024 at 16 rows: 51–58 % of the FMA peak with
        /// blocks of 128 KB, 65–82 % with 32 KB).
        /// </summary>
        private const int SmallBatchPanelFloats = 8192;

        /// <summary>Whether some vector width leaves a partial vector at the end of a row of this length.</summary>
        private static bool HasPartial(int length) => Widths.Any(w => w > 1 && length % w != 0);
    }
}
