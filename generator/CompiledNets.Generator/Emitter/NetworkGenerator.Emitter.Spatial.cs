using System.Collections.Generic;
using CompiledNets.Generator.Model;

namespace CompiledNets.Generator;

public sealed partial class NetworkGenerator
{
    internal static partial class Emitter
    {
        /// <summary>An index into a [C, H, W] sample, as code: <c>(c * H + row) * W + column</c>; <c>c * L + column</c> in a [C, L] sequence.</summary>
        private static string Offset(string channel, string row, string column, ShapeSpec shape) =>
            shape.IsSequence ? $"{channel} * {shape.Width} + {column}" : $"({channel} * {shape.Height} + {row}) * {shape.Width} + {column}";

        /// <summary>Opens the loop over a window's or an output's rows, unless the shape is a sequence (one row, no loop); returns whether it did.</summary>
        private static bool OpenRows(SourceWriter writer, string variable, int count, bool sequence)
        {
            if (sequence)
            {
                return false;
            }
            writer.Open($"for (int {variable} = 0; {variable} < {count}; {variable}++)");
            return true;
        }

        private static void CloseIf(SourceWriter writer, bool opened)
        {
            if (opened)
            {
                writer.Close();
            }
        }

        /// <summary>A shape as the comments write it: <c>[B, C, H, W]</c> or <c>[B, C, L]</c>.</summary>
        private static string Batched(ShapeSpec shape) => $"[B, {shape.Channels}, {shape.Sides}]";

        /// <summary>The input row or column a window position reads: <c>i * stride - padding + u</c>, without the terms that vanish.</summary>
        private static string Tap(string position, string offset, int stride, int padding)
        {
            string scaled = stride == 1 ? position : $"{position} * {stride}";
            string shifted = padding == 0 ? scaled : $"{scaled} - {padding}";
            return offset == "0" ? shifted : $"{shifted} + {offset}";
        }

        /// <summary>A 2-D or 1-D convolution, computed directly from its definition, one sample at a time (one thread, so the same bits for every thread count).</summary>
        private sealed class ConvEmitter : LayerEmitter
        {
            private readonly ConvSpec _conv;

            public ConvEmitter(ConvSpec conv)
                : base(conv) => _conv = conv;

            private string Name => $"Conv{_conv.Index}";

            private ShapeSpec In => _conv.In;

            private ShapeSpec Out => _conv.Out;

            private bool Sequence => _conv.IsSequence;

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

            public override string ForwardCall => $"{Name}Forward(batch);";

            public override string BackwardCall => $"{Name}Backward(batch);";

            /// <summary>Multiply-adds of one sample, which decide how many threads a product gets.</summary>
            private long MultiplyAddsPerSample => (long)Out.Count * _conv.FanIn;

            private bool HasInputGradient => _conv.Buffers.InputGradient is not null;

            public override IEnumerable<(string Name, string Call)> WorkItems
            {
                get
                {
                    // Samples are independent going forward and into dLoss/dx; the parameter gradients sum over the batch,
                    // so they are split by output channel instead: each float is summed by one thread, in batch order.
                    yield return ($"Work{Name}Forward", $"{Name}ForwardRows(rowStart, rowEnd);");
                    yield return ($"Work{Name}ParameterGradients", $"{Name}ParameterGradients(batch, Part({Out.Channels}, part, parts), Part({Out.Channels}, part + 1, parts));");
                    if (HasInputGradient)
                    {
                        yield return ($"Work{Name}InputGradient", $"{Name}InputGradientRows(rowStart, rowEnd);");
                    }
                }
            }

