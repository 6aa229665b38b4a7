using System.Linq;
using CompiledNets.Generator.Model;
using static CompiledNets.Generator.KnownNames;

namespace CompiledNets.Generator;

public sealed partial class NetworkGenerator
{
    internal static partial class Emitter
    {
        private static string ForwardCall(LayerSpec layer, string input, string output, string batch) =>
            layer.Kind == LayerKind.Linear
                ? $"{MethodName(layer)}Forward({input}, {output}, {batch});"
                : $"{MethodName(layer)}Forward({input}, {output});";

        private static string BackwardCall(LayerSpec layer, string input, string output, string outputGradient, string inputGradient) => layer.Kind switch
        {
            LayerKind.Linear when layer.NeedsInputGradient => $"{MethodName(layer)}Backward({input}, {outputGradient}, {inputGradient}, batch);",
            LayerKind.Linear => $"{MethodName(layer)}Backward({input}, {outputGradient}, batch);",
            LayerKind.LeakyReLU => $"{MethodName(layer)}Backward({input}, {outputGradient}, {inputGradient});",
            _ => $"{MethodName(layer)}Backward({output}, {outputGradient}, {inputGradient});",
        };

        private static void EmitLayer(SourceWriter writer, NetworkSpec network, LayerSpec layer)
        {
            writer.Line($"// ---- Layer {layer.Index}: {ModuleName(layer)} " + new string('-', System.Math.Max(4, 80 - ModuleName(layer).Length)));
            writer.Line();
            switch (layer.Kind)
            {
                case LayerKind.Linear when layer.Strategy == LinearStrategy.Unrolled:
                    EmitUnrolledLinear(writer, layer);
                    break;
                case LayerKind.Linear:
                    EmitVectorizedLinear(writer, network, layer);
                    break;
                default:
                    EmitActivation(writer, layer);
                    break;
            }
        }

        private static void EmitLinearForwardHeader(SourceWriter writer, LayerSpec layer, string how, string rows = "int batch")
        {
            int i = layer.InFeatures, o = layer.OutFeatures;
            writer.Line($"// Forward, {how}:");
            writer.Line($"//   x [B, {i}] → y [B, {o}],  weight [{o}, {i}],  bias [{o}]");
            writer.Line("//   y[b, o] = bias[o] + Σ_i weight[o, i] · x[b, i]");
            writer.Open($"private void {MethodName(layer)}Forward({ReadOnlySpan} x, {Span} y, {rows})");
        }

        private static void EmitLinearBackwardHeader(SourceWriter writer, LayerSpec layer, string? batchOnly = null)
        {
            int i = layer.InFeatures, o = layer.OutFeatures;
            writer.Line($"// Backward: given dy = dLoss/dy [B, {o}] and the forward input x [B, {i}],");
            writer.Line("//   dLoss/dweight[o, i] += Σ_b dy[b, o] · x[b, i]");
            writer.Line("//   dLoss/dbias[o]      += Σ_b dy[b, o]");
            writer.Line(layer.NeedsInputGradient
                ? "//   dLoss/dx[b, i]       = Σ_o dy[b, o] · weight[o, i]"
                : "//   (the first layer needs no dLoss/dx: nothing before it learns)");
            if (batchOnly is not null)
            {
                writer.Line("// x and dy are the kept batch buffers; the products run in parallel parts when they are large.");
                writer.Open($"private void {MethodName(layer)}BackwardBatch(int batch)");
            }
            else if (layer.NeedsInputGradient)
            {
                writer.Open($"private void {MethodName(layer)}Backward({ReadOnlySpan} x, {ReadOnlySpan} dy, {Span} dx, int batch)");
            }
            else
            {
                writer.Open($"private void {MethodName(layer)}Backward({ReadOnlySpan} x, {ReadOnlySpan} dy, int batch)");
            }
        }

