using System.Collections.Generic;
using CompiledNets.Generator.Model;

namespace CompiledNets.Generator;

public sealed partial class NetworkGenerator
{
    internal static partial class Emitter
    {
        /// <summary>
        /// A 2-D or 1-D convolution as a product: each sample's input unfolded into columns (im2col), multiplied by the
        /// weight with the broadcast product kernel Linear layers use, and the gradients as products of the same columns.
        /// </summary>
        private sealed class ConvEmitter : LayerEmitter
        {
            private readonly ConvSpec _conv;

            public ConvEmitter(ConvSpec conv)
                : base(conv) => _conv = conv;

            private string Name => $"Conv{_conv.Index}";

            private ShapeSpec In => _conv.In;

            private ShapeSpec Out => _conv.Out;

            private bool Sequence => _conv.IsSequence;

            /// <summary>K: the values one window reads, the rows of the columns.</summary>
            private int Taps => _conv.FanIn;

            /// <summary>P: the output positions, the columns of the columns.</summary>
            private int Positions => _conv.Positions;

            public override string LayerInfo =>
                $"LayerInfo.Spatial(LayerKind.{(Sequence ? "Conv1d" : "Conv2d")}, new WindowInfo({In.Channels}, {Out.Channels}, {_conv.Kernel}, {_conv.Stride}, {_conv.Padding}, " +
                $"{In.Height}, {In.Width}, {Out.Height}, {Out.Width}{(Sequence ? ", Dimensions: 1" : "")}))";

            /// <summary>The weight's shape as the comments write it.</summary>
            private string WeightShape => Sequence
                ? $"[{Out.Channels}, {In.Channels}, {_conv.Kernel}]"
                : $"[{Out.Channels}, {In.Channels}, {_conv.Kernel}, {_conv.Kernel}]";

            public override string OneSampleFormula => $"the convolution of {Name}Forward on one sample";

            /// <summary>What each output is, for the comment above the batched forward.</summary>
            private string Formula => Sequence
                ? $"y[o, j] = bias[o] + Σ_c Σ_v weight[o, c, v] · x[c, {Tap("j", "v", _conv.Stride, _conv.Padding)}]"
                : $"y[o, i, j] = bias[o] + Σ_c Σ_u Σ_v weight[o, c, u, v] · x[c, {Tap("i", "u", _conv.Stride, _conv.Padding)}, {Tap("j", "v", _conv.Stride, _conv.Padding)}]";

            /// <summary>The row of the columns a tap fills, as code and as the comments write it.</summary>
            private string TapRow => Sequence ? $"c * {_conv.Kernel} + v" : $"(c * {_conv.Kernel} + u) * {_conv.Kernel} + v";

            public override string ForwardCall => $"{Name}Forward(batch);";

            /// <summary>The padded copy's parameter of Unfold and Fold, when the image is padded.</summary>
            private string PaddedParameter => _conv.PadsImage ? ", ref float padded" : "";

            /// <summary>Sample b's padded copy in the batch's, as an argument, when the image is padded.</summary>
            private string PaddedArgument => _conv.PadsImage ? $", ref Unsafe.Add(ref First({_conv.Padded}), b * {_conv.PaddedIn.Count})" : "";

            public override string BackwardCall => $"{Name}Backward(batch);";

            /// <summary>Multiply-adds of one sample, which decide how many threads a product gets.</summary>
            private long MultiplyAddsPerSample => (long)Out.Count * Taps;

            public override IEnumerable<(string Name, string Call)> WorkItems
            {
                get
                {
                    // Samples are independent going forward and into dLoss/dx; the parameter gradients sum over the batch,
                    // so they are split by output channel instead: each float is summed by one thread, in batch order.
                    yield return ($"Work{Name}Forward", $"{Name}ForwardRows(rowStart, rowEnd);");
                    yield return ($"Work{Name}ParameterGradients", $"{Name}ParameterGradients(batch, Part({Out.Channels}, part, parts), Part({Out.Channels}, part + 1, parts));");
                    yield return ($"Work{Name}InputGradient", $"{Name}InputGradientRows(rowStart, rowEnd);");
                }
            }

