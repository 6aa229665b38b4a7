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
            if (!layers.Any(l => l.Kind is LayerKind.Linear or LayerKind.Conv2d or LayerKind.Conv1d))
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.NoLinearLayer, LocationOf(layers[0], cancellationToken), type.Name));
                return null;
            }
            // [Input] states the sample shape: first, once, and not a module.
            for (int i = 0; i < layers.Count; i++)
            {
                if (layers[i].Kind == LayerKind.Input && i > 0)
                {
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InputMisplaced, LocationOf(layers[i], cancellationToken), type.Name));
                }
            }
            bool hasInput = layers[0].Kind == LayerKind.Input;
            LayerAttribute? firstModule = layers.Cast<LayerAttribute?>().FirstOrDefault(l => l!.Value.Kind != LayerKind.Input);
            if (!hasInput && firstModule is { } first && first.Kind != LayerKind.Linear && !IsSpatial(first.Kind))
            {
                // A dropout or activation first would have no known size either: the first Linear defines the input size.
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.ActivationFirst, LocationOf(first, cancellationToken), type.Name, first.Name));
            }

            var chain = new Chain();
            var specs = new List<LayerSpec>(layers.Count);
            for (int position = 0; position < layers.Count; position++)
            {
                LayerAttribute layer = layers[position];
                if (layer.Data.AttributeConstructor is null || layer.Data.ConstructorArguments.Any(a => a.Kind == TypedConstantKind.Error))
                {
                    return null;
                }
                if (layer.Kind == LayerKind.Input)
                {
                    ParseInput(layer, chain, position == 0, diagnostics, cancellationToken);
                    continue;
                }
                // nn.Sequential numbers the modules; Input is none.
                int index = specs.Count;
                specs.Add(layer.Kind switch
                {
                    LayerKind.Linear => ParseLinear(index, layer, chain, diagnostics, cancellationToken),
                    LayerKind.Activation => ParseActivation(index, layer, chain, diagnostics, cancellationToken),
                    LayerKind.Dropout => ParseDropout(index, layer, chain, diagnostics, cancellationToken),
                    LayerKind.Conv2d or LayerKind.Conv1d => ParseConv(index, layer, chain, diagnostics, cancellationToken),
                    LayerKind.MaxPool2d or LayerKind.AvgPool2d or LayerKind.MaxPool1d or LayerKind.AvgPool1d => ParsePool(index, layer, chain, diagnostics, cancellationToken),
                    LayerKind.BatchNorm1d or LayerKind.BatchNorm2d => ParseBatchNorm(index, layer, chain, diagnostics, cancellationToken),
                    LayerKind.Flatten => ParseFlatten(index, chain),
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

            /// <summary>The <c>[C, H, W]</c> produced so far, while the layers are spatial; null once they produce features.</summary>
            public ShapeSpec? Shape;

            /// <summary>The shape the last layer flattened, while a Linear after it has yet to take it.</summary>
            public ShapeSpec? Flattened;

            /// <summary>Whether no layer before has been parsed (so a spatial layer lacks only an [Input]).</summary>
            public bool AtStart = true;

            /// <summary>Forgets the sizes after an invalid layer: the layers after it are not checked against guesses.</summary>
            public void Unknown()
            {
                Width = 0;
                Shape = null;
                Flattened = null;
            }

            /// <summary>The next free float of the float buffers (running statistics).</summary>
            public int StatisticFloats;

            /// <summary>The next free element of the int64 buffers (num_batches_tracked).</summary>
            public int StatisticIntegers;

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
            if (valid && chain.Shape is { } shape)
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.LinearAfterSpatial, LocationOf(layer, cancellationToken),
                    inFeatures, outFeatures, shape.ToString(), shape.Product, shape.Count));
            }
            else if (valid && chain.Width > 0 && inFeatures != chain.Width)
            {
                diagnostics.Add(chain.Flattened is { } flattened
                    ? DiagnosticInfo.Create(DiagnosticDescriptors.FlattenLinearMismatch, LocationOf(layer, cancellationToken),
                        flattened.Product, flattened.Count, inFeatures, outFeatures)
                    : DiagnosticInfo.Create(DiagnosticDescriptors.LinearInputMismatch, LocationOf(layer, cancellationToken), inFeatures, outFeatures, chain.Width));
            }
            chain.AtStart = false;
            string module = $"Linear({inFeatures}, {outFeatures})";
            if (!valid)
            {
                chain.Unknown();
                return new LinearSpec(index, module, 0, 0, 0, 0, false, 0, "", "", "", "", "");
            }
            chain.Shape = null;
            chain.Flattened = null;

            long weights = (long)inFeatures * outFeatures;
            int weightOffset = chain.Take(weights + outFeatures, layer);
            int biasOffset = (int)System.Math.Min(weightOffset + weights, int.MaxValue);
            chain.Width = outFeatures;
            return PlanLinear(index, module, inFeatures, outFeatures, weightOffset, biasOffset);
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
            chain.AtStart = false;
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
            chain.AtStart = false;
            return new ActivationSpec(index, module, chain.Width, activation.Function, argument);
        }
    }
}