        /// <summary>Every multiply written out; the row loop over the batch is the only loop.</summary>
        private static void EmitUnrolledLinear(SourceWriter writer, LayerSpec layer)
        {
            int inFeatures = layer.InFeatures, outFeatures = layer.OutFeatures, index = layer.Index;
            string xs = string.Join(", ", Enumerable.Range(0, inFeatures).Select(i => $"x{i} = xb[{i}]"));

            EmitLinearForwardHeader(writer, layer, $"fully unrolled ({layer.WeightCount} weights)");
            writer.Line($"{ReadOnlySpan} weight = new {ReadOnlySpan}(_parameters, Weight{index}, {layer.WeightCount});");
            writer.Line($"{ReadOnlySpan} bias = new {ReadOnlySpan}(_parameters, Bias{index}, {outFeatures});");
            writer.Open("for (int b = 0; b < batch; b++)");
            writer.Line($"{ReadOnlySpan} xb = x.Slice(b * {inFeatures}, {inFeatures});");
            writer.Line($"{Span} yb = y.Slice(b * {outFeatures}, {outFeatures});");
            writer.Line($"float {xs};");
            for (int o = 0; o < outFeatures; o++)
            {
                string terms = string.Join(" + ", Enumerable.Range(0, inFeatures).Select(i => $"weight[{o * inFeatures + i}] * x{i}"));
                writer.Line($"yb[{o}] = bias[{o}] + {terms};");
            }
            writer.Close();
            writer.Close();
            writer.Line();

            EmitLinearBackwardHeader(writer, layer);
            if (layer.NeedsInputGradient)
            {
                writer.Line($"{ReadOnlySpan} weight = new {ReadOnlySpan}(_parameters, Weight{index}, {layer.WeightCount});");
            }
            writer.Line($"{Span} gradWeight = new {Span}(_gradients, Weight{index}, {layer.WeightCount});");
            writer.Line($"{Span} gradBias = new {Span}(_gradients, Bias{index}, {outFeatures});");
            writer.Open("for (int b = 0; b < batch; b++)");
            writer.Line($"{ReadOnlySpan} xb = x.Slice(b * {inFeatures}, {inFeatures});");
            writer.Line($"{ReadOnlySpan} dyb = dy.Slice(b * {outFeatures}, {outFeatures});");
            writer.Line($"float {xs};");
            writer.Line($"float {string.Join(", ", Enumerable.Range(0, outFeatures).Select(o => $"dy{o} = dyb[{o}]"))};");
            writer.Line("// dLoss/dbias");
            writer.Line(string.Join(" ", Enumerable.Range(0, outFeatures).Select(o => $"gradBias[{o}] += dy{o};")));
            writer.Line("// dLoss/dweight, one row of the weight per line");
            for (int o = 0; o < outFeatures; o++)
            {
                writer.Line(string.Join(" ", Enumerable.Range(0, inFeatures).Select(i => $"gradWeight[{o * inFeatures + i}] += dy{o} * x{i};")));
            }
            if (layer.NeedsInputGradient)
            {
                writer.Line("// dLoss/dx, one input per line");
                writer.Line($"{Span} dxb = dx.Slice(b * {inFeatures}, {inFeatures});");
                for (int i = 0; i < inFeatures; i++)
                {
                    string terms = string.Join(" + ", Enumerable.Range(0, outFeatures).Select(o => $"dy{o} * weight[{o * inFeatures + i}]"));
                    writer.Line($"dxb[{i}] = {terms};");
                }
            }
            writer.Close();
            writer.Close();
            writer.Line();
        }