            public override void EmitMethods(SourceWriter writer)
            {
                LayerBuffers buffers = _conv.Buffers;
                int columnsPerSample = Taps * Positions;
                EmitBanner(writer);
                writer.Line($"// Forward: x {Batched(In)} → y {Batched(Out)},  weight {WeightShape},  bias [{Out.Channels}]");
                writer.Line($"//   {Formula}, x zero outside its {(Sequence ? $"{In.Width}" : $"{In.Height} × {In.Width}")}");
                writer.Line($"// As a product: each sample's input unfolded into columns [{Taps}, {Positions}] (im2col: position {(Sequence ? "j" : "(i, j)")} holds the {Taps} values");
                writer.Line($"// its window reads), then y [{Out.Channels}, {Positions}] = bias + weight [{Out.Channels}, {Taps}] · columns. Samples are split over threads.");
                EmitOptimized(writer);
                writer.Line($"private void {Name}Forward(int batch) => Run(Work{Name}Forward, batch * {MultiplyAddsPerSample}L);");
                writer.Line();
                EmitOptimized(writer);
                writer.Open($"private void {Name}ForwardRows(int rowStart, int rowEnd)");
                writer.Open("for (int b = rowStart; b < rowEnd; b++)");
                writer.Line($"ref float columns = ref Unsafe.Add(ref First({_conv.Columns}), b * {columnsPerSample});");
                writer.Line($"{Name}Unfold(ref Unsafe.Add(ref First({buffers.Input}), b * {In.Count}), ref columns{PaddedArgument});");
                writer.Line($"Kernels<V>.{_conv.ForwardProduct}(ref Parameter(Weight{_conv.Index}), ref columns, ref Parameter(Bias{_conv.Index}), " +
                    $"ref Unsafe.Add(ref First({buffers.Output}), b * {Out.Count}), 0, {Out.Channels});");
                writer.Close();
                writer.Close();
                writer.Line();

                writer.Line("// One sample, in this workspace's own columns.");
                EmitOptimized(writer);
                writer.Open($"private void {Name}Sample(ref float x, ref float y)");
                writer.Line($"ref float columns = ref First({_conv.SampleColumns});");
                writer.Line($"{Name}Unfold(ref x, ref columns{(_conv.PadsImage ? $", ref First({_conv.SamplePadded})" : "")});");
                writer.Line($"Kernels<V>.{_conv.ForwardProduct}(ref Parameter(Weight{_conv.Index}), ref columns, ref Parameter(Bias{_conv.Index}), ref y, 0, {Out.Channels});");
                writer.Close();
                writer.Line();

                writer.Line(Sequence
                    ? $"// im2col: columns[{TapRow}, j] = x[c, {Tap("j", "v", _conv.Stride, _conv.Padding)}], 0 outside the input."
                    : $"// im2col: columns[{TapRow}, i · {Out.Width} + j] = x[c, {Tap("i", "u", _conv.Stride, _conv.Padding)}, {Tap("j", "v", _conv.Stride, _conv.Padding)}], 0 outside the input.");
                EmitOptimized(writer);
                writer.Open($"private static void {Name}Unfold(ref float x, ref float columns{PaddedParameter})");
                if (_conv.PadsImage)
                {
                    writer.Line($"// x into its zero-padded copy [{In.Channels}, {_conv.PaddedIn.Sides}], whose runs then need no test for the border.");
                    EmitPaddedCopy(writer, fold: false);
                }
                EmitWindowRuns(writer, fold: false);
                writer.Close();
                writer.Line();

                writer.Line("// Backward: given dy = dLoss/dy and the columns the forward unfolded,");
                writer.Line($"//   dLoss/dweight [{Out.Channels}, {Taps}] += Σ_b dy_b [{Out.Channels}, {Positions}] · columns_bᵀ,   dLoss/dbias[o] += Σ_b Σ_positions dy_b[o]");
                writer.Line($"//   dcolumns_b [{Taps}, {Positions}] = weightᵀ · dy_b, then folded back (col2im): dLoss/dx gets each value where its column read it" +
                    (_conv.Buffers.InputGradientOnRequest ? " (dLoss/dinputs: only when asked for)" : ""));
                EmitOptimized(writer);
                writer.Open($"private void {Name}Backward(int batch)");
                writer.Line($"Run(Work{Name}ParameterGradients, batch * {MultiplyAddsPerSample}L);");
                EmitInputGradient(writer, () =>
                {
                    writer.Line(!_conv.GradientFromImage
                        ? "// The parameter gradients are done with the columns: dcolumns overwrite them."
                        : _conv.PadsImage
                        ? "// The parameter gradients are done with the padded copy they read: dcolumns overwrite the columns, and the fold the copy."
                        : "// The parameter gradients (which read the input itself) are done: dcolumns overwrite the columns.");
                    writer.Line($"Run(Work{Name}InputGradient, batch * {MultiplyAddsPerSample}L);");
                });
                writer.Close();
                writer.Line();

                EmitParameterGradients(writer);
                EmitPositionSum(writer);

                writer.Line("// dLoss/dx of samples [rowStart, rowEnd).");
                EmitOptimized(writer);
                writer.Open($"private void {Name}InputGradientRows(int rowStart, int rowEnd)");
                writer.Open("for (int b = rowStart; b < rowEnd; b++)");
                writer.Line($"ref float dcolumns = ref Unsafe.Add(ref First({_conv.Columns}), b * {columnsPerSample});");
                writer.Line($"Kernels<V>.{_conv.InputGradientProduct}(ref Parameter(Weight{_conv.Index}), ref Unsafe.Add(ref First({buffers.OutputGradient}), b * {Out.Count}), " +
                    $"ref dcolumns, 0, {Taps});");
                writer.Line($"{Name}Fold(ref dcolumns, ref Unsafe.Add(ref First({buffers.InputGradient}), b * {In.Count}){PaddedArgument});");
                writer.Close();
                writer.Close();
                writer.Line();

                writer.Line(Sequence
                    ? $"// col2im: dx[c, {Tap("j", "v", _conv.Stride, _conv.Padding)}] += dcolumns[{TapRow}, j] for every tap inside the input."
                    : $"// col2im: dx[c, {Tap("i", "u", _conv.Stride, _conv.Padding)}, {Tap("j", "v", _conv.Stride, _conv.Padding)}] += dcolumns[{TapRow}, i · {Out.Width} + j] for every tap inside the input.");
                EmitOptimized(writer);
                writer.Open($"private static void {Name}Fold(ref float dcolumns, ref float dx{PaddedParameter})");
                if (_conv.PadsImage)
                {
                    writer.Line($"// Into the zero-padded [{In.Channels}, {_conv.PaddedIn.Sides}], whose border then drops away as dx is copied out of it.");
                    writer.Line($"MemoryMarshal.CreateSpan(ref padded, {_conv.PaddedIn.Count}).Clear();");
                    EmitWindowRuns(writer, fold: true);
                    EmitPaddedCopy(writer, fold: true);
                }
                else
                {
                    writer.Line($"MemoryMarshal.CreateSpan(ref dx, {In.Count}).Clear();");
                    EmitWindowRuns(writer, fold: true);
                }
                writer.Close();
                writer.Line();
            }

