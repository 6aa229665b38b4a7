using System;
using System.Linq;
using Xunit;

namespace CompiledNets.Generator.Tests;

/// <summary>
/// Valid but less common declarations: several networks per file, hint names, containers, attribute
/// spellings, partial declarations. Each must generate code that compiles with no errors or warnings.
/// </summary>
public class GenerationTests
{
    [Fact]
    public void SeveralNetworksInOneFile_EachGetsItsOwnNamespaceQualifiedHintName()
    {
        GeneratorRun run = GeneratorDriverHelper.Run("""
            using CompiledNets;

            [Linear(2, 3)]
            internal partial class Net;

            namespace MyApp
            {
                [Linear(2, 3)]
                internal partial class Net;

                [Linear(4, 1)]
                internal partial class Other;

                internal partial class Outer
                {
                    [Linear(2, 3)]
                    internal partial class Net;
                }
            }

            namespace MyApp.Models
            {
                [Linear(2, 3)]
                internal partial class Net;
            }
            """);

        GeneratorDriverHelper.AssertCompilesCleanly(run);
        Assert.Equal(
            new[] { "MyApp.Models.Net.g.cs", "MyApp.Net.g.cs", "MyApp.Other.g.cs", "MyApp.Outer.Net.g.cs", "Net.g.cs" },
            run.GeneratedSources.Select(s => s.HintName).OrderBy(n => n, System.StringComparer.Ordinal));
    }

