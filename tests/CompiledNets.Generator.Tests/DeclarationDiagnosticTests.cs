using System.Globalization;
using System.Linq;
using Microsoft.CodeAnalysis;
using Xunit;
using static CompiledNets.Generator.Tests.DiagnosticTests;

namespace CompiledNets.Generator.Tests;

/// <summary>
/// Declarations the generated members cannot be added to (CN0013…CN0019): each is reported on the class name, the
/// member or the parameter list at fault, and nothing is generated, so no error appears inside generated code.
/// Declarations close to them that are fine compile without a diagnostic.
/// </summary>
public class DeclarationDiagnosticTests
{
    [Theory]
    [InlineData("InputSize", "the constant InputSize")]
    [InlineData("Layers", "the static property Layers")]
    [InlineData("Parameters", "the property Parameters")]
    [InlineData("Forward", "the method Forward(ReadOnlySpan<float>, Span<float>)")]
    [InlineData("Predict", "the method Predict(ReadOnlySpan<float>, Span<float>)")]
    public void CN0013_a_class_named_like_a_generated_member_points_at_the_class_name(string name, string member)
    {
        var source = new MarkedSource($$"""
            using CompiledNets;

            namespace MyApp;

            [Linear(2, 3)]
            internal partial class [|{{name}}|];
            """);

        GeneratorRun run = GeneratorDriverHelper.Run(source.Text);

        Diagnostic diagnostic = Assert.Single(run.NetworkDiagnostics);
        AssertReported(diagnostic, "CN0013", DiagnosticSeverity.Error,
            $"The network class '{name}' has the name of a member the generator adds to it ({member}), and C# forbids a member named like its class; " +
            $"rename the class, for example to '{name}Net'");
        AssertSquiggle(diagnostic, source, name, line: 6, column: 24);
        AssertFailedCleanly(run);
    }

    [Fact]
    public void CN0014_members_that_duplicate_generated_ones_are_each_reported_where_declared()
    {
        var source = new MarkedSource("""
            using System;
            using CompiledNets;

            namespace MyApp;

            [Linear(2, 3)]
            internal partial class Net
            {
                public const int [|InputSize|] = 2;
                public void [|Forward|](ReadOnlySpan<float> input, Span<float> output) { }
                public [|Net|](int width) { }
                public int [|Layers|]() => 1;
            }
            """);

        GeneratorRun run = GeneratorDriverHelper.Run(source.Text);

        Assert.Equal(
            [
                "The network 'Net' declares 'InputSize', but the generator adds the constant InputSize to every network; rename or remove 'InputSize'",
                "The network 'Net' declares 'Forward(ReadOnlySpan<float>, Span<float>)', but the generator adds the method Forward(ReadOnlySpan<float>, Span<float>) to every network; rename or remove 'Forward(ReadOnlySpan<float>, Span<float>)'",
                "The network 'Net' declares 'Net(int)', but the generator adds the constructor Net(int seed) to every network; rename or remove 'Net(int)'",
                "The network 'Net' declares 'Layers()', but the generator adds the static property Layers to every network; rename or remove 'Layers()'",
            ],
            run.NetworkDiagnostics.Select(d => d.GetMessage(CultureInfo.InvariantCulture)));
        for (int i = 0; i < 4; i++)
        {
            Assert.Equal("CN0014", run.NetworkDiagnostics[i].Id);
            AssertSquiggle(run.NetworkDiagnostics[i], source, source.Spans[i], source.Text.Substring(source.Spans[i].Start, source.Spans[i].Length),
                line: 9 + i, column: source.Text.Split('\n')[8 + i].IndexOf(source.Text.Substring(source.Spans[i].Start, source.Spans[i].Length), System.StringComparison.Ordinal) + 1);
        }
        AssertFailedCleanly(run);
    }