            /// <summary>
            /// The loops of im2col (columns from x) and col2im (dx from dcolumns). With stride 1 a tap's run along an output row
            /// is a run of the input's row too, moved in vectors (<see cref="EmitVectorRuns"/>); with a larger stride, for each
            /// tap and output row, the output columns j whose tap lies inside the input run over [jStart, jEnd), one at a time,
            /// and the others read the zero padding.
            /// </summary>
            private void EmitWindowRuns(SourceWriter writer, bool fold)
            {
                if (_conv.RunsInVectors)
                {
                    EmitVectorRuns(writer, fold);
                    return;
                }
                int s = _conv.Stride, p = _conv.Padding;
                string image = fold ? "dx" : "x";
                EmitEachRun(writer, fold, perTap: () =>
                {
                    if (p > 0)
                    {
                        writer.Line($"// Output columns whose tap j · {s} − {p} + v lies inside the input's {In.Width}.");
                        writer.Line($"int jStart = Math.Max(0, ({p} - v + {s - 1}) / {s}), jEnd = Math.Min({Out.Width}, Math.Max(jStart, ({In.Width + p} - v + {s - 1}) / {s}));");
                    }
                    else
                    {
                        writer.Line($"const int jStart = 0, jEnd = {Out.Width};");
                    }
                }, perRun: () =>
                {
                    if (Sequence)
                    {
                        writer.Line($"ref float line = ref Unsafe.Add(ref {image}, c * {In.Width});");
                    }
                    else
                    {
                        writer.Line($"int row = {Tap("i", "u", s, _conv.PaddingRows)};");
                        if (_conv.PaddingRows > 0)
                        {
                            writer.Open($"if ((uint)row >= {In.Height})");
                            if (!fold)
                            {
                                writer.Line($"MemoryMarshal.CreateSpan(ref run, {Out.Width}).Clear();");
                            }
                            writer.Line("continue;");
                            writer.Close();
                        }
                        writer.Line($"ref float line = ref Unsafe.Add(ref {image}, (c * {In.Height} + row) * {In.Width});");
                    }
                    if (p > 0 && !fold)
                    {
                        writer.Line("MemoryMarshal.CreateSpan(ref run, jStart).Clear();");
                        writer.Line($"MemoryMarshal.CreateSpan(ref Unsafe.Add(ref run, jEnd), {Out.Width} - jEnd).Clear();");
                    }
                    string source = p == 0 ? $"j * {s} + v" : $"j * {s} - {p} + v";
                    writer.Open("for (int j = jStart; j < jEnd; j++)");
                    writer.Line(fold
                        ? $"Unsafe.Add(ref line, {source}) += Unsafe.Add(ref run, j);"
                        : $"Unsafe.Add(ref run, j) = Unsafe.Add(ref line, {source});");
                    writer.Close();
                });
            }

