using System;
using System.Collections;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Reflection;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;

namespace CompiledNets.Generator.Tests;

/// <summary>
/// The generator is incremental: an edit that does not touch a network leaves every tracked step
/// cached, an edit that changes a network is seen as a modification, and the models the pipeline
/// caches hold nothing that would pin a compilation (symbols, syntax, locations).
/// </summary>
/// <remarks>
/// Each test runs the driver once, edits the compilation, and runs the driver returned by the first
/// run again, as the IDE does on every keystroke; the second run's tracked steps say what was redone.
/// </remarks>
public class IncrementalTests
{
    private const string SeedNet = """
        using CompiledNets;

        namespace MyApp;

        [Linear(10, 20)]
        [ReLU]
        [Linear(20, 2)]
        public partial class Net;
        """;

    private const string Unrelated = """
        namespace MyApp;

        internal static class Helpers
        {
            public static int Twice(int x) => 2 * x;
        }
        """;

    private static readonly string[] TrackedSteps = { TrackingNames.Parse, TrackingNames.Networks };

    [Fact]
    public void Adding_an_unrelated_file_leaves_every_step_cached()
    {
        GeneratorRun first = GeneratorDriverHelper.Run(SeedNet);
        GeneratorDriverHelper.AssertCompilesCleanly(first);

        CSharpCompilation edited = first.InputCompilation.AddSyntaxTrees(Parse(Unrelated, "Source1.cs"));
        GeneratorRun second = GeneratorDriverHelper.Run(first.Driver, edited);

        AssertEveryOutput(second, TrackedSteps, IncrementalStepRunReason.Cached, IncrementalStepRunReason.Unchanged);
        AssertSourceOutputs(second, IncrementalStepRunReason.Cached, IncrementalStepRunReason.Unchanged);
        Assert.Equal(first.Source("MyApp.Net.g.cs"), second.Source("MyApp.Net.g.cs"));
    }

    [Fact]
    public void Editing_an_unrelated_file_leaves_every_step_cached()
    {
        GeneratorRun first = GeneratorDriverHelper.Run(SeedNet, Unrelated);

        SyntaxTree old = first.InputCompilation.SyntaxTrees.Single(t => t.FilePath == "Source1.cs");
        CSharpCompilation edited = first.InputCompilation.ReplaceSyntaxTree(old, Parse(Unrelated.Replace("2 * x", "x + x"), "Source1.cs"));
        GeneratorRun second = GeneratorDriverHelper.Run(first.Driver, edited);

        AssertEveryOutput(second, TrackedSteps, IncrementalStepRunReason.Cached, IncrementalStepRunReason.Unchanged);
        AssertSourceOutputs(second, IncrementalStepRunReason.Cached, IncrementalStepRunReason.Unchanged);
    }

    [Fact]
    public void Editing_the_network_file_without_changing_the_network_leaves_the_output_cached()
    {
        // The parse reruns for the edited file, but an equal model means nothing is emitted again.
        GeneratorRun first = GeneratorDriverHelper.Run(SeedNet);

        string commented = SeedNet.Replace("[ReLU]", "[ReLU] // the only non-linearity");
        GeneratorRun second = GeneratorDriverHelper.Run(first.Driver, ReplaceOnlyTree(first.InputCompilation, commented));

        AssertEveryOutput(second, new[] { TrackingNames.Networks }, IncrementalStepRunReason.Cached, IncrementalStepRunReason.Unchanged);
        AssertSourceOutputs(second, IncrementalStepRunReason.Cached, IncrementalStepRunReason.Unchanged);
    }

    [Fact]
    public void Changing_a_layer_size_is_a_modification()
    {
        GeneratorRun first = GeneratorDriverHelper.Run(SeedNet);

        string wider = SeedNet.Replace("[Linear(10, 20)]", "[Linear(10, 30)]").Replace("[Linear(20, 2)]", "[Linear(30, 2)]");
        GeneratorRun second = GeneratorDriverHelper.Run(first.Driver, ReplaceOnlyTree(first.InputCompilation, wider));

        GeneratorDriverHelper.AssertCompilesCleanly(second);
        IEnumerable<IncrementalStepRunReason> networks = Outputs(second, TrackingNames.Networks).Select(o => o.Reason);
        Assert.Equal(new[] { IncrementalStepRunReason.Modified }, networks);
        Assert.Contains(Outputs(second, "SourceOutput"), o => o.Reason == IncrementalStepRunReason.Modified);
        Assert.Contains("public const int ParameterCount = 392;", second.Source("MyApp.Net.g.cs"));
    }

