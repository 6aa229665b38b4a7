using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;
using Xunit;

namespace CompiledNets.Generator.Tests;

/// <summary>
/// Every diagnostic the generator reports (CN0001…CN0019; the declaration checks CN0013…CN0019 in detail in DeclarationDiagnosticTests): exact ID, severity, rendered message and
/// squiggle. Layer problems point at the offending attribute, class problems at the class name.
/// Also: bad input never makes the generator throw, never produces a file, and is reported once.
/// </summary>
/// <remarks>
/// Sources mark the expected squiggle with <c>[|...|]</c> (see <see cref="MarkedSource"/>); each test also
/// spells out the squiggled text and its 1-based line and column, as the compiler prints them.
/// </remarks>
public class DiagnosticTests
{
    [Fact]
    public void CN0001_linear_input_mismatch_points_at_the_linear_that_does_not_fit()
    {
        var source = new MarkedSource("""
            using CompiledNets;

            namespace MyApp;

            [Linear(10, 20)]
            [ReLU]
            [[|Linear(30, 2)|]]
            internal partial class Net;
            """);

        GeneratorRun run = GeneratorDriverHelper.Run(source.Text);

        Diagnostic diagnostic = Assert.Single(run.NetworkDiagnostics);
        AssertReported(diagnostic, "CN0001", DiagnosticSeverity.Error,
            "Linear(30, 2) expects 30 inputs but the previous layer produces 20; use Linear(20, 2)");
        AssertSquiggle(diagnostic, source, "Linear(30, 2)", line: 7, column: 2);
        AssertFailedCleanly(run);
    }

    [Fact]
    public void CN0001_every_mismatch_is_reported_against_the_size_the_layer_before_declares()
    {
        var source = new MarkedSource("""
            using CompiledNets;

            [Linear(10, 20)]
            [[|Linear(30, 2)|]]
            [[|Linear(5, 1)|]]
            internal partial class Net;
            """);

        GeneratorRun run = GeneratorDriverHelper.Run(source.Text);

        Assert.Equal(2, run.NetworkDiagnostics.Length);
        AssertReported(run.NetworkDiagnostics[0], "CN0001", DiagnosticSeverity.Error,
            "Linear(30, 2) expects 30 inputs but the previous layer produces 20; use Linear(20, 2)");
        AssertSquiggle(run.NetworkDiagnostics[0], source, source.Spans[0], "Linear(30, 2)", line: 4, column: 2);
        AssertReported(run.NetworkDiagnostics[1], "CN0001", DiagnosticSeverity.Error,
            "Linear(5, 1) expects 5 inputs but the previous layer produces 2; use Linear(2, 1)");
        AssertSquiggle(run.NetworkDiagnostics[1], source, source.Spans[1], "Linear(5, 1)", line: 5, column: 2);
        AssertFailedCleanly(run);
    }

    [Fact]
    public void CN0002_non_positive_size_names_the_argument_and_its_value()
    {
        var source = new MarkedSource("""
            using CompiledNets;

            namespace MyApp;

            [[|Linear(0, 5)|]]
            [ReLU]
            [Linear(5, 2)]
            internal partial class Net;
            """);

        GeneratorRun run = GeneratorDriverHelper.Run(source.Text);

        Diagnostic diagnostic = Assert.Single(run.NetworkDiagnostics);
        AssertReported(diagnostic, "CN0002", DiagnosticSeverity.Error,
            "Linear(0, 5): inFeatures must be at least 1 but is 0");
        AssertSquiggle(diagnostic, source, "Linear(0, 5)", line: 5, column: 2);
        AssertFailedCleanly(run);
    }

    [Fact]
    public void CN0002_both_sizes_bad_reports_each_and_the_next_layer_is_not_also_blamed()
    {
        // The layer after an invalid one has no known input size, so it gets no CN0001 on top.
        var source = new MarkedSource("""
            using CompiledNets;

            [[|Linear(0, -3)|]]
            [Linear(7, 2)]
            internal partial class Net;
            """);

        GeneratorRun run = GeneratorDriverHelper.Run(source.Text);

        Assert.Equal(new[] { "CN0002", "CN0002" }, run.NetworkDiagnostics.Select(d => d.Id));
        AssertReported(run.NetworkDiagnostics[0], "CN0002", DiagnosticSeverity.Error,
            "Linear(0, -3): inFeatures must be at least 1 but is 0");
        AssertReported(run.NetworkDiagnostics[1], "CN0002", DiagnosticSeverity.Error,
            "Linear(0, -3): outFeatures must be at least 1 but is -3");
        Assert.All(run.NetworkDiagnostics, d => AssertSquiggle(d, source, "Linear(0, -3)", line: 3, column: 2));
        AssertFailedCleanly(run);
    }

