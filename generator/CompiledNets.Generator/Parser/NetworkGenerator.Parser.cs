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
    /// Checks a network declaration and computes its model: layer order, sizes, parameter offsets, buffers,
    /// and which kernels and loops exist. All decisions live here; the emitter only formats.
    /// </summary>
    internal static partial class Parser
    {
        /// <summary>Networks above this many parameters are refused (CN0011) rather than generated.</summary>
        public const long MaxParameters = 50_000_000;

        /// <summary>Linear layers with at most this many weights are small: unrolled for one sample, transposed for batches.</summary>
        public const int UnrollLimit = 256;

        /// <summary>One layer attribute as found on the class, in declaration order.</summary>
        private readonly record struct LayerAttribute(
            AttributeData Data, LayerKind Kind, ActivationFunction? Function, string Name, int Declaration, int Position, SyntaxReference Syntax);

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
            if (owner.SyntaxTree != node.SyntaxTree || owner.Span != node.Span || first.Data.AttributeClass?.ToDisplayString() != attributeName)
            {
                return null;
            }

            var diagnostics = new List<DiagnosticInfo>();
            CheckType(type, node, diagnostics, cancellationToken);
            CheckDeclaration(type, context.SemanticModel.Compilation, diagnostics, LocationInfo.From(node.Identifier.GetLocation()), cancellationToken);

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

        /// <summary>
        /// The diagnostics of <paramref name="type"/>'s layers that a code fix can rewrite
        /// (<see cref="DiagnosticDescriptors.IsFixable"/>), for <see cref="NetworkAnalyzer"/>; empty for a class without layers.
        /// </summary>
        public static List<DiagnosticInfo> RewritableDiagnostics(INamedTypeSymbol type, CancellationToken cancellationToken)
        {
            List<LayerAttribute> layers = CollectLayers(type, cancellationToken);
            var diagnostics = new List<DiagnosticInfo>();
            if (layers.Count > 0)
            {
                ParseLayers(type, layers, diagnostics, cancellationToken);
            }
            diagnostics.RemoveAll(d => !DiagnosticDescriptors.IsFixable(d.Descriptor.Id));
            return diagnostics;
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
                    string name = kind.Function is { } function ? Activations.Of(function).Name : kind.Kind.ToString();
                    layers.Add(new LayerAttribute(data, kind.Kind, kind.Function, name, declaration, syntax.Span.Start, syntax));
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
            string[] path = namespaceParts.Concat(containerNames).Concat(new[] { type.Name }).ToArray();
            string hintName = string.Join(".", path) + ".g.cs";
            // One identifier per network, unique because '_' is doubled before '.' becomes '_'.
            string implementation = KnownNames.GeneratedNamespace + "." + Escape(string.Join("_", path.Select(p => p.Replace("_", "__"))));

            List<ParameterSpec> parameters = PlanParameters(layers);
            int parameterCount = parameters.Count == 0 ? 0 : parameters[parameters.Count - 1].Offset + parameters[parameters.Count - 1].Count;
            bool inRegisters = layers.All(l => l is LinearSpec or ActivationSpec or DropoutSpec) && layers.OfType<LinearSpec>().All(l => l.WeightCount <= UnrollLimit);
            layers = AssignBuffers(FuseReLUs(layers), inRegisters);

            return new NetworkSpec(
                ns,
                Escape(type.Name),
                new EquatableArray<ContainingTypeSpec>(containers),
                hintName,
                implementation,
                new EquatableArray<LayerSpec>(layers),
                new EquatableArray<ParameterSpec>(parameters),
                new EquatableArray<BufferSpec>(PlanBuffers(layers)),
                new EquatableArray<ProductSpec>(PlanProducts(layers, inRegisters)),
                layers[0].InFeatures,
                layers[layers.Count - 1].OutFeatures,
                parameterCount,
                inRegisters,
                new EquatableArray<StatisticSpec>(PlanStatistics(layers)),
                layers.OfType<BatchNormSpec>().Select(l => l.PerChannel).DefaultIfEmpty(0).Min(),
                !type.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString() == KnownNames.GeneratedCodeAttributeName));
        }

        private static string Keyword(INamedTypeSymbol type) => type.TypeKind switch
        {
            TypeKind.Struct => type.IsRecord ? "record struct" : "struct",
            TypeKind.Interface => "interface",
            _ => type.IsRecord ? "record" : "class",
        };

        private static (LayerKind Kind, ActivationFunction? Function)? KindOf(INamedTypeSymbol? attribute)
        {
            if (attribute is null || attribute.ContainingNamespace is not { Name: "CompiledNets" } ns || !ns.ContainingNamespace.IsGlobalNamespace)
            {
                return null;
            }
            return LayerAttributes.Find("CompiledNets." + attribute.MetadataName);
        }

        /// <summary>An identifier as C# code must spell it: keywords get a leading '@'.</summary>
        private static string Escape(string name) => SyntaxFacts.GetKeywordKind(name) != SyntaxKind.None ? "@" + name : name;

        internal static string FormatFloat(float value) => value.ToString("R", CultureInfo.InvariantCulture);

        private static LocationInfo? LocationOf(LayerAttribute layer, CancellationToken cancellationToken) =>
            LocationInfo.From(layer.Syntax.GetSyntax(cancellationToken).GetLocation());
    }
}