    [Fact]
    public void CN0015_a_primary_constructor_points_at_its_parameter_list()
    {
        var source = new MarkedSource("""
            using CompiledNets;

            namespace MyApp;

            [Linear(2, 3)]
            internal partial class Net[|(int hidden)|];
            """);

        GeneratorRun run = GeneratorDriverHelper.Run(source.Text);

        Diagnostic diagnostic = Assert.Single(run.NetworkDiagnostics);
        AssertReported(diagnostic, "CN0015", DiagnosticSeverity.Error,
            "The network 'Net' has a primary constructor; the generator adds the constructor Net(int seed), which cannot chain to it: " +
            "remove the parameter list and declare other constructors as 'Net(…) : this(seed)'");
        AssertSquiggle(diagnostic, source, "(int hidden)", line: 6, column: 27);
        AssertFailedCleanly(run);
    }

    [Fact]
    public void CN0016_a_network_derived_from_a_network_points_at_the_derived_class()
    {
        var source = new MarkedSource("""
            using CompiledNets;

            namespace MyApp;

            [Linear(2, 3)]
            public partial class Small;

            [Linear(2, 3)]
            [ReLU]
            [Linear(3, 1)]
            public partial class [|Bigger|] : Small;
            """);

        GeneratorRun run = GeneratorDriverHelper.Run(source.Text);

        Diagnostic diagnostic = Assert.Single(run.NetworkDiagnostics);
        AssertReported(diagnostic, "CN0016", DiagnosticSeverity.Error,
            "The network 'Bigger' derives from the network 'Small'; a network holds its own layers and parameters, so declare every layer on one class " +
            "(or hold the other network in a field)");
        AssertSquiggle(diagnostic, source, "Bigger", line: 11, column: 22);
        // The base network is fine and still generated; the derived one is not.
        Assert.Equal(["MyApp.Small.g.cs"], run.GeneratedSources.Select(s => s.HintName));
        Assert.Null(run.Exception);
    }

    [Theory]
    [InlineData("public class Base(string name);")]
    [InlineData("public class Base { private Base() { } public Base(int size) { } }")]
    public void CN0017_a_base_class_without_an_accessible_parameterless_constructor_is_reported(string baseDeclaration)
    {
        var source = new MarkedSource($$"""
            using CompiledNets;

            namespace MyApp;

            {{baseDeclaration}}

            [Linear(2, 3)]
            public partial class [|Net|] : Base;
            """);

        GeneratorRun run = GeneratorDriverHelper.Run(source.Text);

        Diagnostic diagnostic = Assert.Single(run.NetworkDiagnostics);
        AssertReported(diagnostic, "CN0017", DiagnosticSeverity.Error,
            "The network 'Net' derives from 'Base', which has no accessible constructor without arguments for the generated constructor Net(int seed) to call; " +
            "give 'Base' one, or derive from another class");
        AssertSquiggle(diagnostic, source, "Net", line: 8, column: 22);
        AssertFailedCleanly(run);
    }

    [Fact]
    public void CN0018_inherited_members_the_generated_ones_would_hide_are_reported_on_the_class()
    {
        var source = new MarkedSource("""
            using System;
            using CompiledNets;

            namespace MyApp;

            public class Model
            {
                public virtual int Parameters => 0;
                protected void Backward(ReadOnlySpan<float> gradient) { }
                private void Forward(ReadOnlySpan<float> inputs) { }
                public void Backward(float[] gradient) { }
            }

            [Linear(2, 3)]
            public partial class [|Net|] : Model;
            """);

        GeneratorRun run = GeneratorDriverHelper.Run(source.Text);

        Assert.Equal(
            [
                "The network 'Net' inherits 'Parameters' from 'Model', which the property Parameters would hide; rename it in 'Model', or derive from another class",
                "The network 'Net' inherits 'Backward(ReadOnlySpan<float>)' from 'Model', which the method Backward(ReadOnlySpan<float>) would hide; " +
                "rename it in 'Model', or derive from another class",
            ],
            run.NetworkDiagnostics.Select(d => d.GetMessage(CultureInfo.InvariantCulture)));
        Assert.All(run.NetworkDiagnostics, d => AssertSquiggle(d, source, "Net", line: 15, column: 22));
        Assert.All(run.NetworkDiagnostics, d => Assert.Equal("CN0018", d.Id));
        AssertFailedCleanly(run);
    }

