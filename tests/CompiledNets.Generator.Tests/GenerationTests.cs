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
    public void Several_networks_in_one_file_each_gets_its_own_namespace_qualified_hint_name()
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
    public void Network_nested_in_a_network_both_are_generated()
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
    public void Container_kinds_are_reopened_with_their_keyword(string declaration, string keyword)
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
    public void Class_modifiers_and_user_members_are_kept(string declaration)
    {
        GeneratorRun run = GeneratorDriverHelper.Run($"using CompiledNets;\n\n[Linear(2, 3)]\n[ReLU]\n[Linear(3, 1)]\n{declaration}\n");

        GeneratorDriverHelper.AssertCompilesCleanly(run);
    }

    [Fact]
    public void Attribute_spellings_are_all_recognized_in_source_order()
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
        // The batched forward runs the layers in source order (the ReLU in the stores of the Linear before it).
        int[] positions =
        {
            source.IndexOf("Linear0Forward(batch);", StringComparison.Ordinal),
            source.IndexOf("(computed by layer 0's forward, which stores max(0, y) into this layer's output)", StringComparison.Ordinal),
            source.IndexOf("Linear2Forward(batch);", StringComparison.Ordinal),
            source.IndexOf("LeakyReLU3Forward(batch);", StringComparison.Ordinal),
            source.IndexOf("Linear4Forward(batch);", StringComparison.Ordinal),
        };
        Assert.All(positions, p => Assert.True(p >= 0));
        Assert.Equal(positions.Order(), positions);
        Assert.Contains("x * V.Create(0.5f)", source);
    }

    [Fact]
    public void Named_arguments_in_any_order_mean_their_parameters()
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
        Assert.Contains("public const int Weight0 = 0; // \"0.weight\" [3, 2]", source);
        Assert.Contains("x * V.Create(0.25f)", source);
    }

    [Fact]
    public void Layers_on_one_partial_declaration_of_several_are_generated()
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
    public void Names_differing_only_in_case_get_distinct_hint_names()
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
    public void Verbatim_keyword_namespace_is_generated()
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
    public void Verbatim_keyword_class_name_is_generated()
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
    public void File_local_class_is_refused_with_a_diagnostic_or_generated()
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