    [Fact]
    public void CN0003_not_partial_points_at_the_class_name()
    {
        var source = new MarkedSource("""
            using CompiledNets;

            namespace MyApp;

            [Linear(2, 3)]
            internal class [|Net|];
            """);

        GeneratorRun run = GeneratorDriverHelper.Run(source.Text);

        Diagnostic diagnostic = Assert.Single(run.NetworkDiagnostics);
        AssertReported(diagnostic, "CN0003", DiagnosticSeverity.Error,
            "The network class 'Net' must be declared partial so the generated forward and backward code can be added to it");
        AssertSquiggle(diagnostic, source, "Net", line: 6, column: 16);
        AssertFailedCleanly(run);
    }

    [Fact]
    public void CN0004_no_linear_layer_points_at_the_first_layer()
    {
        var source = new MarkedSource("""
            using CompiledNets;

            namespace MyApp;

            [[|ReLU|]]
            [Tanh]
            internal partial class Net;
            """);

        GeneratorRun run = GeneratorDriverHelper.Run(source.Text);

        Diagnostic diagnostic = Assert.Single(run.NetworkDiagnostics);
        AssertReported(diagnostic, "CN0004", DiagnosticSeverity.Error,
            "The network 'Net' has no Linear layer; add at least one, such as [Linear(inFeatures, outFeatures)], so it has parameters and an input size");
        AssertSquiggle(diagnostic, source, "ReLU", line: 5, column: 2);
        AssertFailedCleanly(run);
    }

    [Fact]
    public void CN0005_activation_first_points_at_the_activation()
    {
        var source = new MarkedSource("""
            using CompiledNets;

            namespace MyApp;

            [[|LeakyReLU(0.1f)|]]
            [Linear(4, 2)]
            internal partial class Net;
            """);

        GeneratorRun run = GeneratorDriverHelper.Run(source.Text);

        Diagnostic diagnostic = Assert.Single(run.NetworkDiagnostics);
        AssertReported(diagnostic, "CN0005", DiagnosticSeverity.Error,
            "The network 'Net' starts with LeakyReLU; the first layer must be Linear, which defines the input size (apply fixed transforms when preparing the data)");
        AssertSquiggle(diagnostic, source, "LeakyReLU(0.1f)", line: 5, column: 2);
        AssertFailedCleanly(run);
    }

    [Fact]
    public void CN0006_activation_last_is_a_warning_and_the_network_is_still_generated()
    {
        var source = new MarkedSource("""
            using CompiledNets;

            namespace MyApp;

            [Linear(4, 3)]
            [[|Sigmoid|]]
            internal partial class Net;
            """);

        GeneratorRun run = GeneratorDriverHelper.Run(source.Text);

        Diagnostic diagnostic = Assert.Single(run.NetworkDiagnostics);
        AssertReported(diagnostic, "CN0006", DiagnosticSeverity.Warning,
            "The network 'Net' ends with Sigmoid; CrossEntropyLoss expects raw logits, so remove the final activation, or suppress CN0006 if the outputs feed something else");
        AssertSquiggle(diagnostic, source, "Sigmoid", line: 6, column: 2);
        GeneratorDriverHelper.AssertCompilesCleanly(run, "CN0006");
        Assert.Equal(new[] { "MyApp.Net.g.cs" }, run.GeneratedSources.Select(s => s.HintName));
    }

    [Fact]
    public void CN0006_can_be_suppressed_in_the_project()
    {
        // <NoWarn>CN0006</NoWarn> in a project becomes this compilation option.
        CSharpCompilation compilation = GeneratorDriverHelper.CreateCompilation("""
            using CompiledNets;

            [Linear(4, 3)]
            [Sigmoid]
            internal partial class Net;
            """);
        compilation = compilation.WithOptions(compilation.Options.WithSpecificDiagnosticOptions(
            new Dictionary<string, ReportDiagnostic> { ["CN0006"] = ReportDiagnostic.Suppress }));

        GeneratorRun run = GeneratorDriverHelper.Run(GeneratorDriverHelper.CreateDriver(), compilation);

        Assert.Empty(run.NetworkDiagnostics);
        GeneratorDriverHelper.AssertCompilesCleanly(run);
    }

    [Fact]
    public void CN0006_can_be_suppressed_with_pragma()
    {
        var source = new MarkedSource("""
            using CompiledNets;

            #pragma warning disable CN0006 // the outputs feed a regression loss, not cross-entropy
            [Linear(4, 3)]
            [Sigmoid]
            internal partial class Net;
            #pragma warning restore CN0006
            """);

        GeneratorRun run = GeneratorDriverHelper.Run(source.Text);

        Assert.All(run.NetworkDiagnostics, d => Assert.True(d.IsSuppressed, $"{d} is not suppressed"));
        Assert.All(run.NetworkDiagnostics, d => Assert.Equal(LocationKind.SourceFile, d.Location.Kind));
    }