    [Fact]
    public void CN0019_a_network_nested_in_a_file_local_class_points_at_the_network()
    {
        var source = new MarkedSource("""
            using CompiledNets;

            namespace MyApp;

            file partial class Outer
            {
                [Linear(2, 3)]
                internal partial class [|Net|];
            }
            """);

        GeneratorRun run = GeneratorDriverHelper.Run(source.Text);

        Diagnostic diagnostic = Assert.Single(run.NetworkDiagnostics);
        AssertReported(diagnostic, "CN0019", DiagnosticSeverity.Error,
            "The network 'Net' is nested in the file-local type 'Outer', which the generated file cannot see; move the network out of 'Outer', or remove 'file' from 'Outer'");
        AssertSquiggle(diagnostic, source, "Net", line: 8, column: 28);
        AssertFailedCleanly(run);
    }

    [Theory]
    [InlineData("internal partial class Padding;")]
    [InlineData("internal partial class Network;")]
    [InlineData("internal partial class Workspace;")]
    [InlineData("internal partial class Kernels;")]
    [InlineData("internal partial class Simd512;")]
    [InlineData("internal partial class V;")]
    [InlineData("internal partial class Net { public void Forward(float[] inputs) { } public Net() : this(7) { } public static int Backward() => 0; }")]
    [InlineData("internal partial class Net : Base; public abstract class Base { protected Base(int size = 3) { } public void Layer() { } private int Parameters => 1; }")]
    [InlineData("internal partial class Net : System.Collections.Generic.List<int>;")]
    [InlineData("[System.CodeDom.Compiler.GeneratedCode(\"MyTool\", \"1.0\")] internal partial class Net;")]
    public void Declarations_near_the_refused_ones_generate_code_that_compiles(string declaration)
    {
        GeneratorRun run = GeneratorDriverHelper.Run($"using CompiledNets;\n\nnamespace MyApp;\n\n[Linear(2, 3)] [ReLU] [Linear(3, 2)]\n{declaration}\n");

        Assert.Empty(run.NetworkDiagnostics);
        Assert.Null(run.Exception);
        Assert.Single(run.GeneratedSources);
        Assert.Empty(run.CompilationErrors);
        Assert.Empty(run.CompilationDiagnostics.Where(d => d.Severity >= DiagnosticSeverity.Warning && d.Location.SourceTree?.FilePath.EndsWith(".g.cs") == true));
    }

    [Fact]
    public void The_list_of_generated_members_matches_what_the_generator_emits()
    {
        GeneratorRun run = GeneratorDriverHelper.Run("using CompiledNets;\n\nnamespace MyApp;\n\n[Linear(2, 3)] [ReLU] [Linear(3, 2)]\npublic partial class Net;\n");
        INamedTypeSymbol net = run.OutputCompilation.GetTypeByMetadataName("MyApp.Net")!;
        string[] emitted = net.GetMembers()
            .Where(m => !m.IsImplicitlyDeclared && m is not IMethodSymbol { MethodKind: not MethodKind.Ordinary } && !m.Name.Contains('.'))
            .Select(m => m.Name).Distinct().OrderBy(n => n, System.StringComparer.Ordinal).ToArray();
        var listed = (System.Collections.IEnumerable)typeof(NetworkGenerator).Assembly.GetType("CompiledNets.Generator.KnownNames")!
            .GetField("GeneratedMembers")!.GetValue(null)!;
        string[] names = listed.Cast<object>().Select(m => (string)m.GetType().GetProperty("Name")!.GetValue(m)!)
            .Distinct().OrderBy(n => n, System.StringComparer.Ordinal).ToArray();

        Assert.Equal(emitted, names);
        Assert.Contains(net.InstanceConstructors, c => c.Parameters.Length == 1 && c.Parameters[0].Type.SpecialType == SpecialType.System_Int32);
    }
}
