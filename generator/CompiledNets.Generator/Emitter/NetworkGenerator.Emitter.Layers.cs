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
            _ => throw new System.InvalidOperationException($"No emitter for layer kind {layer.GetType().Name}."),
        };

        /// <summary>Everything the network's code needs from one kind of layer; each kind's emitter is one file.</summary>
        private abstract class LayerEmitter
        {
            protected LayerEmitter(LayerSpec layer) => Layer = layer;

            public LayerSpec Layer { get; }

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

            /// <summary>One sample through the kernels, from span <paramref name="input"/> into span <paramref name="output"/>.</summary>
            public abstract void EmitOneSample(SourceWriter writer, string input, string output);

            /// <summary>The first float of a span (a parameter) or of an array (a field, named with a leading underscore).</summary>
            protected static string Ref(string name) => name.StartsWith("_", System.StringComparison.Ordinal) ? $"First({name})" : $"MemoryMarshal.GetReference({name})";

            /// <summary>The separator above a layer's methods.</summary>
            protected void EmitBanner(SourceWriter writer)
            {
                string title = $"// ---- Layer {Layer.Index}: {Layer.Module} ";
                writer.Line(title + new string('-', System.Math.Max(4, 117 - title.Length)));
                writer.Line();
            }
        }
    }
}