            /// <summary>
            /// Stride 1: the run of tap (c, u, v) along output row i is <c>Out.Width</c> contiguous floats of the image's row
            /// i + u from column v, so it moves in whole vectors and one partial vector, of which only the run's lanes are
            /// stored (each dx float still gets the taps' additions in the same order). With padding the image is the padded
            /// copy, whose border is zero: no run needs a test or a clear.
            /// </summary>
            private void EmitVectorRuns(SourceWriter writer, bool fold)
            {
                ShapeSpec image = _conv.PaddedIn;
                string source = _conv.PadsImage ? "padded" : fold ? "dx" : "x";
                EmitEachRun(writer, fold, perTap: () => { }, perRun: () =>
                {
                    writer.Line(Sequence
                        ? $"ref float line = ref Unsafe.Add(ref {source}, c * {image.Width} + v);"
                        : $"ref float line = ref Unsafe.Add(ref {source}, (c * {image.Height} + i + u) * {image.Width} + v);");
                    EmitVectorRun(writer, "j", Out.Width, count => writer.Line(fold
                        ? StoreLanes("V.Load(ref line, j) + V.Load(ref run, j)", "line", "j", count)
                        : StoreLanes("V.Load(ref line, j)", "run", "j", count)));
                });
            }

            /// <summary>
            /// The loops over the taps (c, u, v), each with its row of the columns <c>tap</c>, and inside them over the output
            /// rows i, each with the run <c>run</c> of that row: <paramref name="perTap"/> writes what a tap computes once,
            /// <paramref name="perRun"/> moves a run.
            /// </summary>
            private void EmitEachRun(SourceWriter writer, bool fold, System.Action perTap, System.Action perRun)
            {
                writer.Open($"for (int c = 0; c < {In.Channels}; c++)");
                bool taps = OpenRows(writer, "u", _conv.Kernel, Sequence);
                writer.Open($"for (int v = 0; v < {_conv.Kernel}; v++)");
                writer.Line($"ref float tap = ref Unsafe.Add(ref {(fold ? "dcolumns" : "columns")}, ({TapRow}) * {Positions});");
                perTap();
                bool rows = OpenRows(writer, "i", Out.Height, Sequence);
                writer.Line(Sequence ? "ref float run = ref tap;" : $"ref float run = ref Unsafe.Add(ref tap, i * {Out.Width});");
                perRun();
                CloseIf(writer, rows);
                writer.Close();
                CloseIf(writer, taps);
                writer.Close();
            }

