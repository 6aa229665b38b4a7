using System.Linq;
using CompiledNets.Generator.Model;

namespace CompiledNets.Generator;

public sealed partial class NetworkGenerator
{
    internal static partial class Emitter
    {
        /// <summary>
        /// The implementation: <c>Network</c> (sizes, parameter tensors, initialization; the entry points and the threading
        /// contract come from the runtime's <c>NetworkBase</c>), <c>Workspace</c> (the buffers of one pass) and
        /// <c>Workspace&lt;V&gt;</c> (the layers).
        /// </summary>
        private static void EmitNetworkClasses(SourceWriter writer, NetworkSpec network)
        {
            LayerEmitter[] layers = network.Layers.Select(For).ToArray();
            string user = "global::" + (network.Namespace is null ? "" : network.Namespace + ".") + string.Join(".", network.ContainingTypes.Select(c => c.Name).Concat(new[] { network.ClassName }));
            writer.Line("/// <summary>");
            writer.Line($"/// The sizes, parameter tensors and initialization of <see cref=\"{user}\"/>.");
            writer.Line("/// Its entry points, their checks and the threading contract are NetworkBase's; each pass runs in a");
            writer.Line("/// <see cref=\"Workspace\"/>, the layers in <see cref=\"Workspace{V}\"/>.");
            writer.Line("/// </summary>");
            writer.Line($"[GeneratedCode(\"CompiledNets.Generator\", \"{Version}\")]");
            writer.Open("internal sealed class Network : NetworkBase<Workspace>");
            EmitConstants(writer, network, layers);
            EmitConstructor(writer, network);
            writer.Close();
            writer.Line();

            writer.Line("/// <summary>");
            writer.Line($"/// The buffers one batched pass of <see cref=\"{user}\"/> works in.");
            writer.Line("/// The network trains in a workspace of its own and infers in one per thread. They grow to the largest batch");
            writer.Line("/// seen, in whole tiles of RowTile rows, each with Padding spare floats.");
            writer.Line("/// </summary>");
            writer.Line($"[GeneratedCode(\"CompiledNets.Generator\", \"{Version}\")]");
            writer.Open("internal abstract class Workspace : WorkspaceBase");
            EmitBuffers(writer, network);
            EmitRegisterInference(writer, network, layers);
            writer.Close();
            writer.Line();

            writer.Line("/// <summary>");
            writer.Line($"/// The layers of <see cref=\"{user}\"/>, each layer's forward directly above its backward,");
            writer.Line("/// for one vector type V (Simd512, Simd256, Simd128 or SimdScalar, whichever the machine accelerates).");
            writer.Line("/// The products they call are in <see cref=\"Kernels{V}\"/>.");
            writer.Line("/// </summary>");
            writer.Line($"[GeneratedCode(\"CompiledNets.Generator\", \"{Version}\")]");
            writer.OpenGeneric("internal sealed class Workspace<V> : Workspace");
            EmitLayerOrder(writer, network, layers);
            foreach (LayerEmitter layer in layers)
            {
                layer.EmitMethods(writer);
            }
            EmitParallelWork(writer, layers);
            writer.Close();
        }

