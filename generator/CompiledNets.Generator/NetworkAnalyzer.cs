using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using CompiledNets.Generator.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace CompiledNets.Generator;

/// <summary>
/// Reports the layer diagnostics whose fix is a rewrite of the offending attribute (CN0001: a Linear whose inFeatures
/// differs from what the layer before produces; CN0029: a Conv1d given images, renamed Conv2d), with the rewrite in the diagnostic's properties, so the IDE offers
/// the code fix of <c>CompiledNets.CodeFixes</c>: Visual Studio and Roslyn's code-fix engine only ask analyzers for
/// fixable diagnostics, never generators. The checks are the generator's own (the same parser), and the generator
/// reports every other diagnostic.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class NetworkAnalyzer : DiagnosticAnalyzer
{
    private static readonly ImmutableArray<DiagnosticDescriptor> Rewritable = ImmutableArray.Create(
        DiagnosticDescriptors.LinearInputMismatch, DiagnosticDescriptors.FlattenLinearMismatch, DiagnosticDescriptors.ConvolutionChannelMismatch,
        DiagnosticDescriptors.BatchNormSizeMismatch, DiagnosticDescriptors.WrongSampleShape);

    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => Rewritable;

    /// <inheritdoc/>
    public override void Initialize(AnalysisContext context)
    {
        // A network in a file the compiler deems generated still needs its errors: the generator leaves them to this analyzer.
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.Analyze | GeneratedCodeAnalysisFlags.ReportDiagnostics);
        context.EnableConcurrentExecution();
        context.RegisterSymbolAction(Analyze, SymbolKind.NamedType);
    }

    private static void Analyze(SymbolAnalysisContext context)
    {
        if (context.Symbol is not INamedTypeSymbol { TypeKind: TypeKind.Class } type)
        {
            return;
        }
        List<DiagnosticInfo> found = NetworkGenerator.Parser.RewritableDiagnostics(type, context.CancellationToken);
        foreach (DiagnosticInfo info in found)
        {
            var properties = ImmutableDictionary<string, string?>.Empty;
            if (DiagnosticDescriptors.Renames.TryGetValue(info.Descriptor.Id, out int name))
            {
                properties = properties.Add(DiagnosticDescriptors.RewriteName, info.MessageArgs[name]);
            }
            else
            {
                (int argument, string parameter, int messageArgument) = DiagnosticDescriptors.Rewrites[info.Descriptor.Id];
                properties = properties
                    .Add(DiagnosticDescriptors.RewriteArgument, argument.ToString(System.Globalization.CultureInfo.InvariantCulture))
                    .Add(DiagnosticDescriptors.RewriteParameter, parameter)
                    .Add(DiagnosticDescriptors.RewriteValue, info.MessageArgs[messageArgument]);
            }
            context.ReportDiagnostic(Diagnostic.Create(info.Descriptor, Locate(info, type), properties, info.MessageArgs.ToArray<object>()));
        }
    }

    /// <summary>The location in the class's own syntax tree (so <c>#pragma</c> and the IDE find it).</summary>
    private static Location? Locate(DiagnosticInfo info, INamedTypeSymbol type)
    {
        if (info.Location is not { } where)
        {
            return null;
        }
        SyntaxTree? tree = type.DeclaringSyntaxReferences.Select(r => r.SyntaxTree).FirstOrDefault(t => t.FilePath == where.FilePath);
        return tree is not null && where.TextSpan.End <= tree.Length ? Location.Create(tree, where.TextSpan) : where.ToLocation();
    }
}