            /// <summary>
            /// Copies between the image and its padded copy, row by row: <c>padded[c, r + p, q + p] = x[c, r, q]</c> (after
            /// clearing the copy, so its border is zero) going forward, <c>dx[c, r, q] = padded[c, r + p, q + p]</c> going back.
            /// </summary>
            private void EmitPaddedCopy(SourceWriter writer, bool fold)
            {
                ShapeSpec image = _conv.PaddedIn;
                int p = _conv.Padding, rowsPadding = _conv.PaddingRows;
                if (!fold)
                {
                    writer.Line($"MemoryMarshal.CreateSpan(ref padded, {image.Count}).Clear();");
                }
                writer.Open($"for (int c = 0; c < {In.Channels}; c++)");
                bool rows = OpenRows(writer, "r", In.Height, Sequence);
                string plain = Sequence ? $"c * {In.Width}" : $"(c * {In.Height} + r) * {In.Width}";
                string inPadded = Sequence ? $"c * {image.Width} + {p}" : $"(c * {image.Height} + r + {rowsPadding}) * {image.Width} + {p}";
                writer.Line(fold
                    ? $"MemoryMarshal.CreateSpan(ref Unsafe.Add(ref padded, {inPadded}), {In.Width}).CopyTo(MemoryMarshal.CreateSpan(ref Unsafe.Add(ref dx, {plain}), {In.Width}));"
                    : $"MemoryMarshal.CreateSpan(ref Unsafe.Add(ref x, {plain}), {In.Width}).CopyTo(MemoryMarshal.CreateSpan(ref Unsafe.Add(ref padded, {inPadded}), {In.Width}));");
                CloseIf(writer, rows);
                writer.Close();
            }

