using CompiledNets.Generator.Model;

namespace CompiledNets.Generator;

public sealed partial class NetworkGenerator
{
    internal static partial class Emitter
    {
        /// <summary>Inverted dropout: a mask drawn while training, the identity in evaluation and for one sample.</summary>
        private sealed class DropoutEmitter : LayerEmitter
        {
            private readonly DropoutSpec _dropout;

            public DropoutEmitter(DropoutSpec dropout)
                : base(dropout) => _dropout = dropout;

            private string Name => $"Dropout{_dropout.Index}";

            public override string LayerInfo => $"LayerInfo.Dropout({_dropout.P})";

            public override string OneSampleFormula => "y = x (one sample is inference: dropout is the identity)";

            public override string ForwardCall => $"{Name}Forward(batch);";

            public override string BackwardCall => InputGradientCall($"{Name}Backward(batch);");

            public override void EmitMethods(SourceWriter writer)
            {
                LayerBuffers buffers = _dropout.Buffers;
                string shape = $"[B, {_dropout.Features}]";
                string count = $"batch * {_dropout.Features}";
                EmitBanner(writer);
                writer.Line($"// Forward: x {shape} → y {shape},  training: y = x · mask, mask = 0 with probability {_dropout.P}, else 1 / (1 − p);");
                writer.Line("// evaluation: y = x. The mask comes from the network's generator, drawn on one thread in row-major order.");
                EmitOptimized(writer);
                writer.Open($"private void {Name}Forward(int batch)");
                writer.Line($"ref float input = ref First({buffers.Input});");
                writer.Line($"ref float output = ref First({buffers.Output});");
                writer.Line($"ref float mask = ref First({_dropout.Mask});");
                writer.Open("if (Dropout is { } generator)");
                writer.Line($"generator.Fill(new Span<float>({_dropout.Mask}, 0, {count}), {_dropout.P});");
                writer.Close();
                writer.Line("// Whole vectors: the last may run into the buffers' padding.");
                writer.Open($"for (int i = 0; i < {count}; i += V.Count)");
                writer.Line("V x = V.Load(ref input, i);");
                writer.Line("V.Store(Dropped ? x * V.Load(ref mask, i) : x, ref output, i);");
                writer.Close();
                writer.Close();
                writer.Line();

                writer.Line($"// Backward: dx = dy · mask, the forward's mask (dx = dy after a forward in evaluation), {shape}");
                EmitOptimized(writer);
                writer.Open($"private void {Name}Backward(int batch)");
                writer.Line($"ref float mask = ref First({_dropout.Mask});");
                writer.Line($"ref float outputGradient = ref First({buffers.OutputGradient});");
                writer.Line($"ref float inputGradient = ref First({buffers.InputGradient});");
                writer.Open($"for (int i = 0; i < {count}; i += V.Count)");
                writer.Line("V dy = V.Load(ref outputGradient, i);");
                writer.Line("V.Store(Dropped ? dy * V.Load(ref mask, i) : dy, ref inputGradient, i);");
                writer.Close();
                writer.Close();
                writer.Line();
            }

            public override string[] EmitOneSampleInRegisters(SourceWriter writer, string[] inputs, bool last)
            {
                if (!last)
                {
                    return inputs;
                }
                for (int j = 0; j < inputs.Length; j++)
                {
                    writer.Line($"Unsafe.Add(ref y, {j}) = {inputs[j]};");
                }
                return inputs;
            }

            public override void EmitOneSample(SourceWriter writer, SampleValues input, SampleValues output)
            {
                writer.Line($"((ReadOnlySpan<float>){input.Name}).Slice(0, {_dropout.Features}).CopyTo({output.Name});");
            }
        }
    }
}