    [Fact]
    public void CN0007_layers_in_several_declarations_points_at_the_first_layer_of_the_later_declaration()
    {
        var first = new MarkedSource("""
            using CompiledNets;

            namespace MyApp;

            [Linear(4, 3)]
            internal partial class Net;
            """);
        var second = new MarkedSource("""
            using CompiledNets;

            namespace MyApp;

            [[|ReLU|]]
            [Linear(3, 2)]
            internal partial class Net;
            """);

        GeneratorRun run = GeneratorDriverHelper.Run(first.Text, second.Text);

        Diagnostic diagnostic = Assert.Single(run.NetworkDiagnostics);
        AssertReported(diagnostic, "CN0007", DiagnosticSeverity.Error,
            "The layers of 'Net' are declared on more than one partial declaration; put all layer attributes on one declaration so their order is defined");
        AssertSquiggle(diagnostic, second, "ReLU", line: 5, column: 2, path: "Source1.cs");
        AssertFailedCleanly(run);
    }

    [Fact]
    public void CN0008_generic_network_points_at_the_class_name()
    {
        var source = new MarkedSource("""
            using CompiledNets;

            namespace MyApp;

            [Linear(2, 3)]
            internal partial class [|Net|]<T>;
            """);

        GeneratorRun run = GeneratorDriverHelper.Run(source.Text);

        Diagnostic diagnostic = Assert.Single(run.NetworkDiagnostics);
        AssertReported(diagnostic, "CN0008", DiagnosticSeverity.Error,
            "The network 'Net' is generic or nested in a generic type ('Net<T>'); declare it in a non-generic type");
        AssertSquiggle(diagnostic, source, "Net", line: 6, column: 24);
        AssertFailedCleanly(run);
    }

    [Fact]
    public void CN0008_nested_in_a_generic_type_names_the_generic_container()
    {
        var source = new MarkedSource("""
            using CompiledNets;

            namespace MyApp;

            internal partial class Outer<T>
            {
                [Linear(2, 3)]
                internal partial class [|Net|];
            }
            """);

        GeneratorRun run = GeneratorDriverHelper.Run(source.Text);

        Diagnostic diagnostic = Assert.Single(run.NetworkDiagnostics);
        AssertReported(diagnostic, "CN0008", DiagnosticSeverity.Error,
            "The network 'Net' is generic or nested in a generic type ('Outer<T>'); declare it in a non-generic type");
        AssertSquiggle(diagnostic, source, "Net", line: 8, column: 28);
        AssertFailedCleanly(run);
    }

    [Fact]
    public void CN0009_containing_type_not_partial_points_at_the_network_name()
    {
        var source = new MarkedSource("""
            using CompiledNets;

            namespace MyApp;

            internal class Outer
            {
                [Linear(2, 3)]
                internal partial class [|Net|];
            }
            """);

        GeneratorRun run = GeneratorDriverHelper.Run(source.Text);

        Diagnostic diagnostic = Assert.Single(run.NetworkDiagnostics);
        AssertReported(diagnostic, "CN0009", DiagnosticSeverity.Error,
            "The network 'Net' is nested in 'Outer', which is not partial; make 'Outer' partial");
        AssertSquiggle(diagnostic, source, "Net", line: 8, column: 28);
        AssertFailedCleanly(run);
    }

    [Fact]
    public void CN0009_reports_every_container_that_is_not_partial_innermost_first()
    {
        var source = new MarkedSource("""
            using CompiledNets;

            internal class Outer
            {
                internal partial class Middle
                {
                    internal class Inner
                    {
                        [Linear(2, 3)]
                        internal partial class [|Net|];
                    }
                }
            }
            """);

        GeneratorRun run = GeneratorDriverHelper.Run(source.Text);

        Assert.Equal(
            new[]
            {
                "The network 'Net' is nested in 'Inner', which is not partial; make 'Inner' partial",
                "The network 'Net' is nested in 'Outer', which is not partial; make 'Outer' partial",
            },
            run.NetworkDiagnostics.Select(d => d.GetMessage(CultureInfo.InvariantCulture)));
        Assert.All(run.NetworkDiagnostics, d => AssertSquiggle(d, source, "Net", line: 10, column: 36));
        AssertFailedCleanly(run);
    }

    [Fact]
    public void CN0010_static_class_points_at_the_class_name()
    {
        var source = new MarkedSource("""
            using CompiledNets;

            namespace MyApp;

            [Linear(2, 3)]
            internal static partial class [|Net|];
            """);

        GeneratorRun run = GeneratorDriverHelper.Run(source.Text);

        Diagnostic diagnostic = Assert.Single(run.NetworkDiagnostics);
        AssertReported(diagnostic, "CN0010", DiagnosticSeverity.Error,
            "The network 'Net' is a static class; declare it as a partial class that is not static, a record or file-local");
        AssertSquiggle(diagnostic, source, "Net", line: 6, column: 31);
        AssertFailedCleanly(run);
    }

