using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using CompiledNets.Generator.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace CompiledNets.Generator;

public sealed partial class NetworkGenerator
{
    /// <summary>
    /// Checks a network declaration and computes its model: layer order, sizes, parameter offsets,
    /// and how each layer is emitted. All decisions live here; the emitter only formats.
    /// </summary>
    internal static class Parser
    {
        /// <summary>Networks above this many parameters are refused (CN0011) rather than generated.</summary>
        public const long MaxParameters = 50_000_000;

        /// <summary>Linear layers with at most this many weights are fully unrolled.</summary>
        public const int UnrollLimit = 256;

        /// <summary>One-sample inference keeps hidden activations on the stack up to this many floats.</summary>
        public const int StackLimitFloats = 16 * 1024;

        private readonly record struct LayerAttribute(AttributeData Data, LayerKind Kind, int Declaration, int Position, SyntaxReference Syntax);

        /// <summary>
        /// Parses the class behind <paramref name="context"/>, or returns null when another pipeline
        /// (another attribute or another partial declaration) owns this class.
        /// </summary>
        public static ParseResult? Parse(GeneratorAttributeSyntaxContext context, string attributeName, CancellationToken cancellationToken)
        {
            if (context.TargetSymbol is not INamedTypeSymbol type || context.TargetNode is not TypeDeclarationSyntax node)
            {
                return null;
            }

            List<LayerAttribute> layers = CollectLayers(type, cancellationToken);
            if (layers.Count == 0)
            {
                return null;
            }

            // Exactly one (pipeline, declaration) pair owns a class: the one of its first layer attribute.
            LayerAttribute first = layers[0];
            SyntaxReference owner = type.DeclaringSyntaxReferences[first.Declaration];
            if (owner.SyntaxTree != node.SyntaxTree || owner.Span != node.Span || MetadataName(first.Kind) != attributeName)
            {
                return null;
            }

            var diagnostics = new List<DiagnosticInfo>();
            CheckType(type, node, diagnostics, cancellationToken);

            LayerAttribute? stray = layers.Cast<LayerAttribute?>().FirstOrDefault(l => l!.Value.Declaration != first.Declaration);
            if (stray is { } strayLayer)
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.LayersInSeveralDeclarations, LocationOf(strayLayer, cancellationToken), type.Name));
            }

            List<LayerSpec>? specs = ParseLayers(type, layers, diagnostics, cancellationToken);
            bool hasErrors = diagnostics.Any(d => d.Descriptor.DefaultSeverity == DiagnosticSeverity.Error);
            NetworkSpec? network = specs is null || hasErrors ? null : CreateSpec(type, specs);
            return new ParseResult(network, new EquatableArray<DiagnosticInfo>(diagnostics));
        }

        /// <summary>The layer attributes of every declaration, in declaration order, then source order.</summary>
        private static List<LayerAttribute> CollectLayers(INamedTypeSymbol type, CancellationToken cancellationToken)
        {
            var declarations = type.DeclaringSyntaxReferences;
            var layers = new List<LayerAttribute>();
            foreach (AttributeData data in type.GetAttributes())
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (KindOf(data.AttributeClass) is not { } kind || data.ApplicationSyntaxReference is not { } syntax)
                {
                    continue;
                }
                int declaration = -1;
                for (int i = 0; i < declarations.Length; i++)
                {
                    if (declarations[i].SyntaxTree == syntax.SyntaxTree && declarations[i].Span.Contains(syntax.Span))
                    {
                        declaration = i;
                        break;
                    }
                }
                if (declaration >= 0)
                {
                    layers.Add(new LayerAttribute(data, kind, declaration, syntax.Span.Start, syntax));
                }
            }
            layers.Sort((a, b) => a.Declaration != b.Declaration ? a.Declaration.CompareTo(b.Declaration) : a.Position.CompareTo(b.Position));
            return layers;
        }

        /// <summary>Checks that the class can receive generated members: partial, a plain class, not generic, partial containers.</summary>
        private static void CheckType(INamedTypeSymbol type, TypeDeclarationSyntax node, List<DiagnosticInfo> diagnostics, CancellationToken cancellationToken)
        {
            LocationInfo? identifier = LocationInfo.From(node.Identifier.GetLocation());
            // A file-local class cannot be extended from the generated file: C# would see two types.
            string? unsupportedKind = type.IsRecord ? "record" : type.IsStatic ? "static class" : type.IsFileLocal ? "file-local class" : null;
            if (unsupportedKind is not null)
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.NotAClass, identifier, type.Name, unsupportedKind));
            }
            if (!node.Modifiers.Any(SyntaxKind.PartialKeyword))
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.NotPartial, identifier, type.Name));
            }

            // IsGenericType is also true for a non-generic class nested in a generic one; the type that
            // declares type parameters is the one to name.
            for (INamedTypeSymbol? current = type; current is not null; current = current.ContainingType)
            {
                if (current.TypeParameters.Length > 0)
                {
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.GenericNetwork, identifier, type.Name, current.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat)));
                    break;
                }
            }

            for (INamedTypeSymbol? container = type.ContainingType; container is not null; container = container.ContainingType)
            {
                bool isPartial = container.DeclaringSyntaxReferences.Any(reference =>
                    reference.GetSyntax(cancellationToken) is TypeDeclarationSyntax declaration && declaration.Modifiers.Any(SyntaxKind.PartialKeyword));
                if (!isPartial)
                {
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.ContainingTypeNotPartial, identifier, type.Name, container.Name));
                }
            }
        }

        /// <summary>
        /// Reads every layer's arguments and checks the chain of sizes. Returns null when an attribute
        /// has compile errors of its own (the compiler reports those).
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
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.ActivationFirst, LocationOf(layers[0], cancellationToken), type.Name, Display(layers[0])));
            }

            var specs = new List<LayerSpec>(layers.Count);
            int width = 0;          // features produced by the layers so far (0 before the first Linear)
            long offset = 0;        // next free float in the flat parameter buffer
            (long Count, LayerAttribute Layer)? largest = null;
            for (int index = 0; index < layers.Count; index++)
            {
                LayerAttribute layer = layers[index];
                var arguments = layer.Data.ConstructorArguments;
                if (layer.Data.AttributeConstructor is null || arguments.Any(a => a.Kind == TypedConstantKind.Error))
                {
                    return null;
                }

                if (layer.Kind == LayerKind.Linear)
                {
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
                    if (valid && width > 0 && inFeatures != width)
                    {
                        diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.LinearInputMismatch, LocationOf(layer, cancellationToken), inFeatures, outFeatures, width));
                    }
                    if (!valid)
                    {
                        width = 0;
                        specs.Add(new LayerSpec(index, layer.Kind, 0, 0, 0f, 0, 0, LinearStrategy.Unrolled, false));
                        continue;
                    }

                    long weights = (long)inFeatures * outFeatures;
                    long count = weights + outFeatures;
                    if (largest is null || count > largest.Value.Count)
                    {
                        largest = (count, layer);
                    }
                    int weightOffset = (int)System.Math.Min(offset, int.MaxValue);
                    offset += weights;
                    int biasOffset = (int)System.Math.Min(offset, int.MaxValue);
                    offset += outFeatures;
                    var strategy = weights <= UnrollLimit ? LinearStrategy.Unrolled : LinearStrategy.Vectorized;
                    specs.Add(new LayerSpec(index, layer.Kind, inFeatures, outFeatures, 0f, weightOffset, biasOffset, strategy, index > 0));
                    width = outFeatures;
                }
                else
                {
                    float slope = 0f;
                    if (layer.Kind == LayerKind.LeakyReLU)
                    {
                        slope = arguments.Length > 0 && arguments[0].Value is float value ? value : 0.01f;
                        if (float.IsNaN(slope) || float.IsInfinity(slope))
                        {
                            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidNegativeSlope, LocationOf(layer, cancellationToken), FormatFloat(slope)));
                        }
                    }
                    specs.Add(new LayerSpec(index, layer.Kind, width, width, slope, 0, 0, LinearStrategy.Unrolled, index > 0));
                }
            }

            if (layers[layers.Count - 1].Kind != LayerKind.Linear)
            {
                LayerAttribute last = layers[layers.Count - 1];
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.ActivationLast, LocationOf(last, cancellationToken), type.Name, Display(last)));
            }
            if (offset > MaxParameters && largest is { } big)
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.NetworkTooLarge, LocationOf(big.Layer, cancellationToken), type.Name, offset, MaxParameters));
            }
            return specs;
        }

        /// <summary>Builds the model of a network whose layers passed every check.</summary>
        private static NetworkSpec CreateSpec(INamedTypeSymbol type, List<LayerSpec> layers)
        {
            // Names as written in code (keywords escaped with '@') and as plain text for the hint name.
            var namespaceParts = new List<string>();
            for (INamespaceSymbol part = type.ContainingNamespace; !part.IsGlobalNamespace; part = part.ContainingNamespace)
            {
                namespaceParts.Insert(0, part.Name);
            }
            var containers = new List<ContainingTypeSpec>();
            var containerNames = new List<string>();
            for (INamedTypeSymbol? container = type.ContainingType; container is not null; container = container.ContainingType)
            {
                containers.Insert(0, new ContainingTypeSpec(Keyword(container), Escape(container.Name)));
                containerNames.Insert(0, container.Name);
            }
            string? ns = namespaceParts.Count == 0 ? null : string.Join(".", namespaceParts.Select(Escape));
            string hintName = string.Join(".", namespaceParts.Concat(containerNames).Concat(new[] { type.Name, "g", "cs" }));
            LayerSpec last = layers[layers.Count - 1];
            LayerSpec lastLinear = layers.Last(l => l.Kind == LayerKind.Linear);
            int parameterCount = lastLinear.BiasOffset + lastLinear.OutFeatures;
            ShapeSpec[] vectorizedShapes = layers
                .Where(l => l.Kind == LayerKind.Linear)
                .GroupBy(l => (l.InFeatures, l.OutFeatures))
                .Select(g => new ShapeSpec(g.Key.InFeatures, g.Key.OutFeatures, g.Any(l => l.NeedsInputGradient), g.First().Strategy == LinearStrategy.Unrolled))
                .ToArray();
            long hiddenFloats = layers.Take(layers.Count - 1).Sum(l => (long)l.OutFeatures);

            return new NetworkSpec(
                ns,
                Escape(type.Name),
                new EquatableArray<ContainingTypeSpec>(containers),
                hintName,
                new EquatableArray<LayerSpec>(layers),
                layers[0].InFeatures,
                last.OutFeatures,
                parameterCount,
                new EquatableArray<ShapeSpec>(vectorizedShapes),
                hiddenFloats <= StackLimitFloats);
        }

        private static LayerKind? KindOf(INamedTypeSymbol? attribute)
        {
            if (attribute is null || attribute.ContainingNamespace is not { Name: "CompiledNets" } ns || !ns.ContainingNamespace.IsGlobalNamespace)
            {
                return null;
            }
            return attribute.Name switch
            {
                "LinearAttribute" => LayerKind.Linear,
                "ReLUAttribute" => LayerKind.ReLU,
                "LeakyReLUAttribute" => LayerKind.LeakyReLU,
                "SigmoidAttribute" => LayerKind.Sigmoid,
                "TanhAttribute" => LayerKind.Tanh,
                _ => null,
            };
        }

        private static string MetadataName(LayerKind kind) => kind switch
        {
            LayerKind.Linear => KnownNames.LinearAttribute,
            LayerKind.ReLU => KnownNames.ReLUAttribute,
            LayerKind.LeakyReLU => KnownNames.LeakyReLUAttribute,
            LayerKind.Sigmoid => KnownNames.SigmoidAttribute,
            _ => KnownNames.TanhAttribute,
        };

        private static string Keyword(INamedTypeSymbol type) => type.TypeKind switch
        {
            TypeKind.Struct => type.IsRecord ? "record struct" : "struct",
            TypeKind.Interface => "interface",
            _ => type.IsRecord ? "record" : "class",
        };

        /// <summary>How a layer attribute reads in source, for messages.</summary>
        private static string Display(LayerAttribute layer) => layer.Kind switch
        {
            LayerKind.Linear => "Linear",
            _ => layer.Kind.ToString(),
        };

        /// <summary>An identifier as C# code must spell it: keywords get a leading '@'.</summary>
        private static string Escape(string name) => SyntaxFacts.GetKeywordKind(name) != SyntaxKind.None ? "@" + name : name;

        internal static string FormatFloat(float value) => value.ToString("R", CultureInfo.InvariantCulture);

        private static LocationInfo? LocationOf(LayerAttribute layer, CancellationToken cancellationToken) =>
            LocationInfo.From(layer.Syntax.GetSyntax(cancellationToken).GetLocation());
    }
}
