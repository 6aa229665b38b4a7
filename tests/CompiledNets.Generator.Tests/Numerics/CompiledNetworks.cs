using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.Loader;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;

namespace CompiledNets.Generator.Tests.Numerics;

/// <summary>
/// Declarations compiled as a user's project compiles them (the generator, then an optimized build) and loaded into
/// a collectible context of their own, so a test can run networks it drew at random. The loaded assembly binds to the
/// CompiledNets runtime this process already runs, so its networks are <see cref="INetwork"/>s here.
/// </summary>
internal sealed class CompiledNetworks : IDisposable
{
    private readonly AssemblyLoadContext _context;
    private readonly Assembly _assembly;

    private CompiledNetworks(AssemblyLoadContext context, Assembly assembly)
    {
        _context = context;
        _assembly = assembly;
    }

    /// <summary>Generates and compiles <paramref name="source"/> (Release), failing the test on any error.</summary>
    public static CompiledNetworks Compile(string source)
    {
        CSharpCompilation compilation = GeneratorDriverHelper.CreateCompilation(source);
        compilation = compilation.WithOptions(compilation.Options.WithOptimizationLevel(OptimizationLevel.Release));
        GeneratorRun run = GeneratorDriverHelper.Run(GeneratorDriverHelper.CreateDriver(), compilation);
        Assert.Null(run.Exception);
        Diagnostic[] errors = [.. run.NetworkDiagnostics.Where(d => d.Severity == DiagnosticSeverity.Error)];
        Assert.True(errors.Length == 0, "The generator refused a declaration:\n" + GeneratorDriverHelper.Describe(errors) + "\n\n" + source);
        Assert.True(run.CompilationErrors.IsEmpty, "Compilation errors:\n" + GeneratorDriverHelper.Describe(run.CompilationErrors.Take(20)));

        using var image = new MemoryStream();
        var emitted = run.OutputCompilation.Emit(image);
        Assert.True(emitted.Success, "Emit failed:\n" + GeneratorDriverHelper.Describe(emitted.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).Take(20)));
        image.Position = 0;
        var context = new AssemblyLoadContext("RandomNetworks", isCollectible: true);
        return new CompiledNetworks(context, context.LoadFromStream(image));
    }

    /// <summary>A new instance of the network class <paramref name="name"/>, initialized from <paramref name="seed"/>.</summary>
    public INetwork Create(string name, int seed)
    {
        Type type = _assembly.GetType(name) ?? throw new InvalidOperationException($"No type {name} in the compiled assembly.");
        return (INetwork)Activator.CreateInstance(type, seed)!;
    }

    public void Dispose() => _context.Unload();
}