    [Fact]
    public void CN0010_record_points_at_the_record_name()
    {
        var source = new MarkedSource("""
            using CompiledNets;

            namespace MyApp;

            [Linear(2, 3)]
            internal partial record [|Net|];
            """);

        GeneratorRun run = GeneratorDriverHelper.Run(source.Text);

        Diagnostic diagnostic = Assert.Single(run.NetworkDiagnostics);
        AssertReported(diagnostic, "CN0010", DiagnosticSeverity.Error,
            "The network 'Net' is a record; declare it as a partial class that is not static, a record or file-local");
        AssertSquiggle(diagnostic, source, "Net", line: 6, column: 25);
        AssertFailedCleanly(run);
    }

    [Fact]
    public void CN0011_network_too_large_points_at_the_largest_layer()
    {
        // 10·8000 + 8000 + 8000·8000 + 8000 = 64 096 000 parameters; the last layer holds most of them.
        var source = new MarkedSource("""
            using CompiledNets;

            namespace MyApp;

            [Linear(10, 8000)]
            [ReLU]
            [[|Linear(8000, 8000)|]]
            internal partial class Net;
            """);

        GeneratorRun run = GeneratorDriverHelper.Run(source.Text);

        Diagnostic diagnostic = Assert.Single(run.NetworkDiagnostics);
        AssertReported(diagnostic, "CN0011", DiagnosticSeverity.Error,
            "The network 'Net' has 64096000 parameters, more than the 50000000 that CompiledNets generates code for; use smaller layers");
        AssertSquiggle(diagnostic, source, "Linear(8000, 8000)", line: 7, column: 2);
        AssertFailedCleanly(run);
    }

    [Fact]
    public void CN0011_one_parameter_over_the_limit_is_refused()
    {
        // 2·1 + 1 + 1·24 999 999 + 24 999 999 = 50 000 001.
        var source = new MarkedSource("""
            using CompiledNets;

            [Linear(2, 1)]
            [[|Linear(1, 24999999)|]]
            internal partial class Net;
            """);

        GeneratorRun run = GeneratorDriverHelper.Run(source.Text);

        Diagnostic diagnostic = Assert.Single(run.NetworkDiagnostics);
        AssertReported(diagnostic, "CN0011", DiagnosticSeverity.Error,
            "The network 'Net' has 50000001 parameters, more than the 50000000 that CompiledNets generates code for; use smaller layers");
        AssertSquiggle(diagnostic, source, "Linear(1, 24999999)", line: 4, column: 2);
        AssertFailedCleanly(run);
    }

    [Fact]
    public void CN0011_exactly_at_the_limit_is_generated()
    {
        // 1·1 + 1 + 1·24 999 999 + 24 999 999 = 50 000 000.
        GeneratorRun run = GeneratorDriverHelper.Run("""
            using CompiledNets;

            [Linear(1, 1)]
            [Linear(1, 24999999)]
            internal partial class Net;
            """);

        GeneratorDriverHelper.AssertCompilesCleanly(run);
        Assert.Contains("public const int ParameterCount = 50000000;", run.Source("Net.g.cs"));
    }

    [Fact]
    public void CN0021_flatten_then_linear_names_the_product_and_the_fix()
    {
        var source = new MarkedSource("""
            using CompiledNets;

            namespace MyApp;

            [Input(1, 28, 28)]
            [Conv2d(1, 6, 5, padding: 2)]
            [MaxPool2d(2)]
            [Conv2d(6, 16, 5)]
            [MaxPool2d(2)]
            [Flatten]
            [[|Linear(256, 84)|]]
            internal partial class Net;
            """);

        GeneratorRun run = GeneratorDriverHelper.Run(source.Text);

        Diagnostic diagnostic = Assert.Single(run.NetworkDiagnostics);
        AssertReported(diagnostic, "CN0021", DiagnosticSeverity.Error,
            "Flatten produces 16 × 5 × 5 = 400 features but Linear(256, 84) expects 256; use Linear(400, 84)");
        AssertSquiggle(diagnostic, source, "Linear(256, 84)", line: 11, column: 2);
        AssertFailedCleanly(run);
    }

