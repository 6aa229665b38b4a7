using System.Collections.Generic;
using System.Linq;
using CompiledNets.Generator.Model;

namespace CompiledNets.Generator;

public sealed partial class NetworkGenerator
{
    internal static partial class Emitter
    {
        /// <summary>A Linear layer: <c>y = x · weightᵀ + bias</c>, its three products and its bias gradient.</summary>
        private sealed class LinearEmitter : LayerEmitter
        {
            private readonly LinearSpec _linear;

            public LinearEmitter(LinearSpec linear)
                : base(linear) => _linear = linear;

            private string Name => $"Linear{_linear.Index}";

            private string Work(string product) => $"Work{Name}{product}";

            public override string OneSampleFormula => "y[o] = bias[o] + Σ_i weight[o, i] · x[i]";

            private string MultiplyAdds => $"batch * {_linear.WeightCount}L";

            public override string LayerInfo => $"LayerInfo.Linear({_linear.InFeatures}, {_linear.OutFeatures})";

            public override string ForwardCall => $"{Name}Forward(batch);";

            public override string BackwardCall => $"{Name}Backward(batch);";

            public override IEnumerable<(string Name, string Call)> WorkItems
            {
                get
                {
                    LinearSpec l = _linear;
                    LayerBuffers buffers = l.Buffers;
                    string weight = l.Buffers.WeightT is { } weightT ? $"ref First({weightT})" : $"ref Parameter(Weight{l.Index})";
                    if (l.Packed)
                    {
                        // A large batch: the pack in parts of whole vectors of outputs, then the product in parts of rows.
                        yield return (Work("Pack"), $"{Name}Pack(Parallelism.PartStart({l.OutFeatures}, part, parts, V.Count), " +
                            $"Parallelism.PartStart({l.OutFeatures}, part + 1, parts, V.Count));");
                        yield return (Work("ForwardRows"),
                            $"Kernels<V>.{l.Forward}(ref Unsafe.Add(ref First({buffers.Input}), rowStart * {l.InFeatures}), {weight}, ref Parameter(Bias{l.Index}), " +
                            $"ref Unsafe.Add(ref First({buffers.Output}), rowStart * {l.OutFeatures}), rowEnd - rowStart, 0, {l.OutFeatures});");
                    }
                    yield return (Work("Forward"), l.Packed
                        ? $"{Name}ForwardPart(batch, part, parts);"
                        : $"Kernels<V>.{l.Forward}(ref First({buffers.Input}), {weight}, ref Parameter(Bias{l.Index}), ref First({buffers.Output}), rowStart, rowEnd" +
                            (l.Transposed ? ");" : $", 0, {l.OutFeatures});"));
                    if (l.SmallBatchForward is { } smallBatch)
                    {
                        // Split by outputs in whole groups: each part reads the weight rows of its own outputs only.
                        int o = l.OutFeatures, group = Model.DotProductSpec.Group;
                        yield return (Work("ForwardSmallBatch"),
                            $"Kernels<V>.{smallBatch}(ref First({buffers.Input}), ref Parameter(Weight{l.Index}), ref Parameter(Bias{l.Index}), ref First({buffers.Output}), 0, batch, " +
                            $"Parallelism.PartStart({o}, part, parts, {group}), Parallelism.PartStart({o}, part + 1, parts, {group}));");
                    }
                    yield return (Work("WeightGradient"),
                        $"Kernels<V>.{l.WeightGradient}(ref First({buffers.OutputGradient}), ref First({buffers.Input}), ref Gradient(Weight{l.Index}), batch, " +
                        $"Part({l.OutFeatures}, part, parts), Part({l.OutFeatures}, part + 1, parts));");
                    yield return (Work("InputGradient"),
                        $"Kernels<V>.{l.InputGradient}(ref First({buffers.OutputGradient}), ref Parameter(Weight{l.Index}), ref First({buffers.InputGradient}), rowStart, rowEnd);");
                }
            }