        private static void EmitConstants(SourceWriter writer, NetworkSpec network, LayerEmitter[] layers)
        {
            writer.Line($"public const int InputSize = {network.InputSize};");
            writer.Line($"public const int OutputSize = {network.OutputSize};");
            writer.Line($"public const int ParameterCount = {network.ParameterCount};");
            writer.Line();
            writer.Line("public static IReadOnlyList<ParameterTensor> NamedParameters { get; } = new ParameterTensor[]");
            writer.Line("{");
            writer.Indent();
            foreach (ParameterSpec parameter in network.Parameters)
            {
                writer.Line($"new(\"{parameter.Name}\", Workspace.{parameter.Constant}, {string.Join(", ", parameter.Shape)}),");
            }
            writer.Close(";");
            writer.Line();
            if (network.Statistics.Count == 0)
            {
                writer.Line("// No batch normalization: no buffers.");
                writer.Line("public static IReadOnlyList<BufferTensor> NamedBuffers { get; } = Array.Empty<BufferTensor>();");
            }
            else
            {
                writer.Line("// The buffers: saved with the parameters, not trained (floats in Buffers, int64 in IntegerBuffers).");
                writer.Line("public static IReadOnlyList<BufferTensor> NamedBuffers { get; } = new BufferTensor[]");
                writer.Line("{");
                writer.Indent();
                foreach (StatisticSpec statistic in network.Statistics)
                {
                    string dtype = statistic.IsInteger ? "BufferDtype.Int64" : "BufferDtype.Float32";
                    string shape = statistic.Shape.Count == 0 ? "" : ", " + string.Join(", ", statistic.Shape);
                    writer.Line($"new(\"{statistic.Name}\", Workspace.{statistic.Constant}, {dtype}{shape}),");
                }
                writer.Close(";");
            }
            writer.Line();
            writer.Line("public static IReadOnlyList<LayerInfo> Layers { get; } = new LayerInfo[]");
            writer.Line("{");
            writer.Indent();
            foreach (LayerEmitter layer in layers)
            {
                writer.Line(layer.LayerInfo + ",");
            }
            writer.Close(";");
            writer.Line();
        }

        /// <summary>PyTorch's default initialization, in state_dict order, from one seeded generator.</summary>
        private static void EmitConstructor(SourceWriter writer, NetworkSpec network)
        {
            writer.Line("public Network(int seed)");
            writer.Line("    : base(InputSize, OutputSize, ParameterCount)");
            writer.Line("{");
            writer.Indent();
            bool constants = network.Parameters.Any(p => p.Fill is not null);
            writer.Line(constants
                ? "// PyTorch's default initialization: weights and biases uniform in ±1/√fan_in, drawn in state_dict order; a batch norm's weight 1 and bias 0."
                : "// PyTorch's default initialization: every tensor uniform in ±1/√fan_in, drawn in state_dict order.");
            writer.Line("var rng = new Rng(seed);");
            writer.Line("Span<float> parameters = ParameterBuffer;");
            if (network.HasDropout)
            {
                writer.Line("// The dropout masks: a generator of its own, seeded by the same seed.");
                writer.Line("UseDropout(seed);");
            }
            foreach (ParameterSpec parameter in network.Parameters)
            {
                writer.Line(parameter.Fill is { } fill
                    ? $"parameters.Slice(Workspace.{parameter.Constant}, {parameter.Count}).Fill({fill}); // \"{parameter.Name}\""
                    : $"rng.FillUniform(parameters.Slice(Workspace.{parameter.Constant}, {parameter.Count}), -Bound({parameter.FanIn}), Bound({parameter.FanIn})); // \"{parameter.Name}\"");
            }
            if (network.Statistics.Count > 0)
            {
                writer.Line($"// The running statistics: means 0, variances 1, no batch tracked; a training batch needs more than 1 value per channel.");
                writer.Line($"UseBatchNorm({network.StatisticFloats}, {network.StatisticIntegers}, valuesPerChannel: {network.ValuesPerChannel});");
                foreach (StatisticSpec statistic in network.Statistics.Where(s => !s.IsInteger && s.Initial != 0))
                {
                    writer.Line($"Buffers.Slice(Workspace.{statistic.Constant}, {statistic.Count}).Fill({statistic.Initial}f); // \"{statistic.Name}\"");
                }
            }
            writer.Close();
            writer.Line();
            writer.Line("private static float Bound(int fanIn) => 1f / MathF.Sqrt(fanIn);");
            writer.Line();
            writer.Line("// One copy of the layers' code runs: the one for the widest vectors the machine accelerates.");
            writer.Line("protected override Workspace CreateWorkspace() => SimdWidth.Widest switch");
            writer.Line("{");
            writer.Indent();
            foreach ((string type, int lanes) in VectorWidths.All)
            {
                writer.Line(lanes > 1 ? $"{lanes} => new Workspace<{type}>()," : $"_ => new Workspace<{type}>(),");
            }
            writer.Close(";");
        }

