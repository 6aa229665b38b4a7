using System.Collections.Generic;
using System.Linq;
using System.Threading;
using CompiledNets.Generator.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace CompiledNets.Generator;

public sealed partial class NetworkGenerator
{
    internal static partial class Parser
    {
        /// <summary>
        /// Checks that the members the generator adds fit the class as declared: no name taken by the class itself,
        /// its own members or inherited ones (CN0013, CN0014, CN0018), no primary constructor (CN0015), a base class that
        /// is not a network and can be constructed without arguments (CN0016, CN0017), and no file-local container (CN0019).
        /// Each problem would otherwise surface as compiler errors inside the generated file.
        /// </summary>
        private static void CheckDeclaration(
            INamedTypeSymbol type, Compilation compilation, List<DiagnosticInfo> diagnostics, LocationInfo? identifier, CancellationToken cancellationToken)
        {
            foreach (KnownNames.GeneratedMember member in KnownNames.GeneratedMembers.Where(m => m.Name == type.Name).Take(1))
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.ClassNamedLikeGeneratedMember, identifier, type.Name, member.Description));
            }
            CheckOwnMembers(type, diagnostics, cancellationToken);
            CheckPrimaryConstructor(type, diagnostics, cancellationToken);
            CheckBase(type, compilation, diagnostics, identifier);

            for (INamedTypeSymbol? container = type.ContainingType; container is not null; container = container.ContainingType)
            {
                if (container.IsFileLocal)
                {
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.NestedInFileLocalType, identifier, type.Name, container.Name));
                }
            }
        }

        /// <summary>Members written in the class (any partial declaration) that a generated member would duplicate.</summary>
        private static void CheckOwnMembers(INamedTypeSymbol type, List<DiagnosticInfo> diagnostics, CancellationToken cancellationToken)
        {
            foreach (ISymbol member in type.GetMembers())
            {
                if (member.IsImplicitlyDeclared || member.Locations.FirstOrDefault(l => l.IsInSource) is not { } location)
                {
                    continue;
                }
                if (member is IMethodSymbol { MethodKind: MethodKind.Constructor } constructor)
                {
                    // A primary constructor is CN0015's; any other one taking one int duplicates the generated one.
                    if (constructor.DeclaringSyntaxReferences.Any(r => r.GetSyntax(cancellationToken) is TypeDeclarationSyntax))
                    {
                        continue;
                    }
                    if (constructor.Parameters.Length == 1 && constructor.Parameters[0].Type.SpecialType == SpecialType.System_Int32)
                    {
                        diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.MemberNamedLikeGeneratedMember, LocationInfo.From(location),
                            type.Name, $"{type.Name}(int)", $"the constructor {type.Name}(int seed)"));
                    }
                    continue;
                }
                if (Clash(member) is { } generated)
                {
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.MemberNamedLikeGeneratedMember, LocationInfo.From(location),
                        type.Name, Describe(member), generated.Description));
                }
            }
        }

        private static void CheckPrimaryConstructor(INamedTypeSymbol type, List<DiagnosticInfo> diagnostics, CancellationToken cancellationToken)
        {
            foreach (SyntaxReference reference in type.DeclaringSyntaxReferences)
            {
                if (reference.GetSyntax(cancellationToken) is TypeDeclarationSyntax { ParameterList: { } parameters })
                {
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.PrimaryConstructor, LocationInfo.From(parameters.GetLocation()), type.Name));
                }
            }
        }

        /// <summary>A base class other than object: not a network, constructible without arguments, hiding nothing.</summary>
        private static void CheckBase(INamedTypeSymbol type, Compilation compilation, List<DiagnosticInfo> diagnostics, LocationInfo? identifier)
        {
            INamedTypeSymbol? baseType = type.BaseType;
            if (baseType is null || baseType.SpecialType == SpecialType.System_Object || baseType.TypeKind == TypeKind.Error)
            {
                return;
            }
            string baseName = baseType.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat);
            if (IsNetwork(baseType))
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.DerivesFromNetwork, identifier, type.Name, baseName));
                return;
            }
            // The generated constructor calls base() implicitly, which binds to a constructor whose parameters are all optional.
            bool constructible = baseType.InstanceConstructors.Any(c =>
                c.Parameters.All(p => p.IsOptional || p.IsParams) && compilation.IsSymbolAccessibleWithin(c, type));
            if (!constructible)
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.BaseWithoutParameterlessConstructor, identifier, type.Name, baseName));
            }
            for (INamedTypeSymbol? ancestor = baseType; ancestor is not null && ancestor.SpecialType != SpecialType.System_Object; ancestor = ancestor.BaseType)
            {
                foreach (ISymbol member in ancestor.GetMembers())
                {
                    if (!member.IsImplicitlyDeclared && member is not IMethodSymbol { MethodKind: not MethodKind.Ordinary }
                        && compilation.IsSymbolAccessibleWithin(member, type) && Clash(member) is { } generated)
                    {
                        diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InheritsGeneratedMember, identifier,
                            type.Name, Describe(member), ancestor.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat), generated.Description));
                    }
                }
            }
        }

        /// <summary>A class the generator made a network of (layer attributes), or any class implementing INetwork.</summary>
        private static bool IsNetwork(INamedTypeSymbol type) =>
            type.AllInterfaces.Any(i => i.ToDisplayString() == KnownNames.INetworkName)
            || type.GetAttributes().Any(a => KindOf(a.AttributeClass) is not null);

        /// <summary>The generated member that <paramref name="member"/> would collide with or be hidden by, if any.</summary>
        private static KnownNames.GeneratedMember? Clash(ISymbol member)
        {
            foreach (KnownNames.GeneratedMember generated in KnownNames.GeneratedMembers)
            {
                if (generated.Name != member.Name)
                {
                    continue;
                }
                // A method clashes with a generated method only with the same parameter types: other overloads are fine.
                if (member is IMethodSymbol method && generated.Parameters is { } parameters
                    && !method.Parameters.Select(p => p.Type.ToDisplayString()).SequenceEqual(parameters))
                {
                    continue;
                }
                return generated;
            }
            return null;
        }

        private static string Describe(ISymbol member) => member is IMethodSymbol method
            ? $"{member.Name}({string.Join(", ", method.Parameters.Select(p => p.Type.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat)))})"
            : member.Name;
    }
}