            public override void EmitMethods(SourceWriter writer)
            {
                LinearSpec l = _linear;
                int i = l.InFeatures, o = l.OutFeatures;
                EmitBanner(writer);
                writer.Line($"// Forward: x [B, {i}] → y [B, {o}],  weight [{o}, {i}],  bias [{o}]");
                writer.Line("//   y[b, o] = bias[o] + Σ_i weight[o, i] · x[b, i]");
                if (l.Transposed)
                {
                    writer.Line($"// The product multiplies by weightᵀ [{i}, {o}], copied here first (the weight may have changed since the last pass):");
                    writer.Line("// each step broadcasts one input across vectors of outputs.");
                }
                else
                {
                    writer.Line($"// Groups of {Model.DotProductSpec.Group} outputs, each a vector sum along a row of the weight, summed across lanes together.");
                }
                if (l.FusesReLU)
                {
                    writer.Line($"// The ReLU of layer {l.Index + 1} runs here: the tiles store max(0, y) into its output {l.Buffers.Output}" +
                        (l.Packed ? " (a small batch: a pass after the dot products)." : "."));
                }
                EmitOptimized(writer);
                writer.Open($"private void {Name}Forward(int batch)");
                if (l.Packed)
                {
                    int group = Model.DotProductSpec.Group;
                    writer.Open(l.SmallBatchRows == l.SmallBatchRowsNarrow
                        ? $"if (batch < {l.SmallBatchRows})"
                        : $"if (batch < (V.Registers >= 32 ? {l.SmallBatchRows} : {l.SmallBatchRowsNarrow}))");
                    writer.Line("// A small batch costs less summed along the rows of the weight itself than through a packed copy of it (packing");
                    writer.Line("// moves every weight once): parts of whole groups of outputs, each reading its own weight rows.");
                    writer.Line($"Run({Work("ForwardSmallBatch")}, {MultiplyAdds}, Math.Min(Threads, ({o} + {group - 1}) / {group}));");
                    if (l.FusesReLU)
                    {
                        writer.Line("// Then the next layer's ReLU, in whole vectors (the last may run into the buffer's padding).");
                        writer.Line($"ref float output = ref First({l.Buffers.Output});");
                        writer.Open($"for (int j = 0; j < batch * {o}; j += V.Count)");
                        writer.Line("V.Store(V.Max(V.Load(ref output, j), V.Zero), ref output, j);");
                        writer.Close();
                    }
                    writer.Line("return;");
                    writer.Close();
                    writer.Open($"if (Threads > 1 && batch >= {RowsSplitBatch(l)})");
                    writer.Line($"// A batch whose rows of x are twice the weight or more ({RowsSplitBatch(l)} rows), on several threads: the weight packed in parts of");
                    writer.Line("// whole vectors of outputs, then the product in parts of rows, each running every column: each core reads its own");
                    writer.Line("// rows of x once, where parts of columns would each read all of them.");
                    writer.Line($"Run({Work("Pack")}, {MultiplyAdds}, Math.Min(Threads, ({o} + V.Count - 1) / V.Count));");
                    writer.Line($"Run({Work("ForwardRows")}, {MultiplyAdds});");
                    writer.Line("return;");
                    writer.Close();
                    // One part per thread, in whole vectors of outputs: each part packs its own rows of the weight (see below).
                    writer.Line($"Run({Work("Forward")}, {MultiplyAdds}, Math.Min(Threads, ({o} + V.Count - 1) / V.Count));");
                }
                else if (l.Transposed)
                {
                    writer.Line($"ref float weight = ref Parameter(Weight{l.Index});");
                    writer.Line($"ref float weightT = ref First({l.Buffers.WeightT});");
                    // weightT[i, o] = weight[o, i], from a row of the weight and a column of weightT.
                    bool alongOutputs = l.TransposeAlongOutputs;
                    writer.Open(alongOutputs ? $"for (int o = 0; o < {o}; o++)" : $"for (int i = 0; i < {i}; i++)");
                    writer.Line(alongOutputs ? $"ref float row = ref Unsafe.Add(ref weight, o * {i});" : $"ref float row = ref Unsafe.Add(ref weightT, i * {o});");
                    writer.Line(alongOutputs ? "ref float column = ref Unsafe.Add(ref weightT, o);" : "ref float column = ref Unsafe.Add(ref weight, i);");
                    for (int k = 0; k < System.Math.Min(i, o); k++)
                    {
                        writer.Line(alongOutputs
                            ? $"Unsafe.Add(ref column, {k * o}) = Unsafe.Add(ref row, {k});"
                            : $"Unsafe.Add(ref row, {k}) = Unsafe.Add(ref column, {k * i});");
                    }
                    writer.Close();
                }
                if (!l.Packed)
                {
                    writer.Line($"Run({Work("Forward")}, {MultiplyAdds});");
                }
                writer.Close();
                writer.Line();
                if (l.Packed)
                {
                    EmitForwardPart(writer);
                }

                writer.Line($"// Backward: given dy = dLoss/dy [B, {o}] and the kept input x [B, {i}],");
                writer.Line("//   dLoss/dweight[o, i] += Σ_b dy[b, o] · x[b, i]");
                writer.Line("//   dLoss/dbias[o]      += Σ_b dy[b, o]");
                writer.Line("//   dLoss/dx[b, i]       = Σ_o dy[b, o] · weight[o, i]" + (l.Buffers.InputGradientOnRequest ? " (dLoss/dinputs: only when asked for)" : ""));
                EmitOptimized(writer);
                writer.Open($"private void {Name}Backward(int batch)");
                writer.Line($"Kernels<V>.{l.BiasGradient}(ref First({l.Buffers.OutputGradient}), ref Gradient(Bias{l.Index}), batch);");
                writer.Line($"Run({Work("WeightGradient")}, {MultiplyAdds});");
                EmitInputGradient(writer, () => writer.Line($"Run({Work("InputGradient")}, {MultiplyAdds});"));
                writer.Close();
                writer.Line();
            }