            public override void EmitMethods(SourceWriter writer)
            {
                LayerBuffers buffers = _conv.Buffers;
                EmitBanner(writer);
                writer.Line($"// Forward: x {Batched(In)} → y {Batched(Out)},  weight {WeightShape},  bias [{Out.Channels}]");
                writer.Line($"//   {Formula}, x zero outside its {(Sequence ? $"{In.Width}" : $"{In.Height} × {In.Width}")}");
                writer.Line("// Direct loops, one sample after another; samples are split over threads.");
                EmitOptimized(writer);
                writer.Line($"private void {Name}Forward(int batch) => Run(Work{Name}Forward, batch * {MultiplyAddsPerSample}L);");
                writer.Line();
                EmitOptimized(writer);
                writer.Open($"private void {Name}ForwardRows(int rowStart, int rowEnd)");
                writer.Open("for (int b = rowStart; b < rowEnd; b++)");
                writer.Line($"{Name}Sample(ref Parameter(Weight{_conv.Index}), ref Parameter(Bias{_conv.Index}), ref Unsafe.Add(ref First({buffers.Input}), b * {In.Count}), ref Unsafe.Add(ref First({buffers.Output}), b * {Out.Count}));");
                writer.Close();
                writer.Close();
                writer.Line();

                EmitOptimized(writer);
                if (_conv.Stride == 1)
                {
                    EmitStrideOneSample(writer);
                }
                else
                {
                    writer.Open($"private static void {Name}Sample(ref float weight, ref float bias, ref float x, ref float y)");
                    writer.Open($"for (int o = 0; o < {Out.Channels}; o++)");
                    bool rows = OpenRows(writer, "i", Out.Height, Sequence);
                    writer.Open($"for (int j = 0; j < {Out.Width}; j++)");
                    writer.Line("float sum = Unsafe.Add(ref bias, o);");
                    EmitTaps(writer, TapRole.Forward);
                    writer.Line($"Unsafe.Add(ref y, {Offset("o", "i", "j", Out)}) = sum;");
                    writer.Close();
                    CloseIf(writer, rows);
                    writer.Close();
                    writer.Close();
                }
                writer.Line();

                writer.Line("// Backward: given dy = dLoss/dy and the kept input x,");
                if (Sequence)
                {
                    writer.Line("//   dLoss/dweight[o, c, v] += Σ_b Σ_j dy[b, o, j] · x[b, c, j·s − p + v]");
                    writer.Line("//   dLoss/dbias[o]         += Σ_b Σ_j dy[b, o, j]");
                    writer.Line(HasInputGradient
                        ? "//   dLoss/dx[b, c, q]      = Σ dy[b, o, j] · weight[o, c, v] over the windows that read x[b, c, q]"
                        : "//   (the first layer needs no dLoss/dx: nothing before it learns)");
                }
                else
                {
                    writer.Line("//   dLoss/dweight[o, c, u, v] += Σ_b Σ_i Σ_j dy[b, o, i, j] · x[b, c, i·s − p + u, j·s − p + v]");
                    writer.Line("//   dLoss/dbias[o]            += Σ_b Σ_i Σ_j dy[b, o, i, j]");
                    writer.Line(HasInputGradient
                        ? "//   dLoss/dx[b, c, r, q]      = Σ dy[b, o, i, j] · weight[o, c, u, v] over the windows that read x[b, c, r, q]"
                        : "//   (the first layer needs no dLoss/dx: nothing before it learns)");
                }
                EmitOptimized(writer);
                writer.Open($"private void {Name}Backward(int batch)");
                writer.Line($"Run(Work{Name}ParameterGradients, batch * {MultiplyAddsPerSample}L);");
                if (HasInputGradient)
                {
                    writer.Line($"Run(Work{Name}InputGradient, batch * {MultiplyAddsPerSample}L);");
                }
                writer.Close();
                writer.Line();

                writer.Line("// The parameter gradients of output channels [oStart, oEnd), summed over the batch in order.");
                EmitOptimized(writer);
                writer.Open($"private void {Name}ParameterGradients(int batch, int oStart, int oEnd)");
                writer.Line($"ref float gradWeight = ref Gradient(Weight{_conv.Index});");
                writer.Line($"ref float gradBias = ref Gradient(Bias{_conv.Index});");
                writer.Open("for (int b = 0; b < batch; b++)");
                writer.Line($"ref float x = ref Unsafe.Add(ref First({buffers.Input}), b * {In.Count});");
                writer.Line($"ref float dy = ref Unsafe.Add(ref First({buffers.OutputGradient}), b * {Out.Count});");
                writer.Open("for (int o = oStart; o < oEnd; o++)");
                bool gradientRows = OpenRows(writer, "i", Out.Height, Sequence);
                writer.Open($"for (int j = 0; j < {Out.Width}; j++)");
                writer.Line($"float g = Unsafe.Add(ref dy, {Offset("o", "i", "j", Out)});");
                writer.Line("Unsafe.Add(ref gradBias, o) += g;");
                EmitTaps(writer, TapRole.WeightGradient);
                writer.Close();
                CloseIf(writer, gradientRows);
                writer.Close();
                writer.Close();
                writer.Close();
                writer.Line();

                if (HasInputGradient)
                {
                    writer.Line("// dLoss/dx of samples [rowStart, rowEnd).");
                    EmitOptimized(writer);
                    writer.Open($"private void {Name}InputGradientRows(int rowStart, int rowEnd)");
                    writer.Line($"ref float weight = ref Parameter(Weight{_conv.Index});");
                    writer.Line($"new Span<float>({buffers.InputGradient}, rowStart * {In.Count}, (rowEnd - rowStart) * {In.Count}).Clear();");
                    writer.Open("for (int b = rowStart; b < rowEnd; b++)");
                    writer.Line($"ref float dy = ref Unsafe.Add(ref First({buffers.OutputGradient}), b * {Out.Count});");
                    writer.Line($"ref float dx = ref Unsafe.Add(ref First({buffers.InputGradient}), b * {In.Count});");
                    writer.Open($"for (int o = 0; o < {Out.Channels}; o++)");
                    bool inputRows = OpenRows(writer, "i", Out.Height, Sequence);
                    writer.Open($"for (int j = 0; j < {Out.Width}; j++)");
                    writer.Line($"float g = Unsafe.Add(ref dy, {Offset("o", "i", "j", Out)});");
                    EmitTaps(writer, TapRole.InputGradient);
                    writer.Close();
                    CloseIf(writer, inputRows);
                    writer.Close();
                    writer.Close();
                    writer.Close();
                    writer.Line();
                }
            }

