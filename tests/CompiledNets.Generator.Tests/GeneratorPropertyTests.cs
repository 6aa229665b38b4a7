using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Diagnostics;
using System.Linq;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;
using Xunit.Abstractions;

namespace CompiledNets.Generator.Tests;

/// <summary>
/// Generator robustness on random input: thousands of declarations from <see cref="RandomDeclarations"/>
/// (fixed seed, so every run tries the same ones and a failure replays). For each, the generator never
/// throws; a declaration the rules call valid gets no CN error and exactly one file; an invalid one gets at
/// least one CN error, only errors the rules call for, and no file. Outputs are compiled for a sample of
/// the batches (see the comment in the test for why not all), with no errors allowed anywhere and no
/// warnings in generated code.
/// </summary>
public class GeneratorPropertyTests
{
    private const int Seed = 5_0007;
    private const int Batches = 60;
    private const int FilesPerBatch = 4;
    private const int NetworksPerFile = 10;
    private const int CompileEvery = 10;

    private readonly ITestOutputHelper _output;

    public GeneratorPropertyTests(ITestOutputHelper output) => _output = output;

    [Fact]
    public void Random_declarations_never_throw_valid_ones_compile_invalid_ones_get_a_CN_error()
    {
        var random = new RandomDeclarations(Seed);
        var failures = new List<string>();
        int tried = 0, valid = 0;
        int compiledSignatures = 0, compiledInFull = 0;
        var generate = new Stopwatch();
        var compile = new Stopwatch();
        var total = Stopwatch.StartNew();

        for (int batch = 0; batch < Batches; batch++)
        {
            var networks = new List<RandomNetwork>();
            string[] files = Enumerable.Range(0, FilesPerBatch).Select(f => random.File(f, NetworksPerFile, networks)).ToArray();
            tried += networks.Count;
            valid += networks.Count(n => n.IsValid);
            CSharpCompilation compilation = GeneratorDriverHelper.CreateCompilation(files);

            generate.Start();
            GeneratorDriver driver = CreateDriver().RunGenerators(compilation);
            GeneratorRunResult result = driver.GetRunResult().Results.Single();
            generate.Stop();

            int before = failures.Count;
            // The package's analyzer reports CN0001 (the generator leaves it to it, for the IDE's code fix): both count.
            CheckGeneratorResult(result, GeneratorDriverHelper.AnalyzerDiagnostics(compilation), networks, failures);

            // Each generated file is 100 to 500 kB of kernels: binding the member signatures of one batch
            // takes 0.7 to 2.5 s here, and the method bodies of one network about 0.3 to 1 s more. Compiling all of
            // them would take minutes, so every CompileEvery-th batch is compiled to member signatures, and
            // the bodies of one of its valid networks (a different position each time) are bound in full.
            if (batch % CompileEvery == 0)
            {
                compile.Start();
                RandomNetwork[] validHere = networks.Where(n => n.IsValid).ToArray();
                RandomNetwork? inFull = validHere.Length > 0 ? validHere[batch / CompileEvery % validHere.Length] : null;
                Compilation output = compilation.AddSyntaxTrees(result.GeneratedSources.Select(s => s.SyntaxTree));
                CheckCompiles(output, networks, inFull, failures);
                compile.Stop();
                compiledSignatures += validHere.Length;
                compiledInFull += inFull is null ? 0 : 1;
            }

            if (failures.Count > before)
            {
                failures.Add($"  (batch {batch}; its files follow)\n" + string.Join("\n", files.Select((f, i) => $"--- Source{i}.cs ---\n{f}")));
            }
            if (failures.Count > 40)
            {
                break;
            }
        }

        string summary = $"{tried} random declarations tried ({valid} valid, {tried - valid} invalid), seed {Seed}, " +
            $"in {Batches} compilations; outputs compiled: {compiledSignatures} valid networks to member signatures, {compiledInFull} of them in full; generator {generate.ElapsedMilliseconds} ms, compiling {compile.ElapsedMilliseconds} ms, total {total.ElapsedMilliseconds} ms";
        _output.WriteLine(summary);
        Assert.True(failures.Count == 0, summary + "\n" + string.Join("\n", failures.Take(40)));
        Assert.True(tried >= 2000, summary);
    }

