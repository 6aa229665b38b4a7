using CompiledNets.Generator.Model;

namespace CompiledNets.Generator;

public sealed partial class NetworkGenerator
{
    internal static partial class Emitter
    {
        /// <summary>An elementwise activation, formatted from its row of the activation table.</summary>
        private sealed class ActivationEmitter : LayerEmitter
        {
            private readonly ActivationSpec _activation;
            private readonly ActivationDefinition _definition;

            public ActivationEmitter(ActivationSpec activation)
                : base(activation)
            {
                _activation = activation;
                _definition = Activations.Of(activation.Function);
            }

            private string Name => $"{_definition.Name}{_activation.Index}";

            private string Fill(string template, string? x = null, string? y = null, string? dy = null) =>
                Activations.Fill(template, x, y, dy, _activation.Argument);

            public override string LayerInfo => Fill(_definition.LayerInfo);

            public override string OneSampleFormula => Fill(_definition.Formula) + ", element by element";

            public override string ForwardCall => _activation.FusedIntoPrevious
                ? $"// (computed by layer {_activation.Index - 1}'s forward, which stores max(0, y) into this layer's output)"
                : $"{Name}Forward(batch);";

            public override string BackwardCall => InputGradientCall($"{Name}Backward(batch);");

            public override void EmitMethods(SourceWriter writer)
            {
                LayerBuffers buffers = _activation.Buffers;
                string shape = $"[B, {_activation.Features}]";
                string count = $"batch * {_activation.Features}";
                EmitBanner(writer);
                writer.Line($"// Forward: x {shape} → y {shape},  {Fill(_definition.Formula)}");
                if (_activation.FusedIntoPrevious)
                {
                    // The Linear (its tiles) or batch norm before stores max(0, ·) straight into this layer's output: x is never written.
                    writer.Line($"// Computed in layer {_activation.Index - 1}'s forward, which stores y = max(0, x) into {buffers.Output}.");
                    writer.Line();
                }
                else
                {
                    EmitOptimized(writer);
                    writer.Open($"private void {Name}Forward(int batch)");
                    EmitVectorLoop(writer, "input", $"First({buffers.Input})", "output", $"First({buffers.Output})", count);
                    writer.Close();
                    writer.Line();
                }

                // The derivative reads the layer's input x or its output y, whichever the table says backward keeps.
                var (kept, keptRole, keptBuffer) = _definition.Reads == ActivationReads.Input ? ("x", "input", buffers.Input) : ("y", "output", buffers.Output);
                writer.Line($"// Backward: {Fill(_definition.Derivative)}, from the kept {keptRole} {kept} {shape}");
                EmitOptimized(writer);
                writer.Open($"private void {Name}Backward(int batch)");
                writer.Line($"ref float {keptRole} = ref First({keptBuffer});");
                writer.Line($"ref float outputGradient = ref First({buffers.OutputGradient});");
                writer.Line($"ref float inputGradient = ref First({buffers.InputGradient});");
                writer.Open($"for (int i = 0; i < {count}; i += V.Count)");
                writer.Line($"V {kept} = V.Load(ref {keptRole}, i);");
                writer.Line("V dy = V.Load(ref outputGradient, i);");
                if (_definition.BackwardPrelude is { } prelude)
                {
                    writer.Line(Fill(prelude, x: "x", y: "y", dy: "dy"));
                }
                writer.Line($"V.Store({Fill(_definition.Backward, x: "x", y: "y", dy: "dy")}, ref inputGradient, i);");
                writer.Close();
                writer.Close();
                writer.Line();
            }

            /// <summary>y = f(x) over <paramref name="count"/> floats in whole vectors, from and into buffers that end in padding.</summary>
            private void EmitVectorLoop(SourceWriter writer, string input, string inputFirst, string output, string outputFirst, string count)
            {
                writer.Line($"ref float {input} = ref {inputFirst};");
                writer.Line($"ref float {output} = ref {outputFirst};");
                writer.Line("// Whole vectors: the last may run into the buffers' padding.");
                writer.Open($"for (int i = 0; i < {count}; i += V.Count)");
                writer.Line($"V x = V.Load(ref {input}, i);");
                writer.Line($"V.Store({Fill(_definition.Vector, x: "x")}, ref {output}, i);");
                writer.Close();
            }

            public override string[] EmitOneSampleInRegisters(SourceWriter writer, string[] inputs, bool last)
            {
                var outputs = new string[inputs.Length];
                for (int j = 0; j < inputs.Length; j++)
                {
                    outputs[j] = $"h{_activation.Index}_{j}";
                    string value = Fill(_definition.Scalar, x: inputs[j]);
                    writer.Line(last ? $"Unsafe.Add(ref y, {j}) = {value};" : $"float {outputs[j]} = {value};");
                }
                return outputs;
            }

            public override void EmitOneSample(SourceWriter writer, SampleValues input, SampleValues output)
            {
                if (input.Padded && output.Padded)
                {
                    // Between buffers, the batched forward's loop on one row.
                    int index = _activation.Index;
                    EmitVectorLoop(writer, $"input{index}", input.First, $"output{index}", output.First, _activation.Features.ToString());
                    return;
                }
                writer.Open($"for (int j = 0; j < {_activation.Features}; j++)");
                writer.Line($"{output.Name}[j] = {Fill(_definition.Scalar, x: $"{input.Name}[j]")};");
                writer.Close();
            }
        }
    }
}