            /// <summary>
            /// One sample with stride 1: each output row starts at the bias and gains weight · (a row of the input, shifted) for
            /// every channel and tap in turn, in vectors along the row. Every output gets its terms in the same order as
            /// the formula's sum (c, then u, then v), so the result is the same as one sum per output.
            /// </summary>
            private void EmitStrideOneSample(SourceWriter writer)
            {
                int k = _conv.Kernel, p = _conv.Padding;
                writer.Open($"private static void {Name}Sample(ref float weight, ref float bias, ref float x, ref float y)");
                writer.Open($"for (int o = 0; o < {Out.Channels}; o++)");
                writer.Line($"ref float output = ref Unsafe.Add(ref y, o * {Out.Height * Out.Width});");
                writer.Line("float start = Unsafe.Add(ref bias, o);");
                writer.Open($"for (int t = 0; t < {Out.Height * Out.Width}; t++)");
                writer.Line("Unsafe.Add(ref output, t) = start;");
                writer.Close();
                writer.Open($"for (int c = 0; c < {In.Channels}; c++)");
                bool taps = OpenRows(writer, "u", k, Sequence);
                bool rows = OpenRows(writer, "i", Out.Height, Sequence);
                if (Sequence)
                {
                    writer.Line("ref float outputRow = ref output;");
                    writer.Line($"ref float inputRow = ref Unsafe.Add(ref x, c * {In.Width});");
                }
                else
                {
                    writer.Line($"int row = {Tap("i", "u", 1, p)};");
                    if (p > 0)
                    {
                        writer.Open($"if ((uint)row >= {In.Height})");
                        writer.Line("continue;");
                        writer.Close();
                    }
                    writer.Line($"ref float outputRow = ref Unsafe.Add(ref output, i * {Out.Width});");
                    writer.Line($"ref float inputRow = ref Unsafe.Add(ref x, (c * {In.Height} + row) * {In.Width});");
                }
                writer.Open($"for (int v = 0; v < {k}; v++)");
                writer.Line(Sequence
                    ? $"float w = Unsafe.Add(ref weight, (o * {In.Channels} + c) * {k} + v);"
                    : $"float w = Unsafe.Add(ref weight, ((o * {In.Channels} + c) * {k} + u) * {k} + v);");
                writer.Line("V wide = V.Create(w);");
                if (p > 0)
                {
                    writer.Line($"// Output columns whose tap j − {p} + v lies inside the input.");
                    writer.Line($"int jStart = Math.Max(0, {p} - v), jEnd = Math.Min({Out.Width}, {In.Width + p} - v);");
                    writer.Line($"int shift = v - {p};");
                }
                else
                {
                    writer.Line($"int jStart = 0, jEnd = {Out.Width}, shift = v;");
                }
                writer.Line("int j = jStart;");
                writer.Open("for (; j <= jEnd - V.Count; j += V.Count)");
                writer.Line("V.Store(V.Load(ref outputRow, j) + wide * V.Load(ref inputRow, j + shift), ref outputRow, j);");
                writer.Close();
                writer.Open("for (; j < jEnd; j++)");
                writer.Line("Unsafe.Add(ref outputRow, j) += w * Unsafe.Add(ref inputRow, j + shift);");
                writer.Close();
                writer.Close();
                CloseIf(writer, rows);
                CloseIf(writer, taps);
                writer.Close();
                writer.Close();
                writer.Close();
            }