    [Fact]
    public void NetworkNestedInANetwork_BothAreGenerated()
    {
        GeneratorRun run = GeneratorDriverHelper.Run("""
            using CompiledNets;

            [Linear(2, 3)]
            internal partial class Outer
            {
                [Linear(3, 1)]
                internal partial class Net;
            }
            """);

        GeneratorDriverHelper.AssertCompilesCleanly(run);
        Assert.Equal(new[] { "Outer.Net.g.cs", "Outer.g.cs" }, run.GeneratedSources.Select(s => s.HintName).OrderBy(n => n, System.StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("partial struct", "struct")]
    [InlineData("partial record", "record")]
    [InlineData("partial record struct", "record struct")]
    [InlineData("partial interface", "interface")]
    [InlineData("static partial class", "class")]
    [InlineData("sealed partial class", "class")]
    public void ContainerKinds_AreReopenedWithTheirKeyword(string declaration, string keyword)
    {
        GeneratorRun run = GeneratorDriverHelper.Run($$"""
            using CompiledNets;

            namespace MyApp;

            internal {{declaration}} Outer
            {
                [Linear(2, 3)]
                internal partial class Net;
            }
            """);

        GeneratorDriverHelper.AssertCompilesCleanly(run);
        Assert.Contains($"partial {keyword} Outer\n", run.Source("MyApp.Outer.Net.g.cs"));
    }

    [Theory]
    [InlineData("internal sealed partial class Net;")]
    [InlineData("internal abstract partial class Net;")]
    [InlineData("public partial class Net { /// <summary>Convenience constructor.</summary>\n public Net() : this(seed: 0) { } }")]
    [InlineData("internal partial class Net : System.IDisposable { public void Dispose() { } }")]
    public void ClassModifiersAndUserMembers_AreKept(string declaration)
    {
        GeneratorRun run = GeneratorDriverHelper.Run($"using CompiledNets;\n\n[Linear(2, 3)]\n[ReLU]\n[Linear(3, 1)]\n{declaration}\n");

        GeneratorDriverHelper.AssertCompilesCleanly(run);
    }

    [Fact]
    public void AttributeSpellings_AreAllRecognized_InSourceOrder()
    {
        // One list, full names, a namespace-qualified name and a using alias all name layer attributes.
        GeneratorRun run = GeneratorDriverHelper.Run("""
            using L = CompiledNets.LinearAttribute;

            [L(2, 3), CompiledNets.ReLU, CompiledNets.LinearAttribute(3, 4)]
            [CompiledNets.LeakyReLUAttribute(negativeSlope: 0.5f)]
            [global::CompiledNets.Linear(4, 1)]
            internal partial class Net;
            """);

        GeneratorDriverHelper.AssertCompilesCleanly(run);
        string source = run.Source("Net.g.cs");
        // The batched forward runs the layers in source order.
        int[] positions =
        {
            source.IndexOf("Linear0Forward(batch);", StringComparison.Ordinal),
            source.IndexOf("ReLU1Forward(batch);", StringComparison.Ordinal),
            source.IndexOf("Linear2Forward(batch);", StringComparison.Ordinal),
            source.IndexOf("LeakyReLU3Forward(batch);", StringComparison.Ordinal),
            source.IndexOf("Linear4Forward(batch);", StringComparison.Ordinal),
        };
        Assert.All(positions, p => Assert.True(p >= 0));
        Assert.Equal(positions.Order(), positions);
        Assert.Contains("x * V.Create(0.5f)", source);
    }

    [Fact]
    public void NamedArguments_InAnyOrder_MeanTheirParameters()
    {
        GeneratorRun run = GeneratorDriverHelper.Run("""
            using CompiledNets;

            [Linear(outFeatures: 3, inFeatures: 2)]
            [LeakyReLU(negativeSlope: 0.25f)]
            [Linear(inFeatures: 3, outFeatures: 1)]
            internal partial class Net;
            """);

        GeneratorDriverHelper.AssertCompilesCleanly(run);
        string source = run.Source("Net.g.cs");
        Assert.Contains("public const int InputSize = 2;", source);
        Assert.Contains("protected const int Weight0 = 0; // \"0.weight\" [3, 2]", source);
        Assert.Contains("x * V.Create(0.25f)", source);
    }

    [Fact]
    public void LayersOnOnePartialDeclarationOfSeveral_AreGenerated()
    {
        GeneratorRun run = GeneratorDriverHelper.Run(
            """
            namespace MyApp;

            internal partial class Net
            {
                public override string ToString() => "a network";
            }
            """,
            """
            using CompiledNets;

            namespace MyApp;

            [Linear(2, 3)]
            [Tanh]
            [Linear(3, 1)]
            internal partial class Net;
            """);

        GeneratorDriverHelper.AssertCompilesCleanly(run);
        Assert.Equal(new[] { "MyApp.Net.g.cs" }, run.GeneratedSources.Select(s => s.HintName));
    }

    [Fact]
    public void NamesDifferingOnlyInCase_GetDistinctHintNames()
    {
        GeneratorRun run = GeneratorDriverHelper.Run("""
            using CompiledNets;

            namespace MyApp;

            [Linear(2, 3)]
            internal partial class Net;

            [Linear(2, 3)]
            internal partial class NET;
            """);

        GeneratorDriverHelper.AssertCompilesCleanly(run);
        Assert.Equal(2, run.GeneratedSources.Length);
    }

    [Fact]
    public void VerbatimKeywordNamespace_IsGenerated()
    {
        GeneratorRun run = GeneratorDriverHelper.Run("""
            using CompiledNets;

            namespace @event.Models;

            [Linear(2, 3)]
            internal partial class Net;
            """);

        GeneratorDriverHelper.AssertCompilesCleanly(run);
    }

    [Fact]
    public void VerbatimKeywordClassName_IsGenerated()
    {
        GeneratorRun run = GeneratorDriverHelper.Run("""
            using CompiledNets;

            namespace MyApp;

            [Linear(2, 3)]
            internal partial class @class;
            """);

        GeneratorDriverHelper.AssertCompilesCleanly(run);
    }

    [Fact]
    public void FileLocalClass_IsRefusedWithADiagnostic_OrGenerated()
    {
        GeneratorRun run = GeneratorDriverHelper.Run("""
            using CompiledNets;

            namespace MyApp;

            [Linear(2, 3)]
            file partial class Net;

            file static class Use
            {
                public static int Size() => Net.InputSize + new Net(seed: 1).Parameters.Length;
            }
            """);

        // A file-local type cannot be extended from another file, so either outcome is acceptable:
        // an error diagnostic and no file, or generated members the class can use.
        bool refused = run.NetworkDiagnostics.Any(d => d.Severity == Microsoft.CodeAnalysis.DiagnosticSeverity.Error) && run.GeneratedSources.IsEmpty;
        bool generated = run.CompilationErrors.IsEmpty && !run.GeneratedSources.IsEmpty;
        Assert.True(refused || generated, GeneratorDriverHelper.Describe(run.NetworkDiagnostics.Concat(run.CompilationErrors)));
    }
}