    /// <summary>
    /// The smallest layer there is and layers of 16 million weights: generation stays fast and the file
    /// small (kernels loop over sizes rather than unrolling them), and the code compiles.
    /// </summary>
    [Theory]
    [InlineData("[Linear(1, 1)]", 2)]
    [InlineData("[Linear(1, 1)] [ReLU] [Linear(1, 1)]", 4)]
    [InlineData("[Linear(4096, 4096)]", 16_781_312)]
    [InlineData("[Linear(4096, 4096)] [ReLU] [Linear(4096, 10)]", 16_822_282)]
    public void ExtremeButValidSizes_GenerateInBoundedTimeAndSize_AndCompile(string layers, int parameterCount)
    {
        CSharpCompilation compilation = GeneratorDriverHelper.CreateCompilation($"using CompiledNets;\n\nnamespace MyApp;\n\n{layers}\ninternal partial class Net;\n");

        var stopwatch = Stopwatch.StartNew();
        GeneratorRunResult result = CreateDriver().RunGenerators(compilation).GetRunResult().Results.Single();
        stopwatch.Stop();

        Assert.Null(result.Exception);
        GeneratedSourceResult file = Assert.Single(result.GeneratedSources);
        int bytes = Encoding.UTF8.GetByteCount(file.SourceText.ToString());
        _output.WriteLine($"{layers}: generated {file.HintName} in {stopwatch.ElapsedMilliseconds} ms, {bytes} bytes ({bytes / 1024.0:F0} KiB)");
        // Generous bounds: the first run in a process also pays for JIT; the files are about 0.2 to 0.5 MB.
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(10), $"{layers}: generation took {stopwatch.ElapsedMilliseconds} ms");
        Assert.True(bytes < 1024 * 1024, $"{layers}: generated file is {bytes} bytes");
        Assert.Contains($"public const int ParameterCount = {parameterCount};", file.SourceText.ToString());