            /// <summary>What the innermost statement of <see cref="EmitTaps"/> does with one tap.</summary>
            private enum TapRole
            {
                /// <summary><c>sum += weight · x</c>.</summary>
                Forward,

                /// <summary><c>dLoss/dweight += g · x</c>.</summary>
                WeightGradient,

                /// <summary><c>dLoss/dx += g · weight</c>.</summary>
                InputGradient,
            }

            /// <summary>The loops over channels and the window, skipping taps outside the input (the zero padding).</summary>
            private void EmitTaps(SourceWriter writer, TapRole role)
            {
                int k = _conv.Kernel;
                writer.Open($"for (int c = 0; c < {In.Channels}; c++)");
                bool taps = OpenRows(writer, "u", k, Sequence);
                if (!Sequence)
                {
                    writer.Line($"int row = {Tap("i", "u", _conv.Stride, _conv.Padding)};");
                    if (_conv.Padding > 0)
                    {
                        writer.Open($"if ((uint)row >= {In.Height})");
                        writer.Line("continue;");
                        writer.Close();
                    }
                }
                // Each role reads one row of the weight (or of its gradient) and one row of x (or of dLoss/dx).
                string weightRow = Sequence ? $"(o * {In.Channels} + c) * {k}" : $"((o * {In.Channels} + c) * {k} + u) * {k}";
                string inputRow = Sequence ? $"c * {In.Width}" : $"(c * {In.Height} + row) * {In.Width}";
                writer.Line(role == TapRole.WeightGradient
                    ? $"ref float gradW = ref Unsafe.Add(ref gradWeight, {weightRow});"
                    : $"ref float w = ref Unsafe.Add(ref weight, {weightRow});");
                writer.Line(role == TapRole.InputGradient
                    ? $"ref float inputGradient = ref Unsafe.Add(ref dx, {inputRow});"
                    : $"ref float input = ref Unsafe.Add(ref x, {inputRow});");
                writer.Open($"for (int v = 0; v < {k}; v++)");
                writer.Line($"int column = {Tap("j", "v", _conv.Stride, _conv.Padding)};");
                if (_conv.Padding > 0)
                {
                    writer.Open($"if ((uint)column >= {In.Width})");
                    writer.Line("continue;");
                    writer.Close();
                }
                writer.Line(role switch
                {
                    TapRole.Forward => "sum += Unsafe.Add(ref w, v) * Unsafe.Add(ref input, column);",
                    TapRole.WeightGradient => "Unsafe.Add(ref gradW, v) += g * Unsafe.Add(ref input, column);",
                    _ => "Unsafe.Add(ref inputGradient, column) += g * Unsafe.Add(ref w, v);",
                });
                writer.Close();
                CloseIf(writer, taps);
                writer.Close();
            }

            public override string[] EmitOneSampleInRegisters(SourceWriter writer, string[] inputs, bool last) =>
                throw new System.InvalidOperationException("A network with a convolution never runs one sample in registers.");

            public override void EmitOneSample(SourceWriter writer, SampleValues input, SampleValues output) =>
                writer.Line($"{Name}Sample(ref Parameter(Weight{_conv.Index}), ref Parameter(Bias{_conv.Index}), ref {input.First}, ref {output.First});");
        }

        /// <summary>Max or average pooling over square windows (runs, over a sequence), directly from the definition.</summary>
        private sealed class PoolEmitter : LayerEmitter
        {
            private readonly PoolSpec _pool;

            public PoolEmitter(PoolSpec pool)
                : base(pool) => _pool = pool;

            private string Name => $"{(_pool.IsMax ? "MaxPool" : "AvgPool")}{_pool.Index}";

            private bool Sequence => _pool.IsSequence;

            private string Kind => (_pool.IsMax ? "MaxPool" : "AvgPool") + (Sequence ? "1d" : "2d");

            private ShapeSpec In => _pool.In;

            private ShapeSpec Out => _pool.Out;

            public override string LayerInfo =>
                $"LayerInfo.Spatial(LayerKind.{Kind}, new WindowInfo({In.Channels}, {Out.Channels}, {_pool.Kernel}, {_pool.Stride}, 0, " +
                $"{In.Height}, {In.Width}, {Out.Height}, {Out.Width}{(Sequence ? ", Dimensions: 1" : "")}))";