        /// <summary>A network of small layers runs one sample in local variables: nothing shared, nothing allocated, any thread.</summary>
        private static void EmitRegisterInference(SourceWriter writer, NetworkSpec network, LayerEmitter[] layers)
        {
            if (!network.OneSampleInRegisters)
            {
                return;
            }
            writer.Line();
            writer.Line("// One sample. Every layer is small: the whole network runs in local variables, weights read at constant offsets.");
            EmitOptimized(writer);
            writer.Open("public override void ForwardSample(float[] parameters, float[] buffers, ReadOnlySpan<float> input, Span<float> output)");
            writer.Line("ref float p = ref MemoryMarshal.GetArrayDataReference(parameters);");
            writer.Line("ref float x = ref MemoryMarshal.GetReference(input);");
            writer.Line("ref float y = ref MemoryMarshal.GetReference(output);");
            string[] values = Enumerable.Range(0, network.InputSize).Select(i => $"x{i}").ToArray();
            for (int i = 0; i < network.InputSize; i++)
            {
                writer.Line($"float x{i} = Unsafe.Add(ref x, {i});");
            }
            foreach (LayerEmitter layer in layers)
            {
                writer.Line(layer.OneSampleComment);
                values = layer.EmitOneSampleInRegisters(writer, values, last: layer.Layer.Index == network.Layers.Count - 1);
            }
            writer.Close();
        }

        /// <summary>The buffer fields, their allocation, and where a pass's inputs, outputs and output gradient live.</summary>
        private static void EmitBuffers(SourceWriter writer, NetworkSpec network)
        {
            LayerSpec first = network.Layers[0], last = network.Layers[network.Layers.Count - 1];
            writer.Line("// Where each parameter tensor starts in the flat buffers (state_dict order).");
            foreach (ParameterSpec parameter in network.Parameters)
            {
                writer.Line($"public const int {parameter.Constant} = {parameter.Offset}; // \"{parameter.Name}\" [{string.Join(", ", parameter.Shape)}]");
            }
            writer.Line();
            if (network.Statistics.Count > 0)
            {
                writer.Line("// Where each buffer starts: running statistics in the float buffers, num_batches_tracked in the int64 ones.");
                foreach (StatisticSpec statistic in network.Statistics)
                {
                    writer.Line($"public const int {statistic.Constant} = {statistic.Offset}; // \"{statistic.Name}\" {(statistic.IsInteger ? "int64 []" : $"[{string.Join(", ", statistic.Shape)}]")}");
                }
                writer.Line();
            }
            foreach (BufferSpec buffer in network.Buffers)
            {
                writer.Line(buffer.IsBatch
                    ? $"protected float[] {buffer.Field} = new float[0]; // {buffer.Comment}"
                    : $"protected readonly float[] {buffer.Field} = new float[{buffer.FixedFloats} + Padding]; // {buffer.Comment}");
            }
            writer.Line();
            writer.Line($"protected override int WidestRow => {network.WidestRow};");
            writer.Line();
            writer.Open("protected override void Allocate(int rows)");
            foreach (BufferSpec buffer in network.Buffers.Where(b => b.IsBatch))
            {
                writer.Line($"{buffer.Field} = new float[rows * {buffer.RowFloats} + Padding];");
            }
            writer.Close();
            writer.Line();
            writer.Line($"protected override Span<float> Input(int batch) => new({first.Buffers.Input}, 0, batch * {first.InFeatures});");
            writer.Line();
            writer.Line($"public override ReadOnlySpan<float> Output(int batch) => new({last.Buffers.Output}, 0, batch * {last.OutFeatures});");
            writer.Line();
            writer.Line($"protected override Span<float> OutputGradient(int batch) => new({last.Buffers.OutputGradient}, 0, batch * {last.OutFeatures});");
            writer.Line();
            writer.Line($"public override ReadOnlySpan<float> InputGradient(int batch) => new({first.Buffers.InputGradient}, 0, batch * {first.InFeatures});");
        }

