using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Basic.Reference.Assemblies;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Xunit;

namespace CompiledNets.Generator.Tests;

/// <summary>
/// What one run of the generator produced: the generated files, the diagnostics the generator (and the package's
/// NetworkAnalyzer) reported, and the diagnostics of the compilation that includes the generated files.
/// </summary>
internal sealed record GeneratorRun(
    GeneratorDriver Driver,
    CSharpCompilation InputCompilation,
    Compilation OutputCompilation,
    GeneratorDriverRunResult Result,
    ImmutableArray<Diagnostic> GeneratorDiagnostics,
    ImmutableArray<Diagnostic> CompilationDiagnostics)
{
    /// <summary>The generated files, in the order the generator added them.</summary>
    public ImmutableArray<GeneratedSourceResult> GeneratedSources => Result.Results.Single().GeneratedSources;

    /// <summary>Exceptions the generator threw (the driver turns each into a CS8784/CS8785 warning).</summary>
    public Exception? Exception => Result.Results.Single().Exception;

    /// <summary>Diagnostics with the CN prefix, i.e. the ones this generator reports on purpose.</summary>
    public ImmutableArray<Diagnostic> NetworkDiagnostics =>
        GeneratorDiagnostics.Where(d => d.Id.StartsWith("CN", StringComparison.Ordinal)).ToImmutableArray();

    /// <summary>Compiler errors of the output compilation, i.e. of the user's code plus the generated code.</summary>
    public ImmutableArray<Diagnostic> CompilationErrors =>
        CompilationDiagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).ToImmutableArray();

    /// <summary>The text of the generated file with this hint name.</summary>
    public string Source(string hintName)
    {
        GeneratedSourceResult[] matches = GeneratedSources.Where(s => s.HintName == hintName).ToArray();
        Assert.True(matches.Length == 1, $"Expected one generated file '{hintName}' but found: {string.Join(", ", GeneratedSources.Select(s => s.HintName))}");
        return matches[0].SourceText.ToString();
    }
}

/// <summary>
/// Runs <see cref="NetworkGenerator"/> the way the compiler does: on a compilation built from test
/// source, with the reference assemblies of net10.0, the CompiledNets runtime and System.Numerics.Tensors,
/// so that the generated code is compiled against exactly what a user's project sees.
/// </summary>
internal static class GeneratorDriverHelper
{
    /// <summary>Parse options of a user's project: latest C#, XML docs checked so malformed generated docs fail.</summary>
    public static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest, DocumentationMode.Diagnose);

    private static readonly CSharpCompilationOptions CompilationOptions = new(
        OutputKind.DynamicallyLinkedLibrary,
        nullableContextOptions: NullableContextOptions.Enable,
        // The SDK raises the warning level with each release; take every warning wave so none is missed.
        warningLevel: 9999);

    /// <summary>
    /// net10.0 reference assemblies, plus the two assemblies the generated code uses that are not in
    /// the shared framework: the CompiledNets runtime (INetwork, Outputs, Rng...) and
    /// System.Numerics.Tensors (TensorPrimitives), which the runtime gets from its NuGet package.
    /// </summary>
    public static readonly ImmutableArray<MetadataReference> References = Net100.References.All
        .Cast<MetadataReference>()
        .Concat(new[]
        {
            MetadataReference.CreateFromFile(typeof(INetwork).Assembly.Location),
            MetadataReference.CreateFromFile(typeof(System.Numerics.Tensors.TensorPrimitives).Assembly.Location),
        })
        .ToImmutableArray();

    /// <summary>Builds a library compilation from source files named <c>Source0.cs</c>, <c>Source1.cs</c>, ...</summary>
    public static CSharpCompilation CreateCompilation(params string[] sources) =>
        CSharpCompilation.Create(
            "Tests",
            sources.Select((text, i) => CSharpSyntaxTree.ParseText(text, ParseOptions, path: $"Source{i}.cs")),
            References,
            CompilationOptions);

    /// <summary>A driver that records every tracked step, as the incremental tests need.</summary>
    public static GeneratorDriver CreateDriver() =>
        CSharpGeneratorDriver.Create(
            new[] { new NetworkGenerator().AsSourceGenerator() },
            parseOptions: ParseOptions,
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));

    /// <summary>Runs the generator once on the given source files.</summary>
    public static GeneratorRun Run(params string[] sources) => Run(CreateDriver(), CreateCompilation(sources));

    /// <summary>Runs <paramref name="driver"/> (fresh, or the result of an earlier run) on <paramref name="compilation"/>.</summary>
    public static GeneratorRun Run(GeneratorDriver driver, CSharpCompilation compilation)
    {
        driver = driver.RunGeneratorsAndUpdateCompilation(compilation, out Compilation output, out ImmutableArray<Diagnostic> generatorDiagnostics);
        // The package's analyzer reports the rewritable layer diagnostics (CN0001) the generator leaves to it: a user
        // sees both, so the tests see both, the generator's first.
        ImmutableArray<Diagnostic> analyzerDiagnostics = AnalyzerDiagnostics(compilation);
        return new GeneratorRun(driver, compilation, output, driver.GetRunResult(), generatorDiagnostics.AddRange(analyzerDiagnostics), output.GetDiagnostics());
    }

    /// <summary>What the package's <see cref="NetworkAnalyzer"/> reports on <paramref name="compilation"/>.</summary>
    public static ImmutableArray<Diagnostic> AnalyzerDiagnostics(Compilation compilation) =>
        compilation.WithAnalyzers(ImmutableArray.Create<DiagnosticAnalyzer>(new NetworkAnalyzer())).GetAnalyzerDiagnosticsAsync().GetAwaiter().GetResult();

    /// <summary>
    /// Asserts the run is a success: the generator threw nothing and reported nothing unexpected, and the
    /// user's code plus the generated code compiles with no errors and no warnings other than
    /// <paramref name="expectedWarnings"/> (IDs, from the generator or the compiler).
    /// </summary>
    public static void AssertCompilesCleanly(GeneratorRun run, params string[] expectedWarnings)
    {
        Assert.Null(run.Exception);
        IEnumerable<Diagnostic> unexpected = run.GeneratorDiagnostics
            .Concat(run.CompilationDiagnostics)
            .Where(d => d.Severity == DiagnosticSeverity.Error
                || (d.Severity == DiagnosticSeverity.Warning && !expectedWarnings.Contains(d.Id)));
        Assert.True(!unexpected.Any(), "Unexpected diagnostics:\n" + Describe(unexpected));
        Assert.NotEmpty(run.GeneratedSources);
    }

    /// <summary>One diagnostic per line, with its location, for assertion messages.</summary>
    public static string Describe(IEnumerable<Diagnostic> diagnostics) =>
        string.Join("\n", diagnostics.Select(d => d.ToString()));
}
