using System.Collections.Generic;
using System.Linq;
using System.Threading;
using CompiledNets.Generator.Model;
using Microsoft.CodeAnalysis;

namespace CompiledNets.Generator;

public sealed partial class NetworkGenerator
{
    internal static partial class Parser
    {
        /// <summary>
        /// Reads every layer's arguments and checks the chain of sizes, one parse method per kind. Returns
        /// null when an attribute has compile errors of its own (the compiler reports those).
        /// </summary>
        private static List<LayerSpec>? ParseLayers(INamedTypeSymbol type, List<LayerAttribute> layers, List<DiagnosticInfo> diagnostics, CancellationToken cancellationToken)
        {
            if (!layers.Any(l => l.Kind == LayerKind.Linear))
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.NoLinearLayer, LocationOf(layers[0], cancellationToken), type.Name));
                return null;
            }
            if (layers[0].Kind != LayerKind.Linear)
            {
                // A dropout first would have no known size either: the first Linear defines the input size.
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.ActivationFirst, LocationOf(layers[0], cancellationToken), type.Name, layers[0].Name));
            }

            var chain = new Chain();
            var specs = new List<LayerSpec>(layers.Count);
            for (int index = 0; index < layers.Count; index++)
            {
                LayerAttribute layer = layers[index];
                if (layer.Data.AttributeConstructor is null || layer.Data.ConstructorArguments.Any(a => a.Kind == TypedConstantKind.Error))
                {
                    return null;
                }
                specs.Add(layer.Kind switch
                {
                    LayerKind.Linear => ParseLinear(index, layer, chain, diagnostics, cancellationToken),
                    LayerKind.Activation => ParseActivation(index, layer, chain, diagnostics, cancellationToken),
                    LayerKind.Dropout => ParseDropout(index, layer, chain, diagnostics, cancellationToken),
                    _ => throw new System.InvalidOperationException($"Layer kind {layer.Kind} has no parse method."),
                });
            }

            if (layers[layers.Count - 1].Kind == LayerKind.Activation)
            {
                LayerAttribute last = layers[layers.Count - 1];
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.ActivationLast, LocationOf(last, cancellationToken), type.Name, last.Name));
            }
            if (chain.Parameters > MaxParameters && chain.Largest is { } big)
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.NetworkTooLarge, LocationOf(big.Layer, cancellationToken), type.Name, chain.Parameters, MaxParameters));
            }
            return specs;
        }

        /// <summary>What the layers parsed so far produce and own, as the next layer sees it.</summary>
        private sealed class Chain
        {
            /// <summary>Features per sample produced so far (0 before the first Linear, or after an invalid one).</summary>
            public int Width;

            /// <summary>The next free float in the flat parameter buffer.</summary>
            public long Parameters;

            /// <summary>The layer with the most parameters, where CN0011 points.</summary>
            public (long Count, LayerAttribute Layer)? Largest;

            /// <summary>An offset into the flat buffer, clamped so an oversized network (refused by CN0011) still parses.</summary>
            public int Take(long count, LayerAttribute layer)
            {
                if (Largest is null || count > Largest.Value.Count)
                {
                    Largest = (count, layer);
                }
                int offset = (int)System.Math.Min(Parameters, int.MaxValue);
                Parameters += count;
                return offset;
            }
        }

        /// <summary><c>[Linear(inFeatures, outFeatures)]</c>: sizes at least 1, inFeatures equal to what arrives.</summary>
        private static LayerSpec ParseLinear(int index, LayerAttribute layer, Chain chain, List<DiagnosticInfo> diagnostics, CancellationToken cancellationToken)
        {
            var arguments = layer.Data.ConstructorArguments;
            int inFeatures = (int)arguments[0].Value!;
            int outFeatures = (int)arguments[1].Value!;
            bool valid = true;
            foreach ((string name, int value) in new[] { ("inFeatures", inFeatures), ("outFeatures", outFeatures) })
            {
                if (value < 1)
                {
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.NonPositiveSize, LocationOf(layer, cancellationToken), inFeatures, outFeatures, name, value));
                    valid = false;
                }
            }
            if (valid && chain.Width > 0 && inFeatures != chain.Width)
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.LinearInputMismatch, LocationOf(layer, cancellationToken), inFeatures, outFeatures, chain.Width));
            }
            string module = $"Linear({inFeatures}, {outFeatures})";
            if (!valid)
            {
                chain.Width = 0;
                return new LinearSpec(index, module, 0, 0, 0, 0, false, "", "", "", null, "");
            }

            long weights = (long)inFeatures * outFeatures;
            int weightOffset = chain.Take(weights + outFeatures, layer);
            int biasOffset = (int)System.Math.Min(weightOffset + weights, int.MaxValue);
            chain.Width = outFeatures;
            return PlanLinear(index, module, inFeatures, outFeatures, weightOffset, biasOffset, needsInputGradient: index > 0);
        }

        /// <summary><c>[Dropout(p)]</c>: p in [0, 1); the size is what arrives.</summary>
        private static LayerSpec ParseDropout(int index, LayerAttribute layer, Chain chain, List<DiagnosticInfo> diagnostics, CancellationToken cancellationToken)
        {
            var arguments = layer.Data.ConstructorArguments;
            float p = arguments.Length > 0 && arguments[0].Value is float given ? given : 0.5f;
            if (!(p >= 0f && p < 1f))
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidDropoutProbability, LocationOf(layer, cancellationToken), FormatFloat(p)));
            }
            return new DropoutSpec(index, $"Dropout(p={FormatFloat(p)})", chain.Width, FormatFloat(p) + "f", $"_mask{index}");
        }

        /// <summary>An activation: its row of the table and its argument (LeakyReLU's slope, which must be finite).</summary>
        private static LayerSpec ParseActivation(int index, LayerAttribute layer, Chain chain, List<DiagnosticInfo> diagnostics, CancellationToken cancellationToken)
        {
            ActivationDefinition activation = Activations.Of(layer.Function!.Value);
            string? argument = null;
            if (activation.Argument is not null)
            {
                var arguments = layer.Data.ConstructorArguments;
                float value = arguments.Length > 0 && arguments[0].Value is float given ? given : activation.DefaultArgument;
                if (float.IsNaN(value) || float.IsInfinity(value))
                {
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidNegativeSlope, LocationOf(layer, cancellationToken), FormatFloat(value)));
                }
                argument = FormatFloat(value);
            }
            string module = argument is null ? activation.Name : $"{activation.Name}({argument})";
            return new ActivationSpec(index, module, chain.Width, activation.Function, argument);
        }
    }
}