        GeneratorRun run = GeneratorDriverHelper.Run(GeneratorDriverHelper.CreateDriver(), compilation);
        GeneratorDriverHelper.AssertCompilesCleanly(run);
    }

    /// <summary>A driver without step tracking: the incremental tests need it, this test only the output.</summary>
    private static GeneratorDriver CreateDriver() =>
        CSharpGeneratorDriver.Create(
            new[] { new NetworkGenerator().AsSourceGenerator() },
            parseOptions: GeneratorDriverHelper.ParseOptions,
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: false));

    /// <summary>No exception; each network gets the diagnostics and the file the rules call for.</summary>
    private static void CheckGeneratorResult(GeneratorRunResult result, ImmutableArray<Diagnostic> analyzerDiagnostics, List<RandomNetwork> networks, List<string> failures)
    {
        if (result.Exception is not null)
        {
            failures.Add($"generator threw: {result.Exception}");
        }
        foreach (Diagnostic crash in result.Diagnostics.Where(d => d.Id is "CS8784" or "CS8785"))
        {
            failures.Add($"generator crash reported: {crash}");
        }

        var byNetwork = networks.ToDictionary(n => n, _ => new List<Diagnostic>());
        foreach (Diagnostic diagnostic in result.Diagnostics.Concat(analyzerDiagnostics).Where(d => d.Id.StartsWith("CN", StringComparison.Ordinal)))
        {
            RandomNetwork? owner = Owner(networks, diagnostic.Location);
            if (owner is null)
            {
                failures.Add($"CN diagnostic outside every declaration: {diagnostic}");
                continue;
            }
            byNetwork[owner].Add(diagnostic);
        }

        var generated = result.GeneratedSources.Select(s => s.HintName).ToHashSet(StringComparer.Ordinal);
        foreach (string hintName in generated.Except(networks.Where(n => n.IsValid).Select(n => n.HintName)))
        {
            failures.Add($"file generated that no valid declaration accounts for: {hintName}");
        }

        foreach (RandomNetwork network in networks)
        {
            List<Diagnostic> diagnostics = byNetwork[network];
            string[] errors = diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).Select(d => d.Id).Distinct().ToArray();
            string[] warnings = diagnostics.Where(d => d.Severity != DiagnosticSeverity.Error).Select(d => d.Id).Distinct().ToArray();
            string reported = GeneratorDriverHelper.Describe(diagnostics);
            SortedSet<string> expected = network.ExpectedErrors;

            if (warnings.Any(id => id != "CN0006" || !network.EndsWithActivation))
            {
                failures.Add($"{network.Describe()}: unexpected warning:\n{reported}");
            }
            if (network.IsValid)
            {
                if (errors.Length > 0)
                {
                    failures.Add($"{network.Describe()}: valid by the rules, yet reported:\n{reported}");
                }
                if (!generated.Contains(network.HintName))
                {
                    failures.Add($"{network.Describe()}: valid by the rules, yet no {network.HintName} was generated (got {string.Join(", ", generated.Where(h => h.Contains(network.Name + ".", StringComparison.Ordinal)))})");
                }
            }
            else
            {
                if (errors.Length == 0)
                {
                    failures.Add($"{network.Describe()}: invalid by the rules, yet no CN error was reported{(reported.Length > 0 ? ":\n" + reported : "")}");
                }
                string[] unexpected = errors.Where(id => !expected.Contains(id)).ToArray();
                if (unexpected.Length > 0)
                {
                    failures.Add($"{network.Describe()}: reported {string.Join(", ", unexpected)}, which the rules do not call for:\n{reported}");
                }
                if (generated.Contains(network.HintName))
                {
                    failures.Add($"{network.Describe()}: invalid, yet {network.HintName} was generated");
                }
            }
        }
    }

    /// <summary>
    /// The user's code plus the generated code has no errors, and the generated code no warnings: types and
    /// member signatures everywhere, method bodies in the test sources and in the file of <paramref name="inFull"/>.
    /// </summary>
    private static void CheckCompiles(Compilation output, List<RandomNetwork> networks, RandomNetwork? inFull, List<string> failures)
    {
        IEnumerable<SyntaxTree> bound = output.SyntaxTrees.Where(t =>
            t.FilePath.StartsWith("Source", StringComparison.Ordinal)
            || (inFull is not null && t.FilePath.EndsWith("/" + inFull.HintName, StringComparison.Ordinal)));
        IEnumerable<Diagnostic> diagnostics = output.GetParseDiagnostics()
            .Concat(output.GetDeclarationDiagnostics())
            .Concat(bound.SelectMany(t => output.GetSemanticModel(t).GetDiagnostics()))
            .GroupBy(d => d.ToString())
            .Select(g => g.First());
        if (inFull is not null && bound.Count() != FilesPerBatch + 1)
        {
            failures.Add($"{inFull.Describe()}: its generated file {inFull.HintName} was not found among {string.Join(", ", output.SyntaxTrees.Select(t => t.FilePath))}");
        }
        foreach (Diagnostic diagnostic in diagnostics)
        {
            bool inGenerated = diagnostic.Location.SourceTree is { } tree && !tree.FilePath.StartsWith("Source", StringComparison.Ordinal);
            if (diagnostic.Severity == DiagnosticSeverity.Error || (inGenerated && diagnostic.Severity == DiagnosticSeverity.Warning))
            {
                string where = inGenerated
                    ? $"in generated {diagnostic.Location.SourceTree!.FilePath}"
                    : Owner(networks, diagnostic.Location)?.Describe() ?? "in test source outside every declaration";
                failures.Add($"does not compile ({where}): {diagnostic}");
            }
        }
    }

    /// <summary>The declaration whose text contains <paramref name="location"/>.</summary>
    private static RandomNetwork? Owner(List<RandomNetwork> networks, Location location)
    {
        if (location.SourceTree is not { } tree)
        {
            return null;
        }
        return networks.FirstOrDefault(n =>
            tree.FilePath == $"Source{n.File}.cs" && n.Start <= location.SourceSpan.Start && location.SourceSpan.End <= n.End);
    }
}
