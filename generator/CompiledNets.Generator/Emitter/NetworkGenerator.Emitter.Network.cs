using System.Collections.Generic;
using System.Linq;
using CompiledNets.Generator.Model;

namespace CompiledNets.Generator;

public sealed partial class NetworkGenerator
{
    internal static partial class Emitter
    {
        /// <summary>The vector types a kernel runs with, widest first, and their floats per vector.</summary>
        private static readonly (string Type, int Lanes)[] Widths =
        {
            ("Simd512", 16),
            ("Simd256", 8),
            ("Simd128", 4),
            ("SimdScalar", 1),
        };

        /// <summary>The implementation class: parameters, buffers, entry points, the layers, threads.</summary>
        private static void EmitNetworkClass(SourceWriter writer, NetworkSpec network)
        {
            LayerEmitter[] layers = network.Layers.Select(For).ToArray();
            string user = "global::" + (network.Namespace is null ? "" : network.Namespace + ".") + string.Join(".", network.ContainingTypes.Select(c => c.Name).Concat(new[] { network.ClassName }));
            writer.Line("/// <summary>");
            writer.Line($"/// The state of a <see cref=\"{user}\"/> and its entry points: parameters, the buffers of its");
            writer.Line("/// batched passes, the argument checks. The layers' code is in <see cref=\"Network{V}\"/>.");
            writer.Line("/// </summary>");
            writer.Line($"[GeneratedCode(\"CompiledNets.Generator\", \"{Version}\")]");
            writer.Open("internal abstract class Network : IParallelWork");
            EmitConstants(writer, network, layers);
            EmitFields(writer, network);
            EmitConstructor(writer, network);
            EmitOneSample(writer, network, layers);
            EmitBatch(writer, network);
            EmitCapacity(writer, network);
            writer.Close();
            writer.Line();

            writer.Line("/// <summary>");
            writer.Line($"/// The layers of <see cref=\"{user}\"/> for one vector type V (Simd512, Simd256, Simd128 or SimdScalar,");
            writer.Line("/// whichever the machine accelerates): each layer's forward directly above its backward. The products they");
            writer.Line("/// call are in <see cref=\"Kernels{V}\"/>.");
            writer.Line("/// </summary>");
            writer.Line($"[GeneratedCode(\"CompiledNets.Generator\", \"{Version}\")]");
            writer.OpenGeneric("internal sealed class Network<V> : Network");
            writer.Line("public Network(int seed)");
            writer.Line("    : base(seed)");
            writer.Line("{");
            writer.Line("}");
            writer.Line();
            EmitLayers(writer, network, layers);
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
            writer.Line("// Where each parameter tensor starts in the flat buffers (state_dict order).");
            foreach (ParameterSpec parameter in network.Parameters)
            {
                writer.Line($"protected const int {parameter.Constant} = {parameter.Offset}; // \"{parameter.Name}\" [{string.Join(", ", parameter.Shape)}]");
            }
            writer.Line();
            writer.Line("// Batch buffers hold whole tiles of RowTile rows (parallel parts split batches in multiples of it), and every");
            writer.Line("// buffer has Padding spare floats: kernels may read, and elementwise loops write, one vector past its end.");
            writer.Line($"protected const int RowTile = {NetworkSpec.RowTile};");
            writer.Line($"protected const int Padding = {NetworkSpec.Padding};");
            writer.Line();
            writer.Line("// A product gets one more thread per this many multiply-adds: below it, waking a thread costs more than it saves.");
            writer.Line($"protected const long MinimumWorkPerThread = {NetworkSpec.MinimumWorkPerThread};");
            writer.Line();
            writer.Line("public static IReadOnlyList<ParameterTensor> NamedParameters { get; } = new ParameterTensor[]");
            writer.Line("{");
            writer.Indent();
            foreach (ParameterSpec parameter in network.Parameters)
            {
                writer.Line($"new(\"{parameter.Name}\", {parameter.Constant}, {string.Join(", ", parameter.Shape)}),");
            }
            writer.Close(";");
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

        private static void EmitFields(SourceWriter writer, NetworkSpec network)
        {
            writer.Line("protected readonly float[] _parameters = new float[ParameterCount + Padding];");
            writer.Line("protected readonly float[] _gradients = new float[ParameterCount + Padding];");
            writer.Line("protected int _threadCount = Parallelism.DefaultThreadCount;");
            writer.Line();
            writer.Line("// What backward needs from the last batched forward, sized for _capacity rows.");
            writer.Line("private int _capacity;");
            writer.Line("private int _batch; // rows of the forward pass that backward may still use, 0 when none");
            writer.Line("protected int _rows; // rows of the batch that parallel parts work on");
            foreach (BufferSpec buffer in network.Buffers)
            {
                writer.Line(buffer.IsBatch
                    ? $"protected float[] {buffer.Field} = new float[0]; // {buffer.Comment}"
                    : $"protected readonly float[] {buffer.Field} = new float[{buffer.FixedFloats} + Padding]; // {buffer.Comment}");
            }
            if (!network.OneSampleOnStack)
            {
                writer.Line();
                writer.Line("// One-sample inference buffers: too large for the stack, so single-sample Forward is not thread-safe.");
                foreach (LayerSpec layer in network.Layers.Take(network.Layers.Count - 1))
                {
                    writer.Line($"protected readonly float[] _sample{layer.Index} = new float[{layer.OutFeatures}];");
                }
            }
            writer.Line();
            writer.Line("public Span<float> Parameters => new(_parameters, 0, ParameterCount);");
            writer.Line();
            writer.Line("public Span<float> Gradients => new(_gradients, 0, ParameterCount);");
            writer.Line();
            writer.Line("public bool GradEnabled { get; set; } = true;");
            writer.Line();
            writer.Line("// Counts batched forward passes: each overwrites the activations, so older outputs can no longer be back-propagated.");
            writer.Line("public long ForwardVersion { get; private set; }");
            writer.Line();
            writer.Line("public int ThreadCount { get => _threadCount; set => _threadCount = Parallelism.CheckThreadCount(value); }");
            writer.Line();
            writer.Line("// The first float of a buffer, and a float at an offset of the flat buffers, for the kernels' ref parameters.");
            writer.Line("protected static ref float First(float[] buffer) => ref MemoryMarshal.GetArrayDataReference(buffer);");
            writer.Line("protected ref float Parameter(int offset) => ref Unsafe.Add(ref First(_parameters), offset);");
            writer.Line("protected ref float Gradient(int offset) => ref Unsafe.Add(ref First(_gradients), offset);");
            writer.Line();
        }

        /// <summary>PyTorch's default initialization, in state_dict order, from one seeded generator.</summary>
        private static void EmitConstructor(SourceWriter writer, NetworkSpec network)
        {
            writer.Line("// One copy of the layers' code runs: the one for the widest vectors the machine accelerates.");
            writer.Line("public static Network Create(int seed) => SimdWidth.Widest switch");
            writer.Line("{");
            writer.Indent();
            foreach ((string type, int lanes) in Widths)
            {
                writer.Line(lanes > 1 ? $"{lanes} => new Network<{type}>(seed)," : $"_ => new Network<{type}>(seed),");
            }
            writer.Close(";");
            writer.Line();
            writer.Open("protected Network(int seed)");
            writer.Line("// PyTorch's default initialization: every tensor uniform in ±1/√fan_in, drawn in state_dict order.");
            writer.Line("var rng = new Rng(seed);");
            foreach (ParameterSpec parameter in network.Parameters)
            {
                writer.Line($"rng.FillUniform(Parameters.Slice({parameter.Constant}, {parameter.Count}), -Bound({parameter.FanIn}), Bound({parameter.FanIn})); // \"{parameter.Name}\"");
            }
            writer.Close();
            writer.Line();
            writer.Line("private static float Bound(int fanIn) => 1f / MathF.Sqrt(fanIn);");
            writer.Line();
        }

        /// <summary>One sample in, one sample out: nothing shared with the batch buffers, no allocation.</summary>
        private static void EmitOneSample(SourceWriter writer, NetworkSpec network, LayerEmitter[] layers)
        {
            writer.Line("// ---- One sample " + new string('-', 100));
            writer.Line();
            EmitOptimized(writer);
            writer.Open("public void Forward(ReadOnlySpan<float> input, Span<float> output)");
            writer.Line("NetworkChecks.OneSample(input, InputSize, output.Length, OutputSize);");
            if (network.OneSampleInRegisters)
            {
                writer.Line("// Every layer is small: the whole network runs in local variables, weights read at constant offsets.");
                writer.Line("ref float p = ref First(_parameters);");
                writer.Line("ref float x = ref MemoryMarshal.GetReference(input);");
                writer.Line("ref float y = ref MemoryMarshal.GetReference(output);");
                string[] values = Enumerable.Range(0, network.InputSize).Select(i => $"x{i}").ToArray();
                for (int i = 0; i < network.InputSize; i++)
                {
                    writer.Line($"float x{i} = Unsafe.Add(ref x, {i});");
                }
                foreach (LayerEmitter layer in layers)
                {
                    writer.Line($"// Layer {layer.Layer.Index}: {layer.Layer.Module}");
                    values = layer.EmitOneSampleInRegisters(writer, values, last: layer.Layer.Index == network.Layers.Count - 1);
                }
                writer.Close();
                writer.Line();
                return;
            }
            writer.Line("ForwardSample(input, output);");
            writer.Close();
            writer.Line();
            writer.Line("// Layer by layer through the one-sample kernels of the vector type the machine runs (Network<V>).");
            writer.Line("protected abstract void ForwardSample(ReadOnlySpan<float> input, Span<float> output);");
            writer.Line();
        }

        /// <summary>The batched forward and backward: checks, the copy into the network's buffers, then every layer in order.</summary>
        private static void EmitBatch(SourceWriter writer, NetworkSpec network)
        {
            string lastOutput = network.Layers[network.Layers.Count - 1].Buffers.Output;
            writer.Line("// ---- Batches " + new string('-', 103));
            writer.Line();
            EmitOptimized(writer);
            writer.Open("public Outputs Forward(ReadOnlySpan<float> inputs, INetwork owner)");
            writer.Line("int batch = NetworkChecks.Rows(inputs, InputSize);");
            writer.Line("EnsureCapacity(batch);");
            writer.Line("// The layers read the inputs from a buffer of the network: backward needs them after the caller's");
            writer.Line("// buffer has moved on, and parallel parts read them from any thread.");
            writer.Line("inputs.CopyTo(_input);");
            writer.Line("_rows = batch;");
            writer.Line("ForwardLayers(batch);");
            writer.Line("ForwardVersion++;");
            writer.Line("_batch = GradEnabled ? batch : 0;");
            writer.Line($"return new Outputs(new ReadOnlySpan<float>({lastOutput}, 0, batch * OutputSize), batch, OutputSize, GradEnabled ? owner : null, ForwardVersion);");
            writer.Close();
            writer.Line();

            EmitOptimized(writer);
            writer.Open("public void Backward(ReadOnlySpan<float> outputGradient)");
            writer.Line("int batch = _batch;");
            writer.Line("NetworkChecks.OutputGradient(outputGradient, batch, OutputSize);");
            writer.Line("_batch = 0;");
            writer.Line($"outputGradient.CopyTo({network.Layers[network.Layers.Count - 1].Buffers.OutputGradient}); // the last layer reads it from the network's buffer");
            writer.Line("_rows = batch;");
            writer.Line("BackwardLayers(batch);");
            writer.Close();
            writer.Line();
            writer.Line("protected abstract void ForwardLayers(int batch);");
            writer.Line();
            writer.Line("protected abstract void BackwardLayers(int batch);");
            writer.Line();
            writer.Line("public abstract void RunPart(int work, int part, int parts);");
            writer.Line();
        }

        /// <summary>The layers in order, forward and backward, and one sample through the kernels when the network is too large for registers.</summary>
        private static void EmitLayers(SourceWriter writer, NetworkSpec network, LayerEmitter[] layers)
        {
            if (!network.OneSampleInRegisters)
            {
                writer.Line("// One sample, layer by layer through the one-sample kernels, the hidden activations " + (network.OneSampleOnStack ? "on the stack." : "in buffers of the instance."));
                EmitOptimized(writer);
                writer.Open("protected override void ForwardSample(ReadOnlySpan<float> input, Span<float> output)");
                int last = network.Layers.Count - 1;
                foreach (LayerSpec layer in network.Layers.Take(last))
                {
                    writer.Line(network.OneSampleOnStack
                        ? $"Span<float> a{layer.Index} = stackalloc float[{layer.OutFeatures}];"
                        : $"Span<float> a{layer.Index} = _sample{layer.Index};");
                }
                foreach (LayerEmitter layer in layers)
                {
                    int k = layer.Layer.Index;
                    writer.Line($"// Layer {k}: {layer.Layer.Module}");
                    layer.EmitOneSample(writer, k == 0 ? "input" : $"a{k - 1}", k == last ? "output" : $"a{k}");
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
                    (spec.Buffers.InputGradient is null ? "parameter gradients" : $"dLoss/dx [B, {spec.InFeatures}]"));
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
            writer.Line("// ---- Threads " + new string('-', 103));
            writer.Line();
            writer.Line("// The products that may be split over threads, one work item each.");
            for (int i = 0; i < items.Length; i++)
            {
                writer.Line($"private const int {items[i].Name} = {i};");
            }
            writer.Line();
            writer.Line("// Runs a product on as many threads as its size pays for (at most ThreadCount), parts of RowTile-aligned rows.");
            EmitOptimized(writer);
            writer.Open("private void Run(int work, long multiplyAdds)");
            writer.Line("int parts = (int)Math.Clamp(multiplyAdds / MinimumWorkPerThread, 1, _threadCount);");
            writer.Open("if (parts == 1)");
            writer.Line("RunPart(work, 0, 1);");
            writer.Close();
            writer.Open("else");
            writer.Line("Parallelism.Run(this, work, parts);");
            writer.Close();
            writer.Close();
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
            writer.Line();
            writer.Line("// Where part `part` of `parts` starts in `count` rows; a product that runs in one part takes them all at once.");
            writer.Line("private static int Part(int count, int part, int parts) =>");
            writer.Line("    parts == 1 ? (part == 0 ? 0 : count) : Parallelism.PartStart(count, part, parts, RowTile);");
        }

        private static void EmitCapacity(SourceWriter writer, NetworkSpec network)
        {
            writer.Line("// ---- Buffers " + new string('-', 103));
            writer.Line();
            writer.Line("// Grows the batch buffers to hold `batch` rows in whole tiles. Buffers only grow, so once the largest batch");
            writer.Line("// has been seen, forward and backward allocate nothing.");
            writer.Open("private void EnsureCapacity(int batch)");
            writer.Open("if (batch <= _capacity)");
            writer.Line("return;");
            writer.Close();
            writer.Line("int rows = checked((batch + RowTile - 1) / RowTile * RowTile);");
            foreach (BufferSpec buffer in network.Buffers.Where(b => b.IsBatch))
            {
                writer.Line($"{buffer.Field} = new float[checked(rows * {buffer.RowFloats} + Padding)];");
            }
            writer.Line("_capacity = batch;");
            writer.Close();
        }
    }
}