    [Theory]
    //          the layer attributes after [Input(1, 8, 8)],        the message
    [InlineData("[[|Conv2d(3, 2, 3)|]] [Flatten] [Linear(72, 2)]", "CN0024", "Conv2d(3, 2, 3) expects 3 input channels but receives 1 ([1, 8, 8]); use Conv2d(1, 2, 3)")]
    [InlineData("[[|Conv2d(1, 2, 9)|]] [Flatten] [Linear(2, 2)]", "CN0025", "Conv2d(1, 2, 9) receives [1, 8, 8]: a kernel of 9 with padding 0 leaves an output of 0 × 0; use a smaller kernel, more padding, or a larger input")]
    [InlineData("[[|MaxPool2d(0)|]] [Flatten] [Linear(64, 2)]", "CN0026", "MaxPool2d(0): kernelSize must be at least 1 but is 0")]
    [InlineData("[Conv2d(1, 2, 3)] [[|Linear(72, 2)|]]", "CN0023", "Linear(72, 2) follows a layer that produces [2, 6, 6]; add [Flatten] before it (it then receives 2 × 6 × 6 = 72 features)")]
    [InlineData("[Flatten] [Linear(64, 4)] [[|Conv2d(4, 2, 1)|]] [Flatten] [Linear(2, 2)]", "CN0022", "Conv2d(4, 2, 1) needs [channels, height, width] samples but the layer before produces 4 features; declare [Input(channels, height, width)] first, or put it before Flatten and Linear")]
    [InlineData("[Conv2d(1, 6, 3)] [[|BatchNorm2d(8)|]] [Flatten] [Linear(216, 2)]", "CN0028", "BatchNorm2d(8) normalizes 8 channels but receives 6 ([6, 6, 6]); use BatchNorm2d(6)")]
    [InlineData("[Flatten] [Linear(64, 10)] [[|BatchNorm1d(12, 1E-03f)|]] [Linear(10, 2)]", "CN0028", "BatchNorm1d(12, 0.001f) normalizes 12 channels but receives 10 (10 features); use BatchNorm1d(10, 0.001f)")]
    [InlineData("[Conv2d(1, 6, 3)] [[|BatchNorm1d(6)|]] [Flatten] [Linear(216, 2)]", "CN0029", "BatchNorm1d(6) takes features or [channels, length] sequences but receives [6, 6, 6]; use BatchNorm2d(6)")]
    [InlineData("[Flatten] [Linear(64, 10)] [[|BatchNorm2d(10)|]] [Linear(10, 2)]", "CN0029", "BatchNorm2d(10) takes [channels, height, width] images but receives 10 features; use BatchNorm1d(10)")]
    [InlineData("[[|Conv1d(1, 2, 3)|]] [Flatten] [Linear(72, 2)]", "CN0029", "Conv1d(1, 2, 3) takes [channels, length] sequences but receives [1, 8, 8]; use Conv2d, or declare [Input(channels, length)]")]
    [InlineData("[Conv2d(1, 6, 3)] [[|BatchNorm2d(6, 0f)|]] [Flatten] [Linear(216, 2)]", "CN0026", "BatchNorm2d(6, 0f): eps must be finite and above 0 but is 0")]
    [InlineData("[Conv2d(1, 6, 3)] [[|BatchNorm2d(6, 1E-05f, 1.5f)|]] [Flatten] [Linear(216, 2)]", "CN0026", "BatchNorm2d(6, 1E-05f, 1.5f): momentum must be in [0, 1] but is 1.5")]
    public void Shape_errors_name_the_numbers_on_the_offending_attribute(string layers, string id, string message)
    {
        var source = new MarkedSource($$"""
            using CompiledNets;

            [Input(1, 8, 8)]
            {{layers}}
            internal partial class Net;
            """);

        GeneratorRun run = GeneratorDriverHelper.Run(source.Text);

        Diagnostic diagnostic = Assert.Single(run.NetworkDiagnostics);
        AssertReported(diagnostic, id, DiagnosticSeverity.Error, message);
        AssertFailedCleanly(run);
    }

    [Theory]
    [InlineData("1f", "1")]
    [InlineData("-0.5f", "-0.5")]
    [InlineData("float.NaN", "NaN")]
    public void CN0020_dropout_probability_outside_zero_to_one_points_at_the_Dropout(string p, string rendered)
    {
        var source = new MarkedSource($$"""
            using CompiledNets;

            namespace MyApp;

            [Linear(2, 3)]
            [[|Dropout({{p}})|]]
            [Linear(3, 2)]
            internal partial class Net;
            """);

        GeneratorRun run = GeneratorDriverHelper.Run(source.Text);

        Diagnostic diagnostic = Assert.Single(run.NetworkDiagnostics);
        AssertReported(diagnostic, "CN0020", DiagnosticSeverity.Error,
            $"Dropout({rendered}): p must be at least 0 and below 1 (the probability of zeroing an element; 1 would zero everything)");
        AssertSquiggle(diagnostic, source, $"Dropout({p})", line: 6, column: 2);
        AssertFailedCleanly(run);
    }