            /// <summary>
            /// dLoss/dweight and dLoss/dbias of output channels [oStart, oEnd): each (o, tap) is a vector sum along the
            /// positions of every sample, in batch order, four taps at a time (one load of dy for four of the columns). The
            /// samples run outside: a sample's columns are read from cache by every group of channels, where the batch inside
            /// read every sample's columns from memory once per group; each sum's lanes wait in LaneSums between samples. With
            /// stride 1 and rows that fill most of a vector (<see cref="ConvSpec.GradientFromImage"/>) the taps' values come
            /// from the image's rows instead (<see cref="EmitImageRows"/>).
            /// </summary>
            private void EmitParameterGradients(SourceWriter writer)
            {
                LayerBuffers buffers = _conv.Buffers;
                bool four = Out.Channels >= 4;
                int stride = _conv.LaneStride;
                writer.Line("// The parameter gradients of output channels [oStart, oEnd), each a sum along the positions of every sample, in batch order;");
                string taps = _conv.GradientFromImage ? "a tap's values" : "the columns";
                writer.Line(four
                    ? $"// four channels at a time (two with 16 vector registers) share each load of {taps} (a channel's sums run in the same order either way)."
                    : $"// two channels at a time share each load of {taps} (a channel's sums run in the same order either way).");
                writer.Line($"// Samples outside, {_conv.GradientSampleBlock} at a time: each sum's lanes wait in {_conv.LaneSums} between blocks, so a block's " +
                    (_conv.GradientFromImage ? "images" : "columns"));
                if (_conv.GradientFromImage)
                {
                    string image = _conv.PadsImage ? "the padded copy" : "the input";
                    string copies = $"up to {_conv.KernelRows * _conv.Kernel} copies of the image, one per position of the window";
                    string[] lines = Sequence
                        ?
                        [
                            $"// come from cache for every group of channels. Stride 1: the values of tap (c, v) along the output are a run of {image} from v,",
                            $"// read there rather than from the columns ({copies}), in whole vectors, then the",
                            $"// lanes of a partial one where {Out.Width} positions leave one. The lanes are summed at the end.",
                        ]
                        :
                        [
                            $"// come from cache for every group of channels. Stride 1: the values of tap (c, u, v) along output row i are a run of row i + u of {image}",
                            $"// from column v, read there rather than from the columns ({copies}): each row's",
                            $"// {Out.Width} positions in whole vectors, then the lanes of a partial one where they leave one. The lanes are summed at the end.",
                        ];
                    foreach (string line in lines)
                    {
                        writer.Line(line);
                    }
                }
                else
                {
                    writer.Line("// come from cache for every group of channels; the positions after the last whole vector go in as a partial one; the lanes");
                    writer.Line("// are summed at the end.");
                }
                EmitOptimized(writer);
                writer.Open($"private void {Name}ParameterGradients(int batch, int oStart, int oEnd)");
                writer.Line($"ref float dy = ref First({buffers.OutputGradient});");
                if (!_conv.GradientFromImage)
                {
                    writer.Line($"ref float columns = ref First({_conv.Columns});");
                }
                writer.Line($"ref float sums = ref First({_conv.LaneSums});");
                writer.Open("for (int o = oStart; o < oEnd; o++)");
                writer.Line($"Unsafe.Add(ref Gradient(Bias{_conv.Index}), o) += {Name}PositionSum(ref dy, o, batch);");
                writer.Close();
                writer.Line($"{_conv.LaneSums}.AsSpan(oStart * {Taps * stride}, (oEnd - oStart) * {Taps * stride}).Clear();");
                int block = _conv.GradientSampleBlock;
                writer.Open($"for (int blockStart = 0; blockStart < batch; blockStart += {block})");
                writer.Line($"int blockEnd = Math.Min(blockStart + {block}, batch);");
                writer.Line("int o = oStart;");
                if (four)
                {
                    writer.Open("if (V.Registers >= 32)");
                    writer.Open("for (; o + 3 < oEnd; o += 4)");
                    EmitChannelBlock(writer, 4);
                    writer.Close();
                    writer.Close();
                }
                writer.Open("for (; o + 1 < oEnd; o += 2)");
                EmitChannelBlock(writer, 2);
                writer.Close();
                writer.Open("if (o < oEnd)");
                EmitChannelBlock(writer, 1);
                writer.Close();
                writer.Close();
                writer.Line("// Each sum's lanes: dLoss/dweight[o, k].");
                writer.Line($"ref float gradWeight = ref Gradient(Weight{_conv.Index});");
                writer.Open($"for (int i = oStart * {Taps}; i < oEnd * {Taps}; i++)");
                writer.Line($"Unsafe.Add(ref gradWeight, i) += V.Sum(V.Load(ref sums, i * {stride}));");
                writer.Close();
                writer.Close();
                writer.Line();
            }

            /// <summary>A block of samples' share of the weight-gradient sums of <paramref name="channels"/> output channels from o.</summary>
            private void EmitChannelBlock(SourceWriter writer, int channels)
            {
                writer.Line("int k = 0;");
                writer.Open($"for (; k <= {Taps} - 4; k += 4)");
                EmitTapSums(writer, channels, 4);
                writer.Close();
                if (Taps % 4 != 0)
                {
                    writer.Open($"for (; k < {Taps}; k++)");
                    EmitTapSums(writer, channels, 1);
                    writer.Close();
                }
            }