            /// <summary>The window as comments name it.</summary>
            private string Window => Sequence ? $"run of {_pool.Kernel}" : $"{_pool.Kernel} × {_pool.Kernel} window";

            public override string OneSampleFormula => $"the {(_pool.IsMax ? "maximum" : "mean")} of each {Window}, as {Name}Forward";

            /// <summary>What each output is, for the comment above the batched forward.</summary>
            private string Formula => (Sequence, _pool.IsMax) switch
            {
                (true, true) => $"y[c, j] = max over v < {_pool.Kernel} of x[c, {Tap("j", "v", _pool.Stride, 0)}] (the first maximum; NaN wins, as PyTorch)",
                (true, false) => $"y[c, j] = (Σ over v < {_pool.Kernel} of x[c, {Tap("j", "v", _pool.Stride, 0)}]) / {_pool.Kernel}",
                (false, true) => $"y[c, i, j] = max over u, v < {_pool.Kernel} of x[c, {Tap("i", "u", _pool.Stride, 0)}, {Tap("j", "v", _pool.Stride, 0)}] (the first maximum; NaN wins, as PyTorch)",
                _ => $"y[c, i, j] = (Σ over u, v < {_pool.Kernel} of x[c, {Tap("i", "u", _pool.Stride, 0)}, {Tap("j", "v", _pool.Stride, 0)}]) / {_pool.WindowSize}",
            };

            public override string ForwardCall => $"{Name}Forward(batch);";

            public override string BackwardCall => _pool.Buffers.InputGradient is null ? $"// ({Name} passes no gradient back: nothing before it learns)" : $"{Name}Backward(batch);";

            public override void EmitMethods(SourceWriter writer)
            {
                LayerBuffers buffers = _pool.Buffers;
                EmitBanner(writer);
                writer.Line($"// Forward: x {Batched(In)} → y {Batched(Out)}");
                writer.Line($"//   {Formula}");
                EmitOptimized(writer);
                writer.Open($"private void {Name}Forward(int batch)");
                writer.Open("for (int b = 0; b < batch; b++)");
                writer.Line($"{Name}Sample(ref Unsafe.Add(ref First({buffers.Input}), b * {In.Count}), ref Unsafe.Add(ref First({buffers.Output}), b * {Out.Count}));");
                writer.Close();
                writer.Close();
                writer.Line();

                EmitOptimized(writer);
                writer.Open($"private static void {Name}Sample(ref float x, ref float y)");
                EmitWindows(writer, backward: false);
                writer.Close();
                writer.Line();

                if (buffers.InputGradient is null)
                {
                    return;
                }
                string at = Sequence ? "[c, q]" : "[c, r, q]", each = Sequence ? "[c, j]" : "[c, i, j]";
                writer.Line(_pool.IsMax
                    ? $"// Backward: dLoss/dx{at} = Σ dy{each} over the windows whose (first) maximum is x{at}, found again in the kept x"
                    : $"// Backward: dLoss/dx{at} = Σ dy{each} / {_pool.WindowSize} over the windows that hold x{at}");
                EmitOptimized(writer);
                writer.Open($"private void {Name}Backward(int batch)");
                writer.Line($"new Span<float>({buffers.InputGradient}, 0, batch * {In.Count}).Clear();");
                writer.Open("for (int b = 0; b < batch; b++)");
                writer.Line($"ref float x = ref Unsafe.Add(ref First({buffers.Input}), b * {In.Count});");
                writer.Line($"ref float dy = ref Unsafe.Add(ref First({buffers.OutputGradient}), b * {Out.Count});");
                writer.Line($"ref float dx = ref Unsafe.Add(ref First({buffers.InputGradient}), b * {In.Count});");
                EmitWindows(writer, backward: true);
                writer.Close();
                writer.Close();
                writer.Line();
            }