    [Theory]
    [InlineData("float.NaN", "NaN")]
    [InlineData("float.PositiveInfinity", "Infinity")]
    [InlineData("float.NegativeInfinity", "-Infinity")]
    [InlineData("0f / 0f", "NaN")]
    public void CN0012_invalid_negative_slope_points_at_the_LeakyReLU(string slope, string rendered)
    {
        var source = new MarkedSource($$"""
            using CompiledNets;

            namespace MyApp;

            [Linear(2, 3)]
            [[|LeakyReLU({{slope}})|]]
            [Linear(3, 2)]
            internal partial class Net;
            """);

        GeneratorRun run = GeneratorDriverHelper.Run(source.Text);

        Diagnostic diagnostic = Assert.Single(run.NetworkDiagnostics);
        AssertReported(diagnostic, "CN0012", DiagnosticSeverity.Error,
            $"LeakyReLU({rendered}): negativeSlope must be a finite number");
        AssertSquiggle(diagnostic, source, $"LeakyReLU({slope})", line: 6, column: 2);
        AssertFailedCleanly(run);
    }

    /// <summary>One declaration per descriptor (and a few combinations), by name so xunit lists them readably.</summary>
    private static readonly Dictionary<string, (string Source, string[] Ids)> BadDeclarations = new()
    {
        ["CN0001"] = ("[Linear(10, 20)] [ReLU] [Linear(30, 2)] internal partial class Net;", new[] { "CN0001" }),
        ["CN0002"] = ("[Linear(0, 5)] [Linear(5, 2)] internal partial class Net;", new[] { "CN0002" }),
        ["CN0003"] = ("[Linear(2, 3)] internal class Net;", new[] { "CN0003" }),
        ["CN0004"] = ("[ReLU] [Tanh] [Sigmoid] [LeakyReLU] internal partial class Net;", new[] { "CN0004" }),
        ["CN0005"] = ("[Tanh] [Linear(2, 3)] internal partial class Net;", new[] { "CN0005" }),
        ["CN0007"] = ("[Linear(2, 3)] internal partial class Net; [ReLU] [Linear(3, 2)] internal partial class Net;", new[] { "CN0007" }),
        ["CN0008"] = ("[Linear(2, 3)] internal partial class Net<T>;", new[] { "CN0008" }),
        ["CN0009"] = ("internal class Outer { [Linear(2, 3)] internal partial class Net; }", new[] { "CN0009" }),
        ["CN0010"] = ("[Linear(2, 3)] internal static partial class Net;", new[] { "CN0010" }),
        ["CN0011"] = ("[Linear(100000, 1000)] internal partial class Net;", new[] { "CN0011" }),
        ["CN0012"] = ("[Linear(2, 3)] [LeakyReLU(float.NaN)] [Linear(3, 2)] internal partial class Net;", new[] { "CN0012" }),
        ["CN0013"] = ("[Linear(2, 3)] internal partial class Layers;", new[] { "CN0013" }),
        ["CN0014"] = ("[Linear(2, 3)] internal partial class Net { public int InputSize => 2; }", new[] { "CN0014" }),
        ["CN0015"] = ("[Linear(2, 3)] internal partial class Net(int hidden);", new[] { "CN0015" }),
        ["CN0016"] = ("internal abstract class Base : INetwork; [Linear(2, 3)] internal partial class Net : Base;", new[] { "CN0016" }),
        ["CN0017"] = ("internal class Base(string name); [Linear(2, 3)] internal partial class Net : Base;", new[] { "CN0017" }),
        ["CN0018"] = ("internal class Base { public void Predict(System.ReadOnlySpan<float> x, System.Span<float> y) { } } [Linear(2, 3)] internal partial class Net : Base;", new[] { "CN0018" }),
        ["CN0019"] = ("file partial class Outer { [Linear(2, 3)] internal partial class Net; }", new[] { "CN0019" }),
        ["CN0020"] = ("[Linear(2, 3)] [Dropout(1f)] [Linear(3, 2)] internal partial class Net;", new[] { "CN0020" }),
        ["CN0020, negative"] = ("[Linear(2, 3)] [Dropout(-0.1f)] [Linear(3, 2)] internal partial class Net;", new[] { "CN0020" }),
        ["CN0021"] = ("[Input(16, 5, 5)] [Flatten] [Linear(256, 84)] internal partial class Net;", new[] { "CN0021" }),
        ["CN0022"] = ("[Conv2d(1, 6, 5)] [Flatten] [Linear(6, 2)] internal partial class Net;", new[] { "CN0022" }),
        ["CN0022, after Linear"] = ("[Linear(4, 16)] [MaxPool2d(2)] [Linear(4, 2)] internal partial class Net;", new[] { "CN0022" }),
        ["CN0023"] = ("[Input(1, 8, 8)] [Conv2d(1, 2, 3)] [Linear(72, 2)] internal partial class Net;", new[] { "CN0023" }),
        ["CN0024"] = ("[Input(1, 8, 8)] [Conv2d(3, 2, 3)] [Flatten] [Linear(72, 2)] internal partial class Net;", new[] { "CN0024" }),
        ["CN0025"] = ("[Input(1, 4, 4)] [Conv2d(1, 2, 5)] [Flatten] [Linear(2, 2)] internal partial class Net;", new[] { "CN0025" }),
        ["CN0026"] = ("[Input(1, 8, 8)] [Conv2d(1, 2, 3, 0)] [Flatten] [Linear(72, 2)] internal partial class Net;", new[] { "CN0026" }),
        ["CN0027"] = ("[Linear(4, 2)] [Input(1, 2, 2)] internal partial class Net;", new[] { "CN0027" }),
        ["CN0027, twice"] = ("[Input(1, 8, 8)] [Input(1, 8, 8)] [Conv2d(1, 2, 3)] [Flatten] [Linear(72, 2)] internal partial class Net;", new[] { "CN0027" }),
        ["CN0026, an invalid Input"] = ("[Input(0, 8, 8)] [Conv2d(1, 2, 3)] [Flatten] [Linear(72, 2)] internal partial class Net;", new[] { "CN0026" }),
        ["CN0026, a sample too large"] = ("[Input(1, 28, 28)] [Conv2d(1, 64, 3, 1, 3000)] [Flatten] [Linear(2, 2)] internal partial class Net;", new[] { "CN0026" }),
        ["CN0028"] = ("[Input(1, 8, 8)] [Conv2d(1, 6, 3)] [BatchNorm2d(8)] [Flatten] [Linear(216, 2)] internal partial class Net;", new[] { "CN0028" }),
        ["CN0029"] = ("[Input(1, 8, 8)] [Conv2d(1, 6, 3)] [BatchNorm1d(6)] [Flatten] [Linear(216, 2)] internal partial class Net;", new[] { "CN0029" }),
        ["CN0029, Conv2d on a sequence"] = ("[Input(3, 20)] [Conv2d(3, 4, 3)] [Flatten] [Linear(72, 2)] internal partial class Net;", new[] { "CN0029" }),
        ["CN0022, Conv1d without Input"] = ("[Conv1d(1, 6, 5)] [Flatten] [Linear(6, 2)] internal partial class Net;", new[] { "CN0022" }),
        ["CN0025, a sequence too short"] = ("[Input(2, 4)] [Conv1d(2, 3, 5)] [Flatten] [Linear(3, 2)] internal partial class Net;", new[] { "CN0025" }),
        ["CN0021, after a sequence"] = ("[Input(8, 20)] [Flatten] [Linear(100, 2)] internal partial class Net;", new[] { "CN0021" }),
        ["CN0005, dropout first"] = ("[Dropout] [Linear(2, 3)] internal partial class Net;", new[] { "CN0005" }),
        ["CN0005+CN0006"] = ("[ReLU] [Linear(2, 3)] [Sigmoid] internal partial class Net;", new[] { "CN0005", "CN0006" }),
        ["CN0003+CN0001"] = ("[Linear(2, 3)] [Linear(4, 1)] internal class Net;", new[] { "CN0003", "CN0001" }),
        ["CN0010+CN0002"] = ("[Linear(2, 0)] internal partial record Net;", new[] { "CN0010", "CN0002" }),
        ["CN0001, every layer kind"] = ("[Linear(4, 4)] [ReLU] [LeakyReLU] [Sigmoid] [Tanh] [Linear(5, 2)] internal partial class Net;", new[] { "CN0001" }),
        ["CN0005, every layer kind"] = ("[Sigmoid] [Tanh] [ReLU] [LeakyReLU] [Linear(4, 2)] internal partial class Net;", new[] { "CN0005" }),
    };