        /// <summary>The layer's products run in the tiled SIMD kernels emitted for its shape, split over threads when it pays.</summary>
        private static void EmitVectorizedLinear(SourceWriter writer, NetworkSpec network, LayerSpec layer)
        {
            int inFeatures = layer.InFeatures, outFeatures = layer.OutFeatures, index = layer.Index;
            string shape = $"{inFeatures}x{outFeatures}";
            string name = MethodName(layer);

            EmitLinearForwardHeader(writer, layer, $"tiled SIMD kernels of shape {inFeatures} → {outFeatures} ({layer.WeightCount} weights), rows [rowStart, rowEnd)", "int rowStart, int rowEnd");
            writer.Line($"ref float parameters = ref {MemoryMarshal}.GetArrayDataReference(_parameters);");
            writer.Line($"ref float xr = ref {MemoryMarshal}.GetReference(x);");
            writer.Line($"ref float yr = ref {MemoryMarshal}.GetReference(y);");
            writer.Line($"ref float weight = ref {Unsafe}.Add(ref parameters, Weight{index});");
            writer.Line($"ref float bias = ref {Unsafe}.Add(ref parameters, Bias{index});");
            EmitWidthDispatch(writer, t => $"Forward{shape}{t.Suffix}(ref xr, ref weight, ref bias, ref yr, rowStart, rowEnd);");
            writer.Close();
            writer.Line();

            writer.Line("// The whole batch, split by rows over threads when the product is large enough.");
            writer.Open($"private void {name}ForwardBatch(int batch)");
            writer.Line($"int parts = PartsFor((long)batch * {inFeatures} * {outFeatures});");
            writer.Open("if (parts == 1)");
            writer.Line($"{name}Forward({LayerInput(layer)}, new {Span}(_a{index}, 0, batch * {outFeatures}), 0, batch);");
            writer.Line("return;");
            writer.Close();
            writer.Line("_rows = batch;");
            writer.Line($"{Parallelism}.Run(this, Work{name}Forward, parts);");
            writer.Close();
            writer.Line();

            EmitLinearBackwardHeader(writer, layer, "batch");
            writer.Line($"{ReadOnlySpan} x = {LayerInput(layer)};");
            writer.Line($"{ReadOnlySpan} dy = {LayerOutputGradient(network, layer)};");
            writer.Line($"{Span} gradBias = new {Span}(_gradients, Bias{index}, {outFeatures});");
            writer.Line("// dLoss/dbias += Σ_b dy[b, :] (small: one thread)");
            writer.Open("for (int b = 0; b < batch; b++)");
            writer.Line($"{TensorPrimitives}.Add(gradBias, dy.Slice(b * {outFeatures}, {outFeatures}), gradBias);");
            writer.Close();
            writer.Line($"int parts = PartsFor((long)batch * {inFeatures} * {outFeatures});");
            writer.Open("if (parts == 1)");
            writer.Line($"{name}WeightGradient(x, dy, batch, 0, {outFeatures});");
            if (layer.NeedsInputGradient)
            {
                writer.Line($"{name}InputGradient(dy, new {Span}(_d{index - 1}, 0, batch * {inFeatures}), 0, batch);");
            }
            writer.Line("return;");
            writer.Close();
            writer.Line("_rows = batch;");
            writer.Line($"{Parallelism}.Run(this, Work{name}WeightGradient, parts);");
            if (layer.NeedsInputGradient)
            {
                writer.Line($"{Parallelism}.Run(this, Work{name}InputGradient, parts);");
            }
            writer.Close();
            writer.Line();

            writer.Line($"// dLoss/dweight[o, :] += Σ_b dy[b, o] · x[b, :] for weight rows [rowStart, rowEnd)");
            writer.Open($"private void {name}WeightGradient({ReadOnlySpan} x, {ReadOnlySpan} dy, int batch, int rowStart, int rowEnd)");
            writer.Line($"ref float xr = ref {MemoryMarshal}.GetReference(x);");
            writer.Line($"ref float dyr = ref {MemoryMarshal}.GetReference(dy);");
            writer.Line($"ref float gradWeight = ref {Unsafe}.Add(ref {MemoryMarshal}.GetArrayDataReference(_gradients), Weight{index});");
            EmitWidthDispatch(writer, t => $"WeightGradient{shape}{t.Suffix}(ref dyr, ref xr, ref gradWeight, batch, rowStart, rowEnd);");
            writer.Close();
            writer.Line();

            if (layer.NeedsInputGradient)
            {
                writer.Line($"// dLoss/dx[b, :] = Σ_o dy[b, o] · weight[o, :] for rows [rowStart, rowEnd)");
                writer.Open($"private void {name}InputGradient({ReadOnlySpan} dy, {Span} dx, int rowStart, int rowEnd)");
                writer.Line($"ref float dyr = ref {MemoryMarshal}.GetReference(dy);");
                writer.Line($"ref float dxr = ref {MemoryMarshal}.GetReference(dx);");
                writer.Line($"ref float weight = ref {Unsafe}.Add(ref {MemoryMarshal}.GetArrayDataReference(_parameters), Weight{index});");
                EmitWidthDispatch(writer, t => $"InputGradient{shape}{t.Suffix}(ref dyr, ref weight, ref dxr, rowStart, rowEnd);");
                writer.Close();
                writer.Line();
            }
        }