        /// <summary>The layers in order, forward and backward, and one sample through the kernels when the network is too large for registers.</summary>
        private static void EmitLayerOrder(SourceWriter writer, NetworkSpec network, LayerEmitter[] layers)
        {
            if (!network.OneSampleInRegisters)
            {
                writer.Line("// One sample, layer by layer through the one-sample kernels, in this (one thread's) workspace.");
                EmitOptimized(writer);
                writer.Open("public override void ForwardSample(float[] parameters, float[] buffers, ReadOnlySpan<float> input, Span<float> output)");
                if (network.Layers.Any(layer => layer is LinearSpec))
                {
                    writer.Line("ref float p = ref MemoryMarshal.GetArrayDataReference(parameters); // what the Linear layers read");
                }
                bool fields = layers.Any(layer => layer.SampleReadsFields);
                if (fields)
                {
                    writer.Line("// The convolutions' and normalizations' one-sample methods read the network's arrays through the workspace.");
                    writer.Line("_parameters = parameters;");
                    if (network.Statistics.Count > 0)
                    {
                        writer.Line("_buffers = buffers;");
                    }
                }
                SampleValues input = SampleValues.Span("input");
                if (network.Layers[0].Buffers.SampleInput is { } copy)
                {
                    writer.Line("// Into a padded copy first: the kernel reads the row's last partial vector whole.");
                    writer.Line($"input.CopyTo({copy});");
                    input = SampleValues.Field(copy);
                }
                foreach (LayerEmitter layer in layers)
                {
                    SampleValues output = layer.Layer.Buffers.Sample is { } sample ? SampleValues.Field(sample) : SampleValues.Span("output");
                    writer.Line(layer.OneSampleComment);
                    layer.EmitOneSample(writer, input, output);
                    input = output;
                }
                if (fields)
                {
                    writer.Line("Release(); // an idle thread's workspace keeps no network alive");
                }
                writer.Close();
                writer.Line();
            }

            EmitOptimized(writer);
            writer.Open("protected override void ForwardLayers(int batch)");
            foreach (LayerEmitter layer in layers)
            {
                writer.Line($"// Layer {layer.Layer.Index}: {layer.Layer.Module}, [B, {layer.Layer.InFeatures}] → [B, {layer.Layer.OutFeatures}]");
                writer.Line(layer.ForwardCall);
            }
            writer.Close();
            writer.Line();

            EmitOptimized(writer);
            writer.Open("protected override void BackwardLayers(int batch)");
            foreach (LayerEmitter layer in layers.Reverse())
            {
                LayerSpec spec = layer.Layer;
                writer.Line($"// Layer {spec.Index}: {spec.Module}, dLoss/dy [B, {spec.OutFeatures}] → " +
                    (spec.Buffers.InputGradientOnRequest ? $"dLoss/dinputs [B, {spec.InFeatures}] when asked for" : $"dLoss/dx [B, {spec.InFeatures}]"));
                writer.Line(layer.BackwardCall);
            }
            writer.Close();
            writer.Line();
        }

        /// <summary>
        /// The parts that <c>Parallelism</c> runs: each product split by rows of its result, so every float is
        /// computed by one thread in the order one thread would use.
        /// </summary>
        private static void EmitParallelWork(SourceWriter writer, LayerEmitter[] layers)
        {
            var items = layers.SelectMany(l => l.WorkItems).ToArray();
            Banner(writer, "Threads");
            writer.Line("// The products that may be split over threads (WorkspaceBase.Run decides how many parts), one work item each.");
            for (int i = 0; i < items.Length; i++)
            {
                writer.Line($"private const int {items[i].Name} = {i};");
            }
            writer.Line();
            writer.Line("// Part `part` of `parts` of a product over the batch of _rows rows: rows [Part(n, part), Part(n, part + 1)) of n.");
            EmitOptimized(writer);
            writer.Open("public override void RunPart(int work, int part, int parts)");
            writer.Line("int batch = _rows;");
            writer.Line("int rowStart = Part(batch, part, parts);");
            writer.Line("int rowEnd = Part(batch, part + 1, parts);");
            writer.Open("switch (work)");
            foreach (var item in items)
            {
                writer.Line($"case {item.Name}:");
                writer.Indent();
                writer.Line(item.Call);
                writer.Line("break;");
                writer.Unindent();
            }
            writer.Close();
            writer.Close();
        }
    }
}
