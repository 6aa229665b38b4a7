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

        /// <summary>
        /// A run of <paramref name="length"/> floats in vectors: <c>int {index} = 0;</c>, a loop of whole vectors, then one
        /// partial vector where the length is not a whole number of them. <paramref name="step"/> writes one vector's body,
        /// given its count of wanted lanes: <c>V.Count</c>, or <c>length % V.Count</c> for the last (see <see cref="StoreLanes"/>).
        /// </summary>
        private static void EmitVectorRun(SourceWriter writer, string index, int length, System.Action<string> step)
        {
            writer.Line($"int {index} = 0;");
            writer.Open($"for (; {index} <= {length} - V.Count; {index} += V.Count)");
            step("V.Count");
            writer.Close();
            writer.Open($"if ({index} < {length})");
            step($"{length} % V.Count");
            writer.Close();
        }

        /// <summary>The store of a vector with <paramref name="count"/> wanted lanes (<see cref="EmitVectorRun"/>): whole, or only those lanes.</summary>
        private static string StoreLanes(string value, string destination, string offset, string count) =>
            count == "V.Count" ? $"V.Store({value}, ref {destination}, {offset});" : $"V.StorePartial({value}, ref {destination}, {offset}, {count});";

        /// <summary>A shape as the comments write it: <c>[B, C, H, W]</c> or <c>[B, C, L]</c>.</summary>
        private static string Batched(ShapeSpec shape) => $"[B, {shape.Channels}, {shape.Sides}]";

        /// <summary>The input row or column a window position reads: <c>i * stride - padding + u</c>, without the terms that vanish.</summary>
        private static string Tap(string position, string offset, int stride, int padding)
        {
            string scaled = stride == 1 ? position : $"{position} * {stride}";
            string shifted = padding == 0 ? scaled : $"{scaled} - {padding}";
            return offset == "0" ? shifted : $"{shifted} + {offset}";
        }

        /// <summary>Max or average pooling over square windows (runs, over a sequence); max pooling's own methods are in the MaxPool file.</summary>
        private sealed partial class PoolEmitter : LayerEmitter
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

            public override string BackwardCall => InputGradientCall($"{Name}Backward(batch);");

            public override void EmitMethods(SourceWriter writer)
            {
                LayerBuffers buffers = _pool.Buffers;
                EmitBanner(writer);
                writer.Line($"// Forward: x {Batched(In)} → y {Batched(Out)}");
                writer.Line($"//   {Formula}");
                if (_pool.IsMax)
                {
                    EmitMaxPool(writer);
                    return;
                }
                EmitOptimized(writer);
                writer.Open($"private void {Name}Forward(int batch)");
                writer.Open("for (int b = 0; b < batch; b++)");
                writer.Line($"{Name}Sample(ref Unsafe.Add(ref First({buffers.Input}), b * {In.Count}), ref Unsafe.Add(ref First({buffers.Output}), b * {Out.Count}));");
                writer.Close();
                writer.Close();
                writer.Line();

                EmitOptimized(writer);
                writer.Open($"private static void {Name}Sample(ref float x, ref float y)");
                EmitAverages(writer, backward: false);
                writer.Close();
                writer.Line();

                string at = Sequence ? "[c, q]" : "[c, r, q]", each = Sequence ? "[c, j]" : "[c, i, j]";
                writer.Line($"// Backward: dLoss/dx{at} = Σ dy{each} / {_pool.WindowSize} over the windows that hold x{at}");
                EmitOptimized(writer);
                writer.Open($"private void {Name}Backward(int batch)");
                writer.Line($"new Span<float>({buffers.InputGradient}, 0, batch * {In.Count}).Clear();");
                writer.Open("for (int b = 0; b < batch; b++)");
                writer.Line($"{Name}BackwardSample(ref Unsafe.Add(ref First({buffers.OutputGradient}), b * {Out.Count}), ref Unsafe.Add(ref First({buffers.InputGradient}), b * {In.Count}));");
                writer.Close();
                writer.Close();
                writer.Line();

                EmitOptimized(writer);
                writer.Open($"private static void {Name}BackwardSample(ref float dy, ref float dx)");
                EmitAverages(writer, backward: true);
                writer.Close();
                writer.Line();
            }

            /// <summary>Average pooling's loops, window by window: the sum of its taps over their count, or dy's share to each.</summary>
            private void EmitAverages(SourceWriter writer, bool backward)
            {
                int k = _pool.Kernel;
                string at = Offset("c", Tap("i", "u", _pool.Stride, 0), Tap("j", "v", _pool.Stride, 0), In);
                writer.Open($"for (int c = 0; c < {In.Channels}; c++)");
                bool rows = OpenRows(writer, "i", Out.Height, Sequence);
                writer.Open($"for (int j = 0; j < {Out.Width}; j++)");
                if (backward)
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

            public override string BackwardCall => InputGradientCall($"{Name}Backward(batch);");

            public override void EmitMethods(SourceWriter writer)
            {
                LayerBuffers buffers = _flatten.Buffers;
                string count = $"batch * {_flatten.In.Count}";
                EmitBanner(writer);
                writer.Line($"// Forward: x {Batched(_flatten.In)} → y [B, {_flatten.In.Count}], the same floats in order ({(_flatten.In.IsSequence ? "channel, step" : "channel, row, column")})");
                writer.Line($"private void {Name}Forward(int batch) => new ReadOnlySpan<float>({buffers.Input}, 0, {count}).CopyTo({buffers.Output});");
                writer.Line();
                writer.Line($"// Backward: dLoss/dx = dLoss/dy, read back as {(_flatten.In.IsSequence ? "[B, C, L]" : "[B, C, H, W]")}");
                writer.Line($"private void {Name}Backward(int batch) => new ReadOnlySpan<float>({buffers.OutputGradient}, 0, {count}).CopyTo({buffers.InputGradient});");
                writer.Line();
            }

            public override string[] EmitOneSampleInRegisters(SourceWriter writer, string[] inputs, bool last) =>
                throw new System.InvalidOperationException("A network with Flatten never runs one sample in registers.");

            public override void EmitOneSample(SourceWriter writer, SampleValues input, SampleValues output) =>
                writer.Line($"((ReadOnlySpan<float>){input.Name}).Slice(0, {_flatten.In.Count}).CopyTo({output.Name});");
        }
    }
}