        /// <summary>The kept input of a layer in the batch buffers, for <c>batch</c> rows.</summary>
        private static string LayerInput(LayerSpec layer) => layer.Index == 0
            ? $"new {ReadOnlySpan}(_input, 0, batch * {layer.InFeatures})"
            : $"new {ReadOnlySpan}(_a{layer.Index - 1}, 0, batch * {layer.InFeatures})";

        /// <summary>dLoss/dOutput of a layer in the batch buffers, for <c>batch</c> rows.</summary>
        private static string LayerOutputGradient(NetworkSpec network, LayerSpec layer) => layer.Index == network.Layers.Count - 1
            ? $"new {ReadOnlySpan}(_outputGradient, 0, batch * {layer.OutFeatures})"
            : $"new {ReadOnlySpan}(_d{layer.Index}, 0, batch * {layer.OutFeatures})";

        /// <summary>
        /// The parts that <see cref="global::CompiledNets.Parallelism"/> runs: each tiled layer's forward and
        /// input gradient split by batch rows, its weight gradient split by weight rows.
        /// </summary>
        private static void EmitParallelWork(SourceWriter writer, NetworkSpec network)
        {
            var tiled = network.Layers.Where(IsTiled).ToArray();
            if (tiled.Length == 0)
            {
                writer.Line("// Every layer here is small and unrolled: no product is worth splitting over threads.");
                writer.Line($"void {ParallelWork}.RunPart(int work, int part, int parts) {{ }}");
                writer.Line();
                return;
            }
            writer.Line("// Work items of the parallel parts, one per tiled product.");
            int id = 0;
            foreach (LayerSpec layer in tiled)
            {
                writer.Line($"private const int Work{MethodName(layer)}Forward = {id++};");
                writer.Line($"private const int Work{MethodName(layer)}WeightGradient = {id++};");
                if (layer.NeedsInputGradient)
                {
                    writer.Line($"private const int Work{MethodName(layer)}InputGradient = {id++};");
                }
            }
            writer.Line();
            writer.Line($"// Threads to use for a product of this many multiply-adds: one more per {Tiling.MinimumWorkPerThread} of them.");
            writer.Line($"private int PartsFor(long multiplyAdds) => (int)global::System.Math.Clamp(multiplyAdds / {Tiling.MinimumWorkPerThread}, 1, _threadCount);");
            writer.Line();
            writer.Line("// Runs part `part` of `parts` of a tiled product on the batch of `_rows` rows. Parts own disjoint output");
            writer.Line("// rows, so every float is computed by one thread in the same order as with one thread.");
            writer.Open($"void {ParallelWork}.RunPart(int work, int part, int parts)");
            writer.Line("int batch = _rows;");
            writer.Open("switch (work)");
            foreach (LayerSpec layer in tiled)
            {
                string name = MethodName(layer);
                writer.Line($"case Work{name}Forward:");
                writer.Line($"    {name}Forward({LayerInput(layer)}, new {Span}(_a{layer.Index}, 0, batch * {layer.OutFeatures}), {Parallelism}.PartStart(batch, part, parts, 4), {Parallelism}.PartStart(batch, part + 1, parts, 4));");
                writer.Line("    break;");
                writer.Line($"case Work{name}WeightGradient:");
                writer.Line($"    {name}WeightGradient({LayerInput(layer)}, {LayerOutputGradient(network, layer)}, batch, {Parallelism}.PartStart({layer.OutFeatures}, part, parts, 4), {Parallelism}.PartStart({layer.OutFeatures}, part + 1, parts, 4));");
                writer.Line("    break;");
                if (layer.NeedsInputGradient)
                {
                    writer.Line($"case Work{name}InputGradient:");
                    writer.Line($"    {name}InputGradient({LayerOutputGradient(network, layer)}, new {Span}(_d{layer.Index - 1}, 0, batch * {layer.InFeatures}), {Parallelism}.PartStart(batch, part, parts, 4), {Parallelism}.PartStart(batch, part + 1, parts, 4));");
                    writer.Line("    break;");
                }
            }
            writer.Close();
            writer.Close();
            writer.Line();
        }

