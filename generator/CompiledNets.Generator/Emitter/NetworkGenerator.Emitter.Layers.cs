using System.Collections.Generic;
using CompiledNets.Generator.Model;

namespace CompiledNets.Generator;

public sealed partial class NetworkGenerator
{
    internal static partial class Emitter
    {
        /// <summary>The one dispatch from a layer's model to the emitter of its kind.</summary>
        private static LayerEmitter For(LayerSpec layer) => layer switch
        {
            LinearSpec linear => new LinearEmitter(linear),
            ActivationSpec activation => new ActivationEmitter(activation),
            DropoutSpec dropout => new DropoutEmitter(dropout),
            ConvSpec conv => new ConvEmitter(conv),
            PoolSpec pool => new PoolEmitter(pool),
            FlattenSpec flatten => new FlattenEmitter(flatten),
            BatchNormSpec norm => new BatchNormEmitter(norm),
            _ => throw new System.InvalidOperationException($"No emitter for layer kind {layer.GetType().Name}."),
        };

        /// <summary>Where one sample's values live in ForwardSample: a span parameter or a buffer field, by name and as a ref to its first float.</summary>
        private readonly struct SampleValues
        {
            private SampleValues(string name, string first, bool padded)
            {
                Name = name;
                First = first;
                Padded = padded;
            }

            public string Name { get; }

            public string First { get; }

            /// <summary>Whether whole vectors may run past the values: a buffer field, which ends in padding (a caller's span does not).</summary>
            public bool Padded { get; }

            public static SampleValues Span(string parameter) => new(parameter, $"MemoryMarshal.GetReference({parameter})", padded: false);

            public static SampleValues Field(string field) => new(field, $"First({field})", padded: true);
        }

        /// <summary>A separator line above a section of the implementation, all of one width.</summary>
        private static void Banner(SourceWriter writer, string title)
        {
            string line = $"// ---- {title} ";
            writer.Line(line + new string('-', System.Math.Max(4, 117 - line.Length)));
            writer.Line();
        }

        /// <summary>Everything the network's code needs from one kind of layer; each kind's emitter is one file.</summary>
        private abstract class LayerEmitter
        {
            protected LayerEmitter(LayerSpec layer) => Layer = layer;

            public LayerSpec Layer { get; }

            /// <summary>What the layer computes for one sample x, for the comment above its one-sample code.</summary>
            public abstract string OneSampleFormula { get; }

            /// <summary>The comment above a layer's one-sample code: its module, shapes and formula.</summary>
            public string OneSampleComment =>
                $"// Layer {Layer.Index}: {Layer.Module}, x [{Layer.InFeatures}] → y [{Layer.OutFeatures}],  {OneSampleFormula}";

            /// <summary>The runtime's description of the layer, an expression of type <c>LayerInfo</c>.</summary>
            public abstract string LayerInfo { get; }

            /// <summary>The statement of <c>ForwardLayers&lt;V&gt;</c> that runs the layer on the batch.</summary>
            public abstract string ForwardCall { get; }

            /// <summary>The statement of <c>BackwardLayers&lt;V&gt;</c> that back-propagates through the layer.</summary>
            public abstract string BackwardCall { get; }

            /// <summary>The products the layer splits over threads: a work item's name and the kernel call of one part.</summary>
            public virtual IEnumerable<(string Name, string Call)> WorkItems => System.Array.Empty<(string, string)>();

            /// <summary>The layer's batched forward method directly above its backward method.</summary>
            public abstract void EmitMethods(SourceWriter writer);

            /// <summary>
            /// One sample in local variables: writes the statements from the previous layer's values and returns the
            /// names of this layer's (the last layer writes <c>y</c>, the output span, instead).
            /// </summary>
            public abstract string[] EmitOneSampleInRegisters(SourceWriter writer, string[] inputs, bool last);

            /// <summary>
            /// One sample through the kernels, from <paramref name="input"/> into <paramref name="output"/>; parameters are read
            /// through the local <c>p</c>, the flat parameter buffer.
            /// </summary>
            public abstract void EmitOneSample(SourceWriter writer, SampleValues input, SampleValues output);

            /// <summary>
            /// Whether the layer's one-sample code runs a method that reads the workspace's parameter and buffer fields (a
            /// convolution's or a batch normalization's), which ForwardSample must then set and release.
            /// </summary>
            public virtual bool SampleReadsFields => false;

            /// <summary>
            /// The backward call of a layer whose backward only writes dLoss/dx: for the first layer, run only when the
            /// caller asked for dLoss/dinputs (nothing before the first layer learns).
            /// </summary>
            protected string InputGradientCall(string call) =>
                Layer.Buffers.InputGradientOnRequest ? $"if (InputGradientRequested) {call} // dLoss/dinputs, only when asked for" : call;

            /// <summary>The statements of a backward that write dLoss/dx: for the first layer, inside a check that the caller asked for dLoss/dinputs.</summary>
            protected void EmitInputGradient(SourceWriter writer, System.Action emit)
            {
                if (!Layer.Buffers.InputGradientOnRequest)
                {
                    emit();
                    return;
                }
                writer.Line("// dLoss/dinputs, only when the caller asked for it: nothing before the first layer learns.");
                writer.Open("if (InputGradientRequested)");
                emit();
                writer.Close();
            }

            /// <summary>The separator above a layer's methods.</summary>
            protected void EmitBanner(SourceWriter writer) => Banner(writer, $"Layer {Layer.Index}: {Layer.Module}");
        }
    }
}