    public static IEnumerable<object[]> BadDeclarationNames => BadDeclarations.Keys.Select(name => new object[] { name });

    [Theory]
    [MemberData(nameof(BadDeclarationNames))]
    public void Bad_declaration_is_reported_once_generates_nothing_and_never_throws(string name)
    {
        (string declaration, string[] ids) = BadDeclarations[name];

        GeneratorRun run = GeneratorDriverHelper.Run("using CompiledNets;\n\nnamespace MyApp;\n\n" + declaration + "\n");

        // Each class is found through every one of its attribute types (one pipeline each), yet every
        // problem must be reported exactly once.
        Assert.Equal(ids, run.NetworkDiagnostics.Select(d => d.Id));
        var repeated = run.NetworkDiagnostics.GroupBy(d => (d.Id, d.Location.SourceSpan, Message: d.GetMessage(CultureInfo.InvariantCulture))).Where(g => g.Count() > 1);
        Assert.Empty(repeated);
        Assert.All(run.NetworkDiagnostics, d => Assert.NotEqual(LocationKind.None, d.Location.Kind));
        AssertFailedCleanly(run);
    }

    [Theory]
    [InlineData("[Linear(\"a\", 2)]", "CS1503")]
    [InlineData("[Linear(1.5, 2)]", "CS1503")]
    [InlineData("[Linear(10)]", "CS7036")]
    [InlineData("[Linear(2, 3, 4)]", "CS1729")]
    [InlineData("[Linear(Missing, 2)]", "CS0103")]
    [InlineData("[Linear(2, 3)] [LeakyReLU(\"steep\")] [Linear(3, 2)]", "CS1503")]
    [InlineData("[Linear(2, 3)] [ReLU(1)] [Linear(3, 2)]", "CS1729")]
    [InlineData("[Linear(10, 20)] [Linear(\"a\", 2)]", "CS1503")]
    public void AttributeWithCompileErrors_LeavesTheErrorToTheCompiler(string attributes, string compilerError)
    {
        GeneratorRun run = GeneratorDriverHelper.Run($"using CompiledNets;\n\n{attributes}\ninternal partial class Net;\n");

        Assert.Empty(run.NetworkDiagnostics);
        AssertFailedCleanly(run);
        Assert.Contains(run.CompilationErrors, d => d.Id == compilerError);
        Assert.All(run.CompilationErrors, d => Assert.StartsWith("CS", d.Id));
    }

