using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using CompiledNets.Generator;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace CompiledNets.CodeFixes;

/// <summary>
/// Fixes a layer diagnostic by rewriting one argument of the offending attribute, as the diagnostic says
/// ("use Linear(20, 2)"): the analyzer puts the argument's position and the value into the diagnostic's properties,
/// so the fix computes nothing and always agrees with the message. An argument given by name keeps its name.
/// A rename (CN0029: "use Conv2d") rewrites the attribute's name the same way, its arguments kept.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(AttributeArgumentFixProvider)), Shared]
public sealed class AttributeArgumentFixProvider : CodeFixProvider
{
    /// <summary>The equivalence key of every fix this provider offers.</summary>
    public const string EquivalenceKey = "CompiledNets.RewriteAttributeArgument";

    /// <inheritdoc/>
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = DiagnosticDescriptors.Rewrites.Keys.Concat(DiagnosticDescriptors.Renames.Keys).ToImmutableArray();

    /// <inheritdoc/>
    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    /// <inheritdoc/>
    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        SyntaxNode? root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null)
        {
            return;
        }
        foreach (Diagnostic diagnostic in context.Diagnostics)
        {
            if (Rewrite(root, diagnostic) is not { } rewrite)
            {
                continue;
            }
            string title = diagnostic.Properties.TryGetValue(DiagnosticDescriptors.RewriteName, out string? name) && name is not null
                ? $"Use {name}"
                : $"Use {rewrite.Replacement.ToString().Trim()}";
            context.RegisterCodeFix(
                // One key for every rewrite, so "fix all" applies all of a document's or project's at once.
                CodeAction.Create(title, _ => Task.FromResult(context.Document.WithSyntaxRoot(root.ReplaceNode(rewrite.Attribute, rewrite.Replacement))), equivalenceKey: EquivalenceKey),
                diagnostic);
        }
    }

    /// <summary>The attribute the diagnostic is on and the same attribute with its argument rewritten (or its name); null if they cannot be found.</summary>
    private static (AttributeSyntax Attribute, AttributeSyntax Replacement)? Rewrite(SyntaxNode root, Diagnostic diagnostic)
    {
        if (diagnostic.Properties.TryGetValue(DiagnosticDescriptors.RewriteName, out string? name) && name is not null)
        {
            return Attribute(root, diagnostic) is { } named ? (named, Rename(named, name)) : null;
        }
        if (!diagnostic.Properties.TryGetValue(DiagnosticDescriptors.RewriteArgument, out string? position)
            || !int.TryParse(position, out int index)
            || !diagnostic.Properties.TryGetValue(DiagnosticDescriptors.RewriteValue, out string? value)
            || value is null)
        {
            return null;
        }
        AttributeSyntax? attribute = Attribute(root, diagnostic);
        if (attribute?.ArgumentList is not { } arguments)
        {
            return null;
        }
        // The argument that binds to the parameter: the one naming it, else the one at its position when every argument
        // before it is positional (C# binds named arguments by name, whatever their order).
        diagnostic.Properties.TryGetValue(DiagnosticDescriptors.RewriteParameter, out string? parameter);
        AttributeArgumentSyntax? argument = arguments.Arguments.FirstOrDefault(a => a.NameColon?.Name.Identifier.ValueText == parameter);
        if (argument is null)
        {
            if (index >= arguments.Arguments.Count || arguments.Arguments.Take(index + 1).Any(a => a.NameColon is not null || a.NameEquals is not null))
            {
                return null;
            }
            argument = arguments.Arguments[index];
        }
        ExpressionSyntax replacement = SyntaxFactory.ParseExpression(value).WithTriviaFrom(argument.Expression);
        return (attribute, attribute.ReplaceNode(argument.Expression, replacement));
    }

    private static AttributeSyntax? Attribute(SyntaxNode root, Diagnostic diagnostic) =>
        root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true).AncestorsAndSelf().OfType<AttributeSyntax>().FirstOrDefault();

    /// <summary>
    /// The attribute under its new name, arguments and trivia kept; a qualified name keeps its qualifier and a name
    /// written with the <c>Attribute</c> suffix keeps the suffix.
    /// </summary>
    private static AttributeSyntax Rename(AttributeSyntax attribute, string name)
    {
        SimpleNameSyntax simple = attribute.Name switch
        {
            QualifiedNameSyntax qualified => qualified.Right,
            AliasQualifiedNameSyntax alias => alias.Name,
            var other => (SimpleNameSyntax)other,
        };
        string written = simple.Identifier.ValueText.EndsWith("Attribute", System.StringComparison.Ordinal) ? name + "Attribute" : name;
        SimpleNameSyntax renamed = SyntaxFactory.IdentifierName(written).WithTriviaFrom(simple);
        return attribute.ReplaceNode(simple, renamed);
    }
}