            /// <summary>
            /// The smallest batch whose packed forward splits by rows on several threads: rows of x twice the weight's size. Two
            /// threads, interleaved: 784→128→10's inference in batches of 1000, 7–25 % faster; LeCun's 784→300→100→10 training
            /// in batches of 128, whose 300→100 split by rows from as many rows as outputs, about 5 % slower (the extra round,
            /// and each core reading the panels the other packed, where x is no larger than the weight).
            /// </summary>
            private static int RowsSplitBatch(LinearSpec l) => 2 * l.OutFeatures;

            /// <summary>
            /// A part of a packed forward: whole vectors of outputs, whose weight rows the part packs before it computes their
            /// columns for every row, so the panels are read from the cache of the core that wrote them.
            /// </summary>
            private void EmitForwardPart(SourceWriter writer)
            {
                LinearSpec l = _linear;
                int o = l.OutFeatures;
                writer.Line("// One part of the forward, one per thread: the outputs [first, end), in whole vectors. The part packs those rows of");
                writer.Line("// the weight into their panels of weightᵀ, then computes those columns of y for every row: the panels stay in the cache");
                writer.Line("// of the core that reads them, and the same outputs go to the same part (and core) step after step.");
                EmitOptimized(writer);
                writer.Open($"private void {Name}ForwardPart(int batch, int part, int parts)");
                writer.Line($"int first = Parallelism.PartStart({o}, part, parts, V.Count);");
                writer.Line($"int end = Parallelism.PartStart({o}, part + 1, parts, V.Count);");
                writer.Line($"{Name}Pack(first, end);");
                writer.Line($"Kernels<V>.{l.Forward}(ref First({l.Buffers.Input}), ref First({l.Buffers.WeightT}), ref Parameter(Bias{l.Index}), " +
                    $"ref First({l.Buffers.Output}), batch, first, end);");
                writer.Close();
                writer.Line();
                writer.Line($"// The weight rows of outputs [first, end), whole vectors of them, into their panels of weightᵀ [{l.InFeatures}, {o}].");
                EmitOptimized(writer);
                writer.Open($"private void {Name}Pack(int first, int end)");
                writer.Line($"Transposition.ToPanels(ref Parameter(Weight{l.Index}), {l.InFeatures}, ref First({l.Buffers.WeightT}), V.Count, first, end);");
                writer.Close();
                writer.Line();
            }

            public override string[] EmitOneSampleInRegisters(SourceWriter writer, string[] inputs, bool last)
            {
                LinearSpec l = _linear;
                var outputs = new string[l.OutFeatures];
                for (int o = 0; o < l.OutFeatures; o++)
                {
                    outputs[o] = $"h{l.Index}_{o}";
                    string bias = o == 0 ? $"Bias{l.Index}" : $"Bias{l.Index} + {o}";
                    writer.Line(last ? $"Unsafe.Add(ref y, {o}) = Unsafe.Add(ref p, {bias})" : $"float {outputs[o]} = Unsafe.Add(ref p, {bias})");
                    writer.Indent();
                    for (int i = 0; i < l.InFeatures; i++)
                    {
                        int at = o * l.InFeatures + i;
                        string weight = at == 0 ? $"Weight{l.Index}" : $"Weight{l.Index} + {at}";
                        writer.Line($"+ Unsafe.Add(ref p, {weight}) * {inputs[i]}" + (i == l.InFeatures - 1 ? ";" : ""));
                    }
                    writer.Unindent();
                }
                return outputs;
            }

            public override void EmitOneSample(SourceWriter writer, SampleValues input, SampleValues output)
            {
                LinearSpec l = _linear;
                writer.Line($"Kernels<V>.{l.ForwardSample}(ref {input.First}, ref Unsafe.Add(ref p, Weight{l.Index}), ref Unsafe.Add(ref p, Bias{l.Index}), ref {output.First});");
            }
        }
    }
}