    [Fact]
    public void Errors_in_one_network_do_not_stop_the_others()
    {
        GeneratorRun run = GeneratorDriverHelper.Run("""
            using CompiledNets;

            namespace MyApp;

            [Linear(2, 3)]
            [Linear(4, 1)]
            internal partial class Broken;

            [Linear(2, 3)]
            [ReLU]
            [Linear(3, 1)]
            internal partial class Fine;
            """);

        Assert.Equal(new[] { "CN0001" }, run.NetworkDiagnostics.Select(d => d.Id));
        Assert.Null(run.Exception);
        Assert.Equal(new[] { "MyApp.Fine.g.cs" }, run.GeneratedSources.Select(s => s.HintName));
        Assert.Empty(run.CompilationErrors);
    }

    [Fact]
    public void Every_descriptor_is_covered_by_a_test()
    {
        // A new descriptor must come with a test here; this lists the IDs the tests above cover.
        string[] tested = BadDeclarations.Values.SelectMany(b => b.Ids).Append("CN0006").Distinct().OrderBy(id => id).ToArray();
        string[] declared = typeof(NetworkGenerator).Assembly
            .GetType("CompiledNets.Generator.DiagnosticDescriptors")!
            .GetFields()
            .Where(f => f.FieldType == typeof(DiagnosticDescriptor))
            .Select(f => ((DiagnosticDescriptor)f.GetValue(null)!).Id)
            .OrderBy(id => id)
            .ToArray();

        Assert.Equal(declared, tested);
    }

    /// <summary>ID, severity and message rendered with the invariant culture, as a build log shows them.</summary>
    internal static void AssertReported(Diagnostic diagnostic, string id, DiagnosticSeverity severity, string message)
    {
        Assert.Equal(id, diagnostic.Id);
        Assert.Equal(severity, diagnostic.Severity);
        Assert.Equal(severity, diagnostic.Descriptor.DefaultSeverity);
        Assert.Equal("CompiledNets", diagnostic.Descriptor.Category);
        Assert.Equal(message, diagnostic.GetMessage(CultureInfo.InvariantCulture));
    }

    /// <summary>The squiggle covers exactly the marked span, which reads <paramref name="text"/> at 1-based (line, column).</summary>
    internal static void AssertSquiggle(Diagnostic diagnostic, MarkedSource source, string text, int line, int column, string path = "Source0.cs") =>
        AssertSquiggle(diagnostic, source, source.Span, text, line, column, path);

    internal static void AssertSquiggle(Diagnostic diagnostic, MarkedSource source, TextSpan expected, string text, int line, int column, string path = "Source0.cs")
    {
        SourceText sourceText = SourceText.From(source.Text);
        Assert.Equal(text, sourceText.ToString(expected));
        Assert.Equal(text, sourceText.ToString(diagnostic.Location.SourceSpan));
        Assert.Equal(expected, diagnostic.Location.SourceSpan);

        FileLinePositionSpan lineSpan = diagnostic.Location.GetLineSpan();
        Assert.Equal(path, lineSpan.Path);
        Assert.Equal(sourceText.Lines.GetLinePositionSpan(expected), lineSpan.Span);
        Assert.Equal((line, column), (lineSpan.StartLinePosition.Line + 1, lineSpan.StartLinePosition.Character + 1));
    }

    /// <summary>A failed declaration: nothing generated, and no exception (which the driver reports as CS8784/CS8785).</summary>
    internal static void AssertFailedCleanly(GeneratorRun run)
    {
        Assert.Null(run.Exception);
        Assert.DoesNotContain(run.GeneratorDiagnostics, d => d.Id is "CS8784" or "CS8785");
        Assert.Empty(run.GeneratedSources);
    }
}
