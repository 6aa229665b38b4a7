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
                    EmitVectorizedLinear(writer, layer);
                    break;
                default:
                    EmitActivation(writer, layer);
                    break;
            }
        }

        private static void EmitLinearForwardHeader(SourceWriter writer, LayerSpec layer, string how)
        {
            int i = layer.InFeatures, o = layer.OutFeatures;
            writer.Line($"// Forward, {how}:");
            writer.Line($"//   x [B, {i}] → y [B, {o}],  weight [{o}, {i}],  bias [{o}]");
            writer.Line("//   y[b, o] = bias[o] + Σ_i weight[o, i] · x[b, i]");
            writer.Open($"private void {MethodName(layer)}Forward({ReadOnlySpan} x, {Span} y, int batch)");
        }

        private static void EmitLinearBackwardHeader(SourceWriter writer, LayerSpec layer)
        {
            int i = layer.InFeatures, o = layer.OutFeatures;
            writer.Line($"// Backward: given dy = dLoss/dy [B, {o}] and the forward input x [B, {i}],");
            writer.Line("//   dLoss/dweight[o, i] += Σ_b dy[b, o] · x[b, i]");
            writer.Line("//   dLoss/dbias[o]      += Σ_b dy[b, o]");
            if (layer.NeedsInputGradient)
            {
                writer.Line("//   dLoss/dx[b, i]       = Σ_o dy[b, o] · weight[o, i]");
                writer.Open($"private void {MethodName(layer)}Backward({ReadOnlySpan} x, {ReadOnlySpan} dy, {Span} dx, int batch)");
            }
            else
            {
                writer.Line("//   (the first layer needs no dLoss/dx: nothing before it learns)");
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

        /// <summary>The layer's products run in the tiled SIMD kernels emitted for its shape.</summary>
        private static void EmitVectorizedLinear(SourceWriter writer, LayerSpec layer)
        {
            int inFeatures = layer.InFeatures, outFeatures = layer.OutFeatures, index = layer.Index;
            string shape = $"{inFeatures}x{outFeatures}";

            EmitLinearForwardHeader(writer, layer, $"tiled SIMD kernels of shape {inFeatures} → {outFeatures} ({layer.WeightCount} weights)");
            writer.Line($"ref float parameters = ref {MemoryMarshal}.GetArrayDataReference(_parameters);");
            writer.Line($"ref float xr = ref {MemoryMarshal}.GetReference(x);");
            writer.Line($"ref float yr = ref {MemoryMarshal}.GetReference(y);");
            writer.Line($"ref float weight = ref {Unsafe}.Add(ref parameters, Weight{index});");
            writer.Line($"ref float bias = ref {Unsafe}.Add(ref parameters, Bias{index});");
            EmitWidthDispatch(writer, t => $"Forward{shape}{t.Suffix}(ref xr, ref weight, ref bias, ref yr, 0, batch);");
            writer.Close();
            writer.Line();

            EmitLinearBackwardHeader(writer, layer);
            writer.Line($"ref float xr = ref {MemoryMarshal}.GetReference(x);");
            writer.Line($"ref float dyr = ref {MemoryMarshal}.GetReference(dy);");
            writer.Line($"ref float gradWeight = ref {Unsafe}.Add(ref {MemoryMarshal}.GetArrayDataReference(_gradients), Weight{index});");
            writer.Line($"{Span} gradBias = new {Span}(_gradients, Bias{index}, {outFeatures});");
            writer.Line("// dLoss/dbias += Σ_b dy[b, :]");
            writer.Open("for (int b = 0; b < batch; b++)");
            writer.Line($"{TensorPrimitives}.Add(gradBias, dy.Slice(b * {outFeatures}, {outFeatures}), gradBias);");
            writer.Close();
            writer.Line("// dLoss/dweight += dyᵀ · x");
            EmitWidthDispatch(writer, t => $"WeightGradient{shape}{t.Suffix}(ref dyr, ref xr, ref gradWeight, batch, 0, {outFeatures});");
            if (layer.NeedsInputGradient)
            {
                writer.Line("// dLoss/dx = dy · weight");
                writer.Line($"ref float weight = ref {Unsafe}.Add(ref {MemoryMarshal}.GetArrayDataReference(_parameters), Weight{index});");
                writer.Line($"ref float dxr = ref {MemoryMarshal}.GetReference(dx);");
                EmitWidthDispatch(writer, t => $"InputGradient{shape}{t.Suffix}(ref dyr, ref weight, ref dxr, 0, batch);");
            }
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