        /// <summary>Elementwise layers: forward through TensorPrimitives, backward from the kept activations.</summary>
        private static void EmitActivation(SourceWriter writer, LayerSpec layer)
        {
            string name = MethodName(layer);
            string shape = $"[B, {layer.InFeatures}]";
            string slope = Parser.FormatFloat(layer.NegativeSlope) + "f";
            switch (layer.Kind)
            {
                case LayerKind.ReLU:
                    writer.Line($"// Forward: x {shape} → y {shape},  y = max(0, x)");
                    writer.Line($"private static void {name}Forward({ReadOnlySpan} x, {Span} y) => {TensorPrimitives}.Max(x, 0f, y);");
                    writer.Line();
                    writer.Line($"// Backward: dLoss/dx = dy · (y > 0), read from the kept output y {shape}");
                    writer.Open($"private static void {name}Backward({ReadOnlySpan} y, {ReadOnlySpan} dy, {Span} dx)");
                    writer.Open("for (int i = 0; i < dy.Length; i++)");
                    writer.Line("dx[i] = y[i] > 0f ? dy[i] : 0f;");
                    writer.Close();
                    writer.Close();
                    break;
                case LayerKind.LeakyReLU:
                    writer.Line($"// Forward: x {shape} → y {shape},  y = x if x > 0 else {Parser.FormatFloat(layer.NegativeSlope)} · x");
                    writer.Open($"private static void {name}Forward({ReadOnlySpan} x, {Span} y)");
                    writer.Open("for (int i = 0; i < x.Length; i++)");
                    writer.Line($"y[i] = x[i] > 0f ? x[i] : x[i] * {slope};");
                    writer.Close();
                    writer.Close();
                    writer.Line();
                    writer.Line($"// Backward: dLoss/dx = dy if x > 0 else {Parser.FormatFloat(layer.NegativeSlope)} · dy, read from the kept input x {shape}");
                    writer.Open($"private static void {name}Backward({ReadOnlySpan} x, {ReadOnlySpan} dy, {Span} dx)");
                    writer.Open("for (int i = 0; i < dy.Length; i++)");
                    writer.Line($"dx[i] = x[i] > 0f ? dy[i] : dy[i] * {slope};");
                    writer.Close();
                    writer.Close();
                    break;
                case LayerKind.Sigmoid:
                    writer.Line($"// Forward: x {shape} → y {shape},  y = 1 / (1 + e^(−x))");
                    writer.Line($"private static void {name}Forward({ReadOnlySpan} x, {Span} y) => {TensorPrimitives}.Sigmoid(x, y);");
                    writer.Line();
                    writer.Line($"// Backward: dLoss/dx = dy · y · (1 − y), from the kept output y {shape}");
                    writer.Open($"private static void {name}Backward({ReadOnlySpan} y, {ReadOnlySpan} dy, {Span} dx)");
                    writer.Line($"{TensorPrimitives}.Subtract(1f, y, dx);");
                    writer.Line($"{TensorPrimitives}.Multiply(dx, y, dx);");
                    writer.Line($"{TensorPrimitives}.Multiply(dx, dy, dx);");
                    writer.Close();
                    break;
                default:
                    writer.Line($"// Forward: x {shape} → y {shape},  y = tanh(x)");
                    writer.Line($"private static void {name}Forward({ReadOnlySpan} x, {Span} y) => {TensorPrimitives}.Tanh(x, y);");
                    writer.Line();
                    writer.Line($"// Backward: dLoss/dx = dy · (1 − y²), from the kept output y {shape}");
                    writer.Open($"private static void {name}Backward({ReadOnlySpan} y, {ReadOnlySpan} dy, {Span} dx)");
                    writer.Line($"{TensorPrimitives}.Multiply(y, y, dx);");
                    writer.Line($"{TensorPrimitives}.Subtract(1f, dx, dx);");
                    writer.Line($"{TensorPrimitives}.Multiply(dx, dy, dx);");
                    writer.Close();
                    break;
            }
            writer.Line();
        }
    }
}
