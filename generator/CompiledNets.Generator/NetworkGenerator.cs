using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using CompiledNets.Generator.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace CompiledNets.Generator;

/// <summary>
/// Turns a partial class carrying layer attributes (<c>[Linear(10, 20)] [ReLU] [Linear(20, 2)]</c>)
/// into forward and backward code specialized to those shapes.
/// </summary>
/// <remarks>
/// Pipeline: one <c>ForAttributeWithMetadataName</c> per layer attribute finds candidate classes;
/// <see cref="Parser"/> checks the declaration and computes a <see cref="NetworkSpec"/> (exactly one
/// of the five pipelines owns each class, so nothing is reported twice). The results are gathered
/// into two outputs: the source, from the equatable specs alone (so it stays cached across edits that
/// do not change a network), and the diagnostics, which are given back their syntax trees so that
/// <c>#pragma warning disable</c> can suppress them.
/// </remarks>
[Generator(LanguageNames.CSharp)]
public sealed partial class NetworkGenerator : IIncrementalGenerator
{
    /// <inheritdoc/>
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        IncrementalValueProvider<EquatableArray<ParseResult>> all = default;
        bool first = true;
        foreach (string attributeName in LayerAttributes.All)
        {
            // A class is found through each of its layer attributes; the parser keeps the result only
            // in the pipeline of the class's first layer attribute, so every class is handled once.
            IncrementalValueProvider<EquatableArray<ParseResult>> results = context.SyntaxProvider
                .ForAttributeWithMetadataName(
                    attributeName,
                    static (node, _) => node is ClassDeclarationSyntax or RecordDeclarationSyntax,
                    (syntaxContext, cancellationToken) => Parser.Parse(syntaxContext, attributeName, cancellationToken))
                .WithTrackingName(TrackingNames.Parse)
                .Where(static result => result is not null)
                .Select(static (result, _) => result!)
                .WithTrackingName(TrackingNames.Networks)
                .Collect()
                .Select(static (results, _) => new EquatableArray<ParseResult>(results));
            all = first
                ? results
                : all.Combine(results).Select(static (pair, _) => new EquatableArray<ParseResult>(pair.Left.Concat(pair.Right)));
            first = false;
        }

        IncrementalValueProvider<EquatableArray<NetworkSpec>> networks = all
            .Select(static (results, _) => HintNames.MakeUnique(results.Select(r => r.Network).OfType<NetworkSpec>()))
            .WithTrackingName(TrackingNames.Sources);
        context.RegisterSourceOutput(networks, static (productionContext, specs) =>
        {
            foreach (NetworkSpec network in specs)
            {
                productionContext.AddSource(network.HintName, Emitter.Emit(network));
            }
        });

        // Diagnostics are located in the compilation's own syntax trees: a location made from a file
        // path alone is "external" and escapes #pragma suppression (dotnet/roslyn#68291).
        IncrementalValueProvider<EquatableArray<Diagnostic>> diagnostics = all
            .Select(static (results, _) => new EquatableArray<DiagnosticInfo>(results.SelectMany(r => r.Diagnostics)))
            .Combine(context.CompilationProvider)
            .Select(static (pair, cancellationToken) => Locate(pair.Left, pair.Right, cancellationToken))
            .WithTrackingName(TrackingNames.Diagnostics);
        context.RegisterSourceOutput(diagnostics, static (productionContext, found) =>
        {
            foreach (Diagnostic diagnostic in found)
            {
                productionContext.ReportDiagnostic(diagnostic);
            }
        });
    }

    private static EquatableArray<Diagnostic> Locate(EquatableArray<DiagnosticInfo> infos, Compilation compilation, System.Threading.CancellationToken cancellationToken)
    {
        if (infos.Count == 0)
        {
            return EquatableArray<Diagnostic>.Empty;
        }
        var trees = new Dictionary<string, SyntaxTree>(StringComparer.Ordinal);
        foreach (SyntaxTree tree in compilation.SyntaxTrees)
        {
            trees[tree.FilePath] = tree;
        }
        var diagnostics = new List<Diagnostic>(infos.Count);
        foreach (DiagnosticInfo info in infos)
        {
            cancellationToken.ThrowIfCancellationRequested();
            // NetworkAnalyzer reports these, so the IDE can offer their fix; the generator only declines to generate.
            if (DiagnosticDescriptors.IsFixable(info.Descriptor.Id))
            {
                continue;
            }
            Location? location = info.Location is { } where && trees.TryGetValue(where.FilePath, out SyntaxTree? tree) && where.TextSpan.End <= tree.Length
                ? Location.Create(tree, where.TextSpan)
                : info.Location?.ToLocation();
            diagnostics.Add(Diagnostic.Create(info.Descriptor, location, info.MessageArgs.ToArray<object>()));
        }
        return new EquatableArray<Diagnostic>(diagnostics);
    }
}
