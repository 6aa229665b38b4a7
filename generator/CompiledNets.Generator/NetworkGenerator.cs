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
/// of the five pipelines owns each class, so nothing is reported twice); <see cref="Emitter"/>
/// formats the spec into source.
/// </remarks>
[Generator(LanguageNames.CSharp)]
public sealed partial class NetworkGenerator : IIncrementalGenerator
{
    /// <inheritdoc/>
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        foreach (string attributeName in KnownNames.LayerAttributes)
        {
            // A class is found through each of its layer attributes; the parser keeps the result only
            // in the pipeline of the class's first layer attribute, so every class is handled once.
            IncrementalValuesProvider<ParseResult> results = context.SyntaxProvider
                .ForAttributeWithMetadataName(
                    attributeName,
                    static (node, _) => node is ClassDeclarationSyntax or RecordDeclarationSyntax,
                    (syntaxContext, cancellationToken) => Parser.Parse(syntaxContext, attributeName, cancellationToken))
                .WithTrackingName(TrackingNames.Parse)
                .Where(static result => result is not null)
                .Select(static (result, _) => result!)
                .WithTrackingName(TrackingNames.Networks);

            context.RegisterSourceOutput(results, static (productionContext, result) => Emit(productionContext, result));
        }
    }

    private static void Emit(SourceProductionContext context, ParseResult result)
    {
        foreach (DiagnosticInfo diagnostic in result.Diagnostics)
        {
            context.ReportDiagnostic(diagnostic.ToDiagnostic());
        }
        if (result.Network is { } network)
        {
            context.AddSource(network.HintName, Emitter.Emit(network));
        }
    }
}
