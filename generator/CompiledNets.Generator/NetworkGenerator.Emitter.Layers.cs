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

        /// <summary>LeakyReLU's backward reads its kept input; the others read their kept output.</summary>
        private static string ActivationBackwardCall(LayerSpec layer, string input, string output, string outputGradient, string inputGradient) => layer.Kind switch
        {
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
                    // One sample runs this layer unrolled only when a large layer keeps the network off the
                    // all-registers path of Forward(input, output).
                    if (network.Layers.Any(l => l.Kind == LayerKind.Linear && l.Strategy == LinearStrategy.Vectorized))
                    {
                        EmitUnrolledForward(writer, layer);
                    }
                    EmitTransposedForward(writer, layer);
                    EmitTiledBackward(writer, network, layer);
                    break;
                case LayerKind.Linear:
                    EmitTiledForward(writer, layer);
                    EmitTiledBackward(writer, network, layer);
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

        private static void EmitLinearBackwardHeader(SourceWriter writer, LayerSpec layer)
        {
            int i = layer.InFeatures, o = layer.OutFeatures;
            writer.Line($"// Backward: given dy = dLoss/dy [B, {o}] and the forward input x [B, {i}],");
            writer.Line("//   dLoss/dweight[o, i] += Σ_b dy[b, o] · x[b, i]");
            writer.Line("//   dLoss/dbias[o]      += Σ_b dy[b, o]");
            writer.Line(layer.NeedsInputGradient
                ? "//   dLoss/dx[b, i]       = Σ_o dy[b, o] · weight[o, i]"
                : "//   (the first layer needs no dLoss/dx: nothing before it learns)");
            writer.Line("// x and dy are the kept batch buffers; the products run in parallel parts when they are large.");
            writer.Open($"private void {MethodName(layer)}BackwardBatch(int batch)");
        }

        /// <summary>Every multiply written out, row by row: one-sample inference in networks that also have large layers.</summary>
        private static void EmitUnrolledForward(SourceWriter writer, LayerSpec layer)
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
        }

        /// <summary>A large layer's forward: tiles of rows × outputs reduced along the inputs, split over threads when it pays.</summary>
        private static void EmitTiledForward(SourceWriter writer, LayerSpec layer)
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
        }

        /// <summary>
        /// A small layer's batched forward: transpose the weight (a few hundred floats), then tiles of rows ×
        /// output vectors, one broadcast input per step, starting from the bias.
        /// </summary>
        private static void EmitTransposedForward(SourceWriter writer, LayerSpec layer)
        {
            int inFeatures = layer.InFeatures, outFeatures = layer.OutFeatures, index = layer.Index;
            string shape = $"{inFeatures}x{outFeatures}";
            string name = MethodName(layer);
            writer.Line($"// Batched forward: y = bias + x · weightᵀ with weightᵀ [{inFeatures}, {outFeatures}] copied from the weight first, so each");
            writer.Line("// step broadcasts one input and multiplies a whole vector of outputs.");
            writer.Open($"private void {name}ForwardBatch(int batch)");
            writer.Line($"ref float weight = ref {Unsafe}.Add(ref {MemoryMarshal}.GetArrayDataReference(_parameters), Weight{index});");
            writer.Line($"ref float weightT = ref {MemoryMarshal}.GetArrayDataReference(_weightT{index});");
            writer.Line("// weightT[i, o] = weight[o, i], unrolled: one line per input row of weightT.");
            for (int i = 0; i < inFeatures; i++)
            {
                writer.Line(string.Join(" ", Enumerable.Range(0, outFeatures).Select(o =>
                    $"{Unsafe}.Add(ref weightT, {i * outFeatures + o}) = {Unsafe}.Add(ref weight, {o * inFeatures + i});")));
            }
            writer.Line($"int parts = PartsFor((long)batch * {inFeatures} * {outFeatures});");
            writer.Open("if (parts == 1)");
            writer.Line($"{name}ForwardTransposed({LayerInput(layer)}, new {Span}(_a{index}, 0, batch * {outFeatures}), 0, batch);");
            writer.Line("return;");
            writer.Close();
            writer.Line("_rows = batch;");
            writer.Line($"{Parallelism}.Run(this, Work{name}Forward, parts);");
            writer.Close();
            writer.Line();

            writer.Line("// Rows [rowStart, rowEnd) of y = bias + x · weightᵀ, from the transposed weight.");
            writer.Open($"private void {name}ForwardTransposed({ReadOnlySpan} x, {Span} y, int rowStart, int rowEnd)");
            writer.Line($"ref float xr = ref {MemoryMarshal}.GetReference(x);");
            writer.Line($"ref float yr = ref {MemoryMarshal}.GetReference(y);");
            writer.Line($"ref float weightT = ref {MemoryMarshal}.GetArrayDataReference(_weightT{index});");
            writer.Line($"ref float bias = ref {Unsafe}.Add(ref {MemoryMarshal}.GetArrayDataReference(_parameters), Bias{index});");
            EmitWidthDispatch(writer, t => $"ForwardT{shape}{t.Suffix}(ref xr, ref weightT, ref bias, ref yr, rowStart, rowEnd);");
            writer.Close();
            writer.Line();
        }

        /// <summary>Every Linear layer's backward: bias by rows, weight and input gradients in tiles, split over threads when it pays.</summary>
        private static void EmitTiledBackward(SourceWriter writer, NetworkSpec network, LayerSpec layer)
        {
            int inFeatures = layer.InFeatures, outFeatures = layer.OutFeatures, index = layer.Index;
            string shape = $"{inFeatures}x{outFeatures}";
            string name = MethodName(layer);

            EmitLinearBackwardHeader(writer, layer);
            writer.Line($"{ReadOnlySpan} x = {LayerInput(layer)};");
            writer.Line($"{ReadOnlySpan} dy = {LayerOutputGradient(network, layer)};");
            writer.Line("// dLoss/dbias += Σ_b dy[b, :] (small: one thread)");
            writer.Line($"ref float dyr = ref {MemoryMarshal}.GetReference(dy);");
            writer.Line($"ref float gradBias = ref {Unsafe}.Add(ref {MemoryMarshal}.GetArrayDataReference(_gradients), Bias{index});");
            EmitWidthDispatch(writer, t => $"BiasGradient{shape}{t.Suffix}(ref dyr, ref gradBias, batch);");
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
                writer.Line($"    {name}{(IsSmall(layer) ? "ForwardTransposed" : "Forward")}({LayerInput(layer)}, new {Span}(_a{layer.Index}, 0, batch * {layer.OutFeatures}), {Parallelism}.PartStart(batch, part, parts, 4), {Parallelism}.PartStart(batch, part + 1, parts, 4));");
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

        /// <summary>
        /// An elementwise loop over whole vectors of the widest accelerated type, then a scalar tail.
        /// <paramref name="vector"/> and <paramref name="scalar"/> compute one result from the current
        /// elements, named after the spans with an <c>i</c> suffix (<c>yi</c>, <c>dyi</c>).
        /// </summary>
        private static void EmitElementwise(SourceWriter writer, string method, string first, string? second, string result, System.Func<Tiling, string> vector, string scalar)
        {
            string parameters = second is null
                ? $"{ReadOnlySpan} {first}, {Span} {result}"
                : $"{ReadOnlySpan} {first}, {ReadOnlySpan} {second}, {Span} {result}";
            writer.Open($"private static void {method}({parameters})");
            writer.Line($"ref float {first}0 = ref {MemoryMarshal}.GetReference({first});");
            if (second is not null)
            {
                writer.Line($"ref float {second}0 = ref {MemoryMarshal}.GetReference({second});");
            }
            writer.Line($"ref float {result}0 = ref {MemoryMarshal}.GetReference({result});");
            writer.Line($"int n = {result}.Length, i = 0;");
            string keyword = "if";
            foreach (Tiling t in Tiling.All.Where(t => !t.IsScalar))
            {
                writer.Open($"{keyword} ({t.VectorType}.IsHardwareAccelerated)");
                writer.Open($"for (; i <= n - {t.Lanes}; i += {t.Lanes})");
                writer.Line($"{Vec(t)} {first}i = {Load(t, first + "0", "i")};");
                if (second is not null)
                {
                    writer.Line($"{Vec(t)} {second}i = {Load(t, second + "0", "i")};");
                }
                writer.Line(Store(t, vector(t), result + "0", "i"));
                writer.Close();
                writer.Close();
                keyword = "else if";
            }
            writer.Open("for (; i < n; i++)");
            writer.Line($"float {first}i = {Unsafe}.Add(ref {first}0, i);");
            if (second is not null)
            {
                writer.Line($"float {second}i = {Unsafe}.Add(ref {second}0, i);");
            }
            writer.Line($"{Unsafe}.Add(ref {result}0, i) = {scalar};");
            writer.Close();
            writer.Close();
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
                    EmitElementwise(writer, $"{name}Backward", "y", "dy", "dx",
                        t => $"{t.VectorType}.ConditionalSelect({t.VectorType}.GreaterThan(yi, {Zero(t)}), dyi, {Zero(t)})",
                        "yi > 0f ? dyi : 0f");
                    break;
                case LayerKind.LeakyReLU:
                    writer.Line($"// Forward: x {shape} → y {shape},  y = x if x > 0 else {Parser.FormatFloat(layer.NegativeSlope)} · x");
                    EmitElementwise(writer, $"{name}Forward", "x", null, "y",
                        t => $"{t.VectorType}.ConditionalSelect({t.VectorType}.GreaterThan(xi, {Zero(t)}), xi, xi * {slope})",
                        $"xi > 0f ? xi : xi * {slope}");
                    writer.Line();
                    writer.Line($"// Backward: dLoss/dx = dy if x > 0 else {Parser.FormatFloat(layer.NegativeSlope)} · dy, read from the kept input x {shape}");
                    EmitElementwise(writer, $"{name}Backward", "x", "dy", "dx",
                        t => $"{t.VectorType}.ConditionalSelect({t.VectorType}.GreaterThan(xi, {Zero(t)}), dyi, dyi * {slope})",
                        $"xi > 0f ? dyi : dyi * {slope}");
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