            /// <summary>
            /// <paramref name="count"/> taps from k of <paramref name="channels"/> output channels from o, a block of samples: their
            /// sums taken from LaneSums, carried along each sample's positions, put back; each column load serves every channel.
            /// </summary>
            private void EmitTapSums(SourceWriter writer, int channels, int count)
            {
                int stride = _conv.LaneStride;
                string at(int r, int q) => (r * Taps + q) * stride == 0 ? "0" : $"{(r * Taps + q) * stride}";
                writer.Line($"ref float lanes = ref Unsafe.Add(ref sums, (o * {Taps} + k) * {stride});");
                for (int r = 0; r < channels; r++)
                {
                    for (int q = 0; q < count; q++)
                    {
                        writer.Line($"V a{r}{q} = V.Load(ref lanes, {at(r, q)});");
                    }
                }
                if (_conv.GradientFromImage)
                {
                    EmitImageRows(writer, channels, count);
                }
                else
                {
                    EmitColumnRuns(writer, channels, count);
                }
                for (int r = 0; r < channels; r++)
                {
                    for (int q = 0; q < count; q++)
                    {
                        writer.Line($"V.Store(a{r}{q}, ref lanes, {at(r, q)});");
                    }
                }
            }

            /// <summary>The block's samples along the columns' rows k.. (<paramref name="count"/> of them), a vector of positions at a time.</summary>
            private void EmitColumnRuns(SourceWriter writer, int channels, int count)
            {
                writer.Open("for (int b = blockStart; b < blockEnd; b++)");
                EmitDyRuns(writer, channels, "");
                writer.Line($"ref float column = ref Unsafe.Add(ref columns, b * {Taps * Positions} + k * {Positions});");
                EmitRun(writer, channels, count, Positions, "The positions", q => ("ref column", q == 0 ? "t" : $"{q * Positions} + t"));
                writer.Close();
            }

            /// <summary>
            /// The block's samples along the image rows of taps k.. (<paramref name="count"/> of them), output row by output row,
            /// a vector of the row's positions at a time: tap (c, u, v) of output (i, j) reads image[c, i + u, j + v].
            /// </summary>
            private void EmitImageRows(SourceWriter writer, int channels, int count)
            {
                ShapeSpec image = _conv.PaddedIn;
                int kernel = _conv.Kernel;
                string field = _conv.PadsImage ? _conv.Padded : _conv.Buffers.Input;
                writer.Line(Sequence
                    ? $"// Where each tap's run starts in a sample's image: tap (c, v) at c · {image.Width} + v."
                    : $"// Where each tap's run starts in a sample's image: tap (c, u, v) at (c · {image.Height} + u) · {image.Width} + v.");
                for (int q = 0; q < count; q++)
                {
                    string tap = q == 0 ? "k" : $"(k + {q})";
                    writer.Line(Sequence
                        ? $"int at{q} = {tap} / {kernel} * {image.Width} + {tap} % {kernel};"
                        : $"int at{q} = ({tap} / {kernel * kernel} * {image.Height} + {tap} / {kernel} % {kernel}) * {image.Width} + {tap} % {kernel};");
                }
                writer.Open("for (int b = blockStart; b < blockEnd; b++)");
                writer.Line($"ref float image = ref Unsafe.Add(ref First({field}), b * {_conv.ImageCount});");
                bool rows = OpenRows(writer, "i", Out.Height, Sequence);
                EmitDyRuns(writer, channels, Sequence ? "" : $" + i * {Out.Width}");
                for (int q = 0; q < count; q++)
                {
                    writer.Line($"ref float line{q} = ref Unsafe.Add(ref image, at{q}{(Sequence ? "" : $" + i * {image.Width}")});");
                }
                EmitRun(writer, channels, count, Out.Width, "The row's positions", q => ($"ref line{q}", "t"));
                CloseIf(writer, rows);
                writer.Close();
            }