            private void EmitWindows(SourceWriter writer, bool backward)
            {
                int k = _pool.Kernel;
                string at = Offset("c", Tap("i", "u", _pool.Stride, 0), Tap("j", "v", _pool.Stride, 0), In);
                writer.Open($"for (int c = 0; c < {In.Channels}; c++)");
                bool rows = OpenRows(writer, "i", Out.Height, Sequence);
                writer.Open($"for (int j = 0; j < {Out.Width}; j++)");
                if (_pool.IsMax)
                {
                    writer.Line($"int best = {Offset("c", Tap("i", "0", _pool.Stride, 0), Tap("j", "0", _pool.Stride, 0), In)};");
                    bool windowRows = OpenRows(writer, "u", k, Sequence);
                    writer.Open($"for (int v = 0; v < {k}; v++)");
                    writer.Line($"int at = {at};");
                    writer.Line("float value = Unsafe.Add(ref x, at);");
                    writer.Open("if (value > Unsafe.Add(ref x, best) || float.IsNaN(value))");
                    writer.Line("best = at;");
                    writer.Close();
                    writer.Close();
                    CloseIf(writer, windowRows);
                    writer.Line(backward
                        ? $"Unsafe.Add(ref dx, best) += Unsafe.Add(ref dy, {Offset("c", "i", "j", Out)});"
                        : $"Unsafe.Add(ref y, {Offset("c", "i", "j", Out)}) = Unsafe.Add(ref x, best);");
                }
                else if (backward)
                {
                    writer.Line($"float share = Unsafe.Add(ref dy, {Offset("c", "i", "j", Out)}) / {_pool.WindowSize};");
                    bool windowRows = OpenRows(writer, "u", k, Sequence);
                    writer.Open($"for (int v = 0; v < {k}; v++)");
                    writer.Line($"Unsafe.Add(ref dx, {at}) += share;");
                    writer.Close();
                    CloseIf(writer, windowRows);
                }
                else
                {
                    writer.Line("float sum = 0f;");
                    bool windowRows = OpenRows(writer, "u", k, Sequence);
                    writer.Open($"for (int v = 0; v < {k}; v++)");
                    writer.Line($"sum += Unsafe.Add(ref x, {at});");
                    writer.Close();
                    CloseIf(writer, windowRows);
                    writer.Line($"Unsafe.Add(ref y, {Offset("c", "i", "j", Out)}) = sum / {_pool.WindowSize};");
                }
                writer.Close();
                CloseIf(writer, rows);
                writer.Close();
            }

            public override string[] EmitOneSampleInRegisters(SourceWriter writer, string[] inputs, bool last) =>
                throw new System.InvalidOperationException("A network with pooling never runs one sample in registers.");

            public override void EmitOneSample(SourceWriter writer, SampleValues input, SampleValues output) =>
                writer.Line($"{Name}Sample(ref {input.First}, ref {output.First});");
        }

        /// <summary>[C, H, W] to C·H·W features: the same floats in the same order, copied.</summary>
        private sealed class FlattenEmitter : LayerEmitter
        {
            private readonly FlattenSpec _flatten;

            public FlattenEmitter(FlattenSpec flatten)
                : base(flatten) => _flatten = flatten;

            private string Name => $"Flatten{_flatten.Index}";

            public override string LayerInfo => "LayerInfo.Flatten";

            public override string OneSampleFormula => $"y = x, {_flatten.In} read as {_flatten.In.Count} features";

            public override string ForwardCall => $"{Name}Forward(batch);";

            public override string BackwardCall => _flatten.Buffers.InputGradient is null ? $"// ({Name} passes no gradient back: nothing before it learns)" : $"{Name}Backward(batch);";

            public override void EmitMethods(SourceWriter writer)
            {
                LayerBuffers buffers = _flatten.Buffers;
                string count = $"batch * {_flatten.In.Count}";
                EmitBanner(writer);
                writer.Line($"// Forward: x {Batched(_flatten.In)} → y [B, {_flatten.In.Count}], the same floats in order ({(_flatten.In.IsSequence ? "channel, step" : "channel, row, column")})");
                writer.Line($"private void {Name}Forward(int batch) => new ReadOnlySpan<float>({buffers.Input}, 0, {count}).CopyTo({buffers.Output});");
                writer.Line();
                if (buffers.InputGradient is not null)
                {
                    writer.Line($"// Backward: dLoss/dx = dLoss/dy, read back as {(_flatten.In.IsSequence ? "[B, C, L]" : "[B, C, H, W]")}");
                    writer.Line($"private void {Name}Backward(int batch) => new ReadOnlySpan<float>({buffers.OutputGradient}, 0, {count}).CopyTo({buffers.InputGradient});");
                    writer.Line();
                }
            }

            public override string[] EmitOneSampleInRegisters(SourceWriter writer, string[] inputs, bool last) =>
                throw new System.InvalidOperationException("A network with Flatten never runs one sample in registers.");

            public override void EmitOneSample(SourceWriter writer, SampleValues input, SampleValues output) =>
                writer.Line($"((ReadOnlySpan<float>){input.Name}).Slice(0, {_flatten.In.Count}).CopyTo({output.Name});");
        }
    }
}