    [Fact]
    public void Adding_a_layer_is_a_modification()
    {
        GeneratorRun first = GeneratorDriverHelper.Run(SeedNet);

        string deeper = SeedNet.Replace("[Linear(20, 2)]", "[Linear(20, 2)]\n[Tanh]");
        GeneratorRun second = GeneratorDriverHelper.Run(first.Driver, ReplaceOnlyTree(first.InputCompilation, deeper));

        Assert.Equal(new[] { IncrementalStepRunReason.Modified }, Outputs(second, TrackingNames.Networks).Select(o => o.Reason));
        Assert.Equal(new[] { "CN0006" }, second.NetworkDiagnostics.Select(d => d.Id));
    }

    [Fact]
    public void Each_network_has_exactly_one_output_across_the_five_pipelines()
    {
        // Every layer attribute type has its own pipeline, and this class uses all five; exactly one owns it.
        GeneratorRun run = GeneratorDriverHelper.Run("""
            using CompiledNets;

            [Tanh]
            [Linear(4, 4)]
            [ReLU]
            [LeakyReLU]
            [Sigmoid]
            [Linear(4, 2)]
            internal partial class Net;
            """);

        Assert.Single(Outputs(run, TrackingNames.Networks));
        Assert.Equal(new[] { "CN0005" }, run.NetworkDiagnostics.Select(d => d.Id));
    }

    /// <summary>Types a cached model must never reach: each pins a compilation or a syntax tree in memory.</summary>
    private static readonly Type[] Forbidden =
    {
        typeof(ISymbol), typeof(SyntaxNode), typeof(Compilation), typeof(SemanticModel), typeof(Location), typeof(SyntaxTree),
    };

    [Fact]
    public void Model_types_hold_no_symbols_syntax_or_compilations()
    {
        Type[] models = ModelTypes();
        Assert.Contains(models, t => t.Name == "NetworkSpec");
        Assert.Contains(models, t => t.Name == "ParseResult");

        var problems = new List<string>();
        var seen = new HashSet<Type>();
        foreach (Type model in models)
        {
            CheckFieldTypes(model, model.Name, seen, problems);
        }
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public void Model_types_are_equatable()
    {
        // The pipeline compares models with Equals to decide what is unchanged; reference equality would make every run "Modified".
        Type[] notEquatable = ModelTypes()
            .Where(t => !t.IsEnum)
            .Where(t => !t.GetInterfaces().Any(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEquatable<>)))
            .ToArray();
        Assert.Empty(notEquatable);
    }