            /// <summary>Sample b's dLoss/dy of each of the <paramref name="channels"/> channels from o, from <paramref name="offset"/> into its positions.</summary>
            private void EmitDyRuns(SourceWriter writer, int channels, string offset)
            {
                for (int r = 0; r < channels; r++)
                {
                    writer.Line($"ref float g{r} = ref Unsafe.Add(ref dy, b * {Out.Count} + {(r == 0 ? "o" : $"(o + {r})")} * {Positions}{offset});");
                }
            }

            /// <summary>
            /// A run of <paramref name="length"/> positions in whole vectors, then the lanes of a partial one where the length
            /// leaves one; <paramref name="tap"/> gives where tap q's values are read (a reference and an offset from t).
            /// </summary>
            private void EmitRun(SourceWriter writer, int channels, int count, int length, string positions, System.Func<int, (string Source, string Offset)> tap)
            {
                writer.Line("int t = 0;");
                writer.Open($"for (; t <= {length} - V.Count; t += V.Count)");
                EmitTapStep(writer, channels, count, (source, offset) => $"V.Load({source}, {offset})", tap);
                writer.Close();
                writer.Open($"if ({length} % V.Count != 0)");
                writer.Line($"// {positions} after the last whole vector, the other lanes zero.");
                EmitTapStep(writer, channels, count, (source, offset) => $"V.LoadFirst({source}, {offset}, {length} % V.Count)", tap);
                writer.Close();
            }

            /// <summary>One vector of positions: a load of dy per channel, a load of each tap's values, a multiply-add per pair.</summary>
            private static void EmitTapStep(SourceWriter writer, int channels, int count, System.Func<string, string, string> load,
                System.Func<int, (string Source, string Offset)> tap)
            {
                for (int r = 0; r < channels; r++)
                {
                    writer.Line($"V gv{r} = {load($"ref g{r}", "t")};");
                }
                for (int q = 0; q < count; q++)
                {
                    (string source, string offset) = tap(q);
                    writer.Line($"V c{q} = {load(source, offset)};");
                    for (int r = 0; r < channels; r++)
                    {
                        writer.Line($"a{r}{q} = V.MultiplyAdd(gv{r}, c{q}, a{r}{q});");
                    }
                }
            }

            /// <summary>The sum of output channel o's dLoss/dy over every position of the batch (its bias gradient), in batch order.</summary>
            private void EmitPositionSum(SourceWriter writer)
            {
                writer.Line("// Σ over the batch and the positions of dLoss/dy of output channel o: dLoss/dbias[o].");
                EmitOptimized(writer);
                writer.Open($"private static float {Name}PositionSum(ref float dy, int o, int batch)");
                writer.Line("V sum = V.Zero;");
                writer.Line("float tail = 0f;");
                writer.Open("for (int b = 0; b < batch; b++)");
                writer.Line($"ref float g = ref Unsafe.Add(ref dy, b * {Out.Count} + o * {Positions});");
                writer.Line("int t = 0;");
                writer.Open($"for (; t <= {Positions} - V.Count; t += V.Count)");
                writer.Line("sum += V.Load(ref g, t);");
                writer.Close();
                writer.Open($"for (; t < {Positions}; t++)");
                writer.Line("tail += Unsafe.Add(ref g, t);");
                writer.Close();
                writer.Close();
                writer.Line("return V.Sum(sum) + tail;");
                writer.Close();
                writer.Line();
            }

            public override string[] EmitOneSampleInRegisters(SourceWriter writer, string[] inputs, bool last) =>
                throw new System.InvalidOperationException("A network with a convolution never runs one sample in registers.");

            public override bool SampleReadsFields => true;

            public override void EmitOneSample(SourceWriter writer, SampleValues input, SampleValues output) =>
                writer.Line($"{Name}Sample(ref {input.First}, ref {output.First});");
        }
    }
}