    [Fact]
    public void Tracked_step_outputs_hold_no_symbols_syntax_or_compilations()
    {
        // Walk the actual objects the driver cached, including one with diagnostics (and so locations).
        GeneratorRun run = GeneratorDriverHelper.Run(
            SeedNet,
            """
            using CompiledNets;

            [Linear(2, 3)]
            [Sigmoid]
            internal partial class Warned;

            [Linear(2, 3)]
            [Linear(4, 1)]
            internal partial class Broken;
            """);

        var problems = new List<string>();
        var seen = new HashSet<object>(ReferenceEqualityComparer.Instance);
        int walked = 0;
        foreach (string step in TrackedSteps)
        {
            foreach ((object value, IncrementalStepRunReason _) in Outputs(run, step))
            {
                walked++;
                CheckObjectGraph(value, step, seen, problems);
            }
        }
        Assert.True(walked >= 3, $"Expected the outputs of three networks, walked {walked}.");
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    /// <summary>A model that breaks the rule, to show the walks above can fail.</summary>
    private sealed record LeakyModel(string Name, Location[] Where);

    [Fact]
    public void The_walks_find_a_forbidden_member()
    {
        var typeProblems = new List<string>();
        CheckFieldTypes(typeof(LeakyModel), nameof(LeakyModel), new HashSet<Type>(), typeProblems);
        Assert.Equal(new[] { "LeakyModel.<Where>k__BackingField[] is a Location (Location)" }, typeProblems);

        var objectProblems = new List<string>();
        CheckObjectGraph(new LeakyModel("net", new[] { Location.None }), "value", new HashSet<object>(ReferenceEqualityComparer.Instance), objectProblems);
        Assert.Equal(new[] { "value.<Where>k__BackingField[0] holds a NoLocation (Location)" }, objectProblems);
    }

    private static SyntaxTree Parse(string text, string path) =>
        CSharpSyntaxTree.ParseText(text, GeneratorDriverHelper.ParseOptions, path);

    private static CSharpCompilation ReplaceOnlyTree(CSharpCompilation compilation, string text)
    {
        SyntaxTree old = compilation.SyntaxTrees.Single();
        return compilation.ReplaceSyntaxTree(old, Parse(text, old.FilePath));
    }

    /// <summary>Every output of every step with this tracking name, over all pipelines.</summary>
    private static IEnumerable<(object Value, IncrementalStepRunReason Reason)> Outputs(GeneratorRun run, string stepName)
    {
        GeneratorRunResult result = run.Result.Results.Single();
        ImmutableDictionary<string, ImmutableArray<IncrementalGeneratorRunStep>> steps =
            stepName == "SourceOutput" ? result.TrackedOutputSteps : result.TrackedSteps;
        Assert.True(steps.ContainsKey(stepName), $"No tracked step '{stepName}'; tracked: {string.Join(", ", steps.Keys)}");
        return steps[stepName].SelectMany(step => step.Outputs);
    }

    private static void AssertEveryOutput(GeneratorRun run, IEnumerable<string> stepNames, params IncrementalStepRunReason[] allowed)
    {
        foreach (string name in stepNames)
        {
            var reasons = Outputs(run, name).Select(o => o.Reason).ToArray();
            Assert.NotEmpty(reasons);
            Assert.True(reasons.All(allowed.Contains), $"Step '{name}' ran with reasons {string.Join(", ", reasons)}; expected only {string.Join(" or ", allowed)}.");
        }
    }

    private static void AssertSourceOutputs(GeneratorRun run, params IncrementalStepRunReason[] allowed) =>
        AssertEveryOutput(run, new[] { "SourceOutput" }, allowed);

    /// <summary>The types the generator declares in CompiledNets.Generator.Model, without compiler-generated helpers.</summary>
    private static Type[] ModelTypes() =>
        typeof(NetworkGenerator).Assembly.GetTypes()
            .Where(t => t.Namespace == "CompiledNets.Generator.Model")
            .Where(t => !t.IsDefined(typeof(CompilerGeneratedAttribute)) && !t.Name.StartsWith('<'))
            .ToArray();

    /// <summary>Types whose fields the walks look into: the generator's, and this test's own <see cref="LeakyModel"/>.</summary>
    private static bool IsOurs(Type type) =>
        type.Assembly == typeof(NetworkGenerator).Assembly || type.Assembly == typeof(IncrementalTests).Assembly;

    private const BindingFlags AllInstanceFields = BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic;

    /// <summary>Checks the declared type of every field and property reachable from <paramref name="type"/> through generator types, arrays and generic arguments.</summary>
    private static void CheckFieldTypes(Type type, string path, HashSet<Type> seen, List<string> problems)
    {
        if (Forbidden.FirstOrDefault(f => f.IsAssignableFrom(type)) is { } forbidden)
        {
            problems.Add($"{path} is a {type.Name} ({forbidden.Name})");
            return;
        }
        if (!seen.Add(type))
        {
            return;
        }
        if (type.IsArray)
        {
            CheckFieldTypes(type.GetElementType()!, path + "[]", seen, problems);
            return;
        }
        if (type.IsGenericType)
        {
            foreach (Type argument in type.GetGenericArguments())
            {
                CheckFieldTypes(argument, $"{path}<{argument.Name}>", seen, problems);
            }
        }
        if (!IsOurs(type))
        {
            // Roslyn's and the BCL's own types (string, TextSpan, DiagnosticDescriptor...) are leaves.
            return;
        }
        foreach (FieldInfo field in type.GetFields(AllInstanceFields))
        {
            CheckFieldTypes(field.FieldType, $"{path}.{field.Name}", seen, problems);
        }
        // Computed properties store nothing, but one returning a symbol would mean the model is built to hand one out.
        foreach (PropertyInfo property in type.GetProperties(AllInstanceFields))
        {
            CheckFieldTypes(property.PropertyType, $"{path}.{property.Name}", seen, problems);
        }
    }

    /// <summary>Checks the run-time type of every object reachable from <paramref name="value"/> through generator types and collections.</summary>
    private static void CheckObjectGraph(object? value, string path, HashSet<object> seen, List<string> problems)
    {
        if (value is null || value is string || value.GetType().IsPrimitive || value.GetType().IsEnum)
        {
            return;
        }
        Type type = value.GetType();
        if (Forbidden.FirstOrDefault(f => f.IsInstanceOfType(value)) is { } forbidden)
        {
            problems.Add($"{path} holds a {type.Name} ({forbidden.Name})");
            return;
        }
        if (!type.IsValueType && !seen.Add(value))
        {
            return;
        }
        if (value is IEnumerable items && !IsOurs(type))
        {
            int i = 0;
            foreach (object? item in items)
            {
                CheckObjectGraph(item, $"{path}[{i++}]", seen, problems);
            }
            return;
        }
        if (!IsOurs(type))
        {
            return;
        }
        foreach (FieldInfo field in type.GetFields(AllInstanceFields))
        {
            CheckObjectGraph(field.GetValue(value), $"{path}.{field.Name}", seen, problems);
        }
    }
}
