using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;

namespace CompiledNets.Generator.Tests;

/// <summary>The five layer attributes, as a user writes them.</summary>
internal enum RandomLayerKind
{
    Linear,
    ReLU,
    LeakyReLU,
    Sigmoid,
    Tanh,
}

/// <summary>
/// One layer attribute: its kind, the sizes a <c>Linear</c> was given, and for <c>LeakyReLU</c> whether
/// its slope is finite. <see cref="Text"/> is how it is spelled in source (positional, named, qualified...).
/// </summary>
internal sealed record RandomLayer(RandomLayerKind Kind, int InFeatures, int OutFeatures, bool FiniteSlope, string Text);

/// <summary>A type the network is nested in: its keyword, and whether it is partial or generic.</summary>
internal sealed record RandomContainer(string Keyword, string Name, bool Partial, bool Generic);

/// <summary>
/// One random network declaration and what the rules of CompiledNets say about it. <see cref="Render"/>
/// writes it (with its containers and, for a split declaration, its second part) as C#.
/// </summary>
/// <remarks>
/// The validity model here restates the documented rules (CN0001…CN0012) on purpose without calling the
/// generator's parser, so that a bug in the parser shows up as a disagreement instead of being copied.
/// </remarks>
internal sealed class RandomNetwork
{
    /// <summary>The generator refuses networks with more parameters than this (CN0011).</summary>
    public const long MaxParameters = 50_000_000;

    public required string Name { get; init; }

    /// <summary>Layers in declaration order.</summary>
    public required List<RandomLayer> Layers { get; init; }

    /// <summary>"class", "sealed class", "static class", "record" or "sealed record".</summary>
    public required string Keyword { get; init; }

    public required string Accessibility { get; init; }

    public required bool Partial { get; init; }

    public required bool FileLocal { get; init; }

    public required bool Generic { get; init; }

    /// <summary>Containing types, outermost first.</summary>
    public required List<RandomContainer> Containers { get; init; }

    /// <summary>Layers from this index on sit on a second partial declaration (CN0007); null when not split.</summary>
    public int? SplitAt { get; init; }

    /// <summary>An extra partial declaration without attributes follows the network (harmless).</summary>
    public bool EmptySecondPart { get; init; }

    /// <summary>Attributes grouped into lists like <c>[Linear(2, 3), ReLU]</c> rather than one per bracket.</summary>
    public bool GroupedAttributes { get; init; }

    /// <summary>Body: <c>;</c> or <c>{ }</c>.</summary>
    public bool BlockBody { get; init; }

    /// <summary>The namespace as written (for example <c>@event.Models</c>), or null for the global namespace.</summary>
    public string? Namespace { get; set; }

    /// <summary>Where <see cref="Render"/> put this declaration: the file and the span of its text.</summary>
    public int File { get; set; }

    public int Start { get; set; }

    public int End { get; set; }

    /// <summary>
    /// The CN errors the rules call for; empty exactly when the network is valid. The generator may
    /// report fewer (it stops at some errors, and a layer after a bad one has no known input size)
    /// but never one outside this set.
    /// </summary>
    public SortedSet<string> ExpectedErrors
    {
        get
        {
            var errors = new SortedSet<string>(StringComparer.Ordinal);
            if (!Partial)
            {
                errors.Add("CN0003");
            }
            if (Keyword.Contains("record", StringComparison.Ordinal) || Keyword.Contains("static", StringComparison.Ordinal) || FileLocal)
            {
                errors.Add("CN0010");
            }
            if (Generic || Containers.Any(c => c.Generic))
            {
                errors.Add("CN0008");
            }
            if (Containers.Any(c => !c.Partial))
            {
                errors.Add("CN0009");
            }
            if (SplitAt is not null)
            {
                errors.Add("CN0007");
            }

            List<RandomLayer> linears = Layers.Where(l => l.Kind == RandomLayerKind.Linear).ToList();
            if (linears.Count == 0)
            {
                errors.Add("CN0004");
                return errors;
            }
            if (Layers[0].Kind != RandomLayerKind.Linear)
            {
                errors.Add("CN0005");
            }
            if (linears.Any(l => l.InFeatures < 1 || l.OutFeatures < 1))
            {
                errors.Add("CN0002");
            }
            // Activations keep the width, so each Linear must take what the Linear before it gives.
            for (int i = 1; i < linears.Count; i++)
            {
                if (linears[i].InFeatures != linears[i - 1].OutFeatures)
                {
                    errors.Add("CN0001");
                }
            }
            if (Layers.Any(l => l.Kind == RandomLayerKind.LeakyReLU && !l.FiniteSlope))
            {
                errors.Add("CN0012");
            }
            long parameters = linears.Where(l => l.InFeatures > 0 && l.OutFeatures > 0).Sum(l => (long)l.InFeatures * l.OutFeatures + l.OutFeatures);
            if (parameters > MaxParameters)
            {
                errors.Add("CN0011");
            }
            return errors;
        }
    }

    public bool IsValid => ExpectedErrors.Count == 0;

    /// <summary>A final activation is allowed but warned about (CN0006).</summary>
    public bool EndsWithActivation => Layers.Count > 0 && Layers[^1].Kind != RandomLayerKind.Linear;

    /// <summary>The hint name of the generated file: namespace, containers and name, without '@'.</summary>
    public string HintName =>
        string.Join(".", (Namespace is null ? Array.Empty<string>() : Namespace.Split('.'))
            .Concat(Containers.Select(c => c.Name))
            .Append(Name)
            .Select(part => part.TrimStart('@'))) + ".g.cs";

    /// <summary>One line of description for assertion messages.</summary>
    public string Describe() =>
        $"{Name} (Source{File}.cs [{Start}..{End}), expected errors [{string.Join(", ", ExpectedErrors)}])";

    /// <summary>Writes the declaration, indented by <paramref name="indent"/> levels.</summary>
    public void Render(StringBuilder text, int indent)
    {
        foreach (RandomContainer container in Containers)
        {
            // "static", "sealed" and "abstract" come before "partial"; "class", "struct", "record struct" after it.
            string[] words = container.Keyword.Split(' ');
            bool hasModifier = words[0] is "static" or "sealed" or "abstract";
            string modifier = hasModifier ? words[0] + " " : "";
            string typeKeyword = hasModifier ? words[1] : container.Keyword;
            Line(text, indent, $"internal {modifier}{(container.Partial ? "partial " : "")}{typeKeyword} {container.Name}{(container.Generic ? "<TOuter>" : "")}");
            Line(text, indent, "{");
            indent++;
        }

        int firstCount = SplitAt ?? Layers.Count;
        RenderAttributes(text, indent, Layers.Take(firstCount).ToList());
        string modifiers = (FileLocal ? "file " : Accessibility) + ModifiersBeforePartial() + (Partial ? "partial " : "") + KeywordAfterPartial();
        string typeParameters = Generic ? "<T>" : "";
        Line(text, indent, $"{modifiers} {Name}{typeParameters}{(BlockBody ? " { }" : ";")}");
        if (SplitAt is { } split)
        {
            RenderAttributes(text, indent, Layers.Skip(split).ToList());
            Line(text, indent, $"partial class {Name}{typeParameters};");
        }
        else if (EmptySecondPart)
        {
            Line(text, indent, $"partial class {Name}{typeParameters}");
            Line(text, indent, "{");
            Line(text, indent + 1, "public int Tag;");
            Line(text, indent, "}");
        }

        foreach (RandomContainer _ in Containers)
        {
            indent--;
            Line(text, indent, "}");
        }
    }

    // "static" and "sealed" go before "partial"; the type keyword ("class", "record") after it.
    private string ModifiersBeforePartial() =>
        Keyword.StartsWith("static ", StringComparison.Ordinal) ? "static " : Keyword.StartsWith("sealed ", StringComparison.Ordinal) ? "sealed " : "";

    private string KeywordAfterPartial() => Keyword.Split(' ')[^1];

    private void RenderAttributes(StringBuilder text, int indent, List<RandomLayer> layers)
    {
        if (GroupedAttributes)
        {
            // Pairs in one list: [Linear(2, 3), ReLU]; order in source is still layer order.
            for (int i = 0; i < layers.Count; i += 2)
            {
                Line(text, indent, "[" + string.Join(", ", layers.Skip(i).Take(2).Select(l => l.Text)) + "]");
            }
        }
        else
        {
            foreach (RandomLayer layer in layers)
            {
                Line(text, indent, "[" + layer.Text + "]");
            }
        }
    }

    private static void Line(StringBuilder text, int indent, string line) =>
        text.Append(' ', indent * 4).Append(line).Append('\n');
}

/// <summary>
/// Makes random network declarations, from a seed, so a failure can be replayed: valid chains of
/// layers, then (with some probability each) the mistakes users make: mismatched or non-positive sizes,
/// activations first or last, no Linear at all, bad LeakyReLU slopes, huge layers, missing
/// <c>partial</c>, records, static and file-local classes, generic or non-partial containers.
/// </summary>
internal sealed class RandomDeclarations
{
    private static readonly string[] Namespaces =
    {
        "MyApp", "MyApp.Nets", "@event", "@event.@class", "Deep.A.B.C", "@namespace.Models", "Models",
    };

    private readonly Random _random;
    private int _next;

    public RandomDeclarations(int seed) => _random = new Random(seed);

    /// <summary>
    /// A source file holding <paramref name="count"/> networks, in the global namespace, one file-scoped
    /// namespace, or block namespaces (some written nested). Sets each network's file and span.
    /// </summary>
    public string File(int fileIndex, int count, List<RandomNetwork> into)
    {
        var networks = Enumerable.Range(0, count).Select(_ => Network()).ToList();
        var text = new StringBuilder("using CompiledNets;\n\n");
        int style = _random.Next(3);
        if (style == 1)
        {
            string ns = Pick(Namespaces);
            text.Append("namespace ").Append(ns).Append(";\n\n");
            foreach (RandomNetwork network in networks)
            {
                network.Namespace = ns;
                Append(text, network, fileIndex, indent: 0);
            }
        }
        else
        {
            foreach (RandomNetwork network in networks)
            {
                if (style == 0 || _random.Next(4) == 0)
                {
                    // Types in the global namespace may sit between namespace blocks.
                    network.Namespace = null;
                    Append(text, network, fileIndex, indent: 0);
                    continue;
                }
                string ns = Pick(Namespaces);
                network.Namespace = ns;
                string[] parts = ns.Split('.');
                bool nested = parts.Length > 1 && _random.Next(2) == 0;
                string[] blocks = nested ? parts : new[] { ns };
                for (int i = 0; i < blocks.Length; i++)
                {
                    text.Append(' ', i * 4).Append("namespace ").Append(blocks[i]).Append('\n').Append(' ', i * 4).Append("{\n");
                }
                Append(text, network, fileIndex, indent: blocks.Length);
                for (int i = blocks.Length - 1; i >= 0; i--)
                {
                    text.Append(' ', i * 4).Append("}\n");
                }
            }
        }
        into.AddRange(networks);
        return text.ToString();
    }

    private static void Append(StringBuilder text, RandomNetwork network, int fileIndex, int indent)
    {
        network.File = fileIndex;
        network.Start = text.Length;
        network.Render(text, indent);
        network.End = text.Length;
        text.Append('\n');
    }

    /// <summary>One network: the type around it, then its layers.</summary>
    public RandomNetwork Network()
    {
        string name = $"Net{_next++}";
        var containers = new List<RandomContainer>();
        int depth = Chance(0.65) ? 0 : _random.Next(1, 4);
        for (int d = 0; d < depth; d++)
        {
            string keyword = Pick(new[] { "class", "class", "static class", "sealed class", "abstract class", "struct", "record", "record struct", "interface" });
            containers.Add(new RandomContainer(keyword, $"{name}Outer{d}", Partial: Chance(0.85), Generic: Chance(0.08)));
        }

        string kind = Chance(0.82) ? "class" : Pick(new[] { "sealed class", "static class", "record", "sealed record" });
        bool fileLocal = depth == 0 && Chance(0.04);   // 'file' is only allowed on top-level types
        bool partial = Chance(0.9);
        bool generic = Chance(0.04);
        string accessibility = fileLocal ? "" : Pick(AccessibilitiesIn(containers.LastOrDefault()));

        List<RandomLayer> layers = Layers();
        // A second declaration is written as "partial class", so only plain partial top-level classes get one.
        bool canSplit = depth == 0 && !fileLocal && partial && kind == "class";
        int? splitAt = canSplit && layers.Count >= 2 && Chance(0.05) ? _random.Next(1, layers.Count) : null;
        bool emptySecondPart = canSplit && splitAt is null && Chance(0.1);

        return new RandomNetwork
        {
            Name = name,
            Layers = layers,
            Keyword = kind,
            Accessibility = accessibility,
            Partial = partial,
            FileLocal = fileLocal,
            Generic = generic,
            Containers = containers,
            SplitAt = splitAt,
            EmptySecondPart = emptySecondPart,
            GroupedAttributes = Chance(0.2),
            BlockBody = Chance(0.3),
        };
    }

    private static string[] AccessibilitiesIn(RandomContainer? container) => container?.Keyword switch
    {
        null => new[] { "", "public ", "internal " },
        "interface" => new[] { "", "public ", "internal " },
        "struct" or "record struct" or "static class" => new[] { "", "public ", "internal ", "private " },
        _ => new[] { "", "public ", "internal ", "private ", "protected ", "private protected " },
    };

    /// <summary>A valid chain, then possibly broken in one or more ways.</summary>
    private List<RandomLayer> Layers()
    {
        var layers = new List<RandomLayer>();
        int linearCount = _random.Next(1, 5);
        int width = Size();
        for (int i = 0; i < linearCount; i++)
        {
            int outFeatures = Size();
            layers.Add(Linear(width, outFeatures));
            width = outFeatures;
            if (i < linearCount - 1)
            {
                for (int a = _random.Next(0, 3); a > 0; a--)
                {
                    layers.Add(Activation(finiteSlope: true));
                }
            }
        }
        if (Chance(0.1))
        {
            layers.Add(Activation(finiteSlope: true));      // ends with an activation: CN0006, still valid
        }

        // Mistakes, each independently.
        if (Chance(0.08))
        {
            int at = IndexOfLinear(layers);
            RandomLayer linear = layers[at];
            layers[at] = Linear(linear.InFeatures + _random.Next(1, 5) * (Chance(0.5) ? 1 : -1), linear.OutFeatures);
        }
        if (Chance(0.06))
        {
            int at = IndexOfLinear(layers);
            int bad = Pick(new[] { 0, -1, -7, int.MinValue });
            RandomLayer linear = layers[at];
            layers[at] = Chance(0.5) ? Linear(bad, linear.OutFeatures) : Linear(linear.InFeatures, bad);
        }
        if (Chance(0.05))
        {
            layers.Insert(0, Activation(finiteSlope: true));
        }
        if (Chance(0.03))
        {
            layers = Enumerable.Range(0, _random.Next(1, 4)).Select(_ => Activation(finiteSlope: true)).ToList();
        }
        if (Chance(0.04))
        {
            layers.Insert(_random.Next(layers.Count + 1), Activation(finiteSlope: false));
        }
        if (Chance(0.02))
        {
            // Too many parameters: sizes that are fine one by one but not together, or int.MaxValue.
            int at = IndexOfLinear(layers);
            if (at >= 0)
            {
                layers[at] = Chance(0.5) ? Linear(100_000, 1_000) : Linear(layers[at].InFeatures, int.MaxValue);
            }
        }
        return layers;
    }

    private int IndexOfLinear(List<RandomLayer> layers)
    {
        int[] linears = Enumerable.Range(0, layers.Count).Where(i => layers[i].Kind == RandomLayerKind.Linear).ToArray();
        return linears.Length == 0 ? -1 : linears[_random.Next(linears.Length)];
    }

    /// <summary>Mostly small (1..24); sometimes past the 256-weight unroll limit; sometimes 1.</summary>
    private int Size() => _random.Next(10) switch
    {
        0 => 1,
        1 => _random.Next(17, 40),
        _ => _random.Next(1, 25),
    };

    private RandomLayer Linear(int inFeatures, int outFeatures)
    {
        string a = SizeText(inFeatures), b = SizeText(outFeatures);
        string text = _random.Next(6) switch
        {
            0 => $"Linear(inFeatures: {a}, outFeatures: {b})",
            1 => $"Linear(outFeatures: {b}, inFeatures: {a})",
            2 => $"CompiledNets.Linear({a}, {b})",
            3 => $"global::CompiledNets.LinearAttribute({a}, {b})",
            _ => $"Linear({a}, {b})",
        };
        return new RandomLayer(RandomLayerKind.Linear, inFeatures, outFeatures, true, text);
    }

    private static string SizeText(int size) => size switch
    {
        int.MinValue => "int.MinValue",
        int.MaxValue => "int.MaxValue",
        _ => size.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    private RandomLayer Activation(bool finiteSlope)
    {
        if (!finiteSlope)
        {
            string bad = Pick(new[] { "float.NaN", "float.PositiveInfinity", "float.NegativeInfinity", "0f / 0f", "float.MaxValue * 2f", "1f / 0f" });
            return new RandomLayer(RandomLayerKind.LeakyReLU, 0, 0, false, Chance(0.5) ? $"LeakyReLU({bad})" : $"LeakyReLU(negativeSlope: {bad})");
        }
        return _random.Next(5) switch
        {
            0 => new RandomLayer(RandomLayerKind.ReLU, 0, 0, true, Pick(new[] { "ReLU", "ReLU()", "CompiledNets.ReLU", "ReLUAttribute" })),
            1 => new RandomLayer(RandomLayerKind.Sigmoid, 0, 0, true, Pick(new[] { "Sigmoid", "Sigmoid()", "global::CompiledNets.Sigmoid" })),
            2 => new RandomLayer(RandomLayerKind.Tanh, 0, 0, true, Pick(new[] { "Tanh", "Tanh()", "CompiledNets.TanhAttribute" })),
            _ => new RandomLayer(RandomLayerKind.LeakyReLU, 0, 0, true, Pick(new[]
            {
                "LeakyReLU", "LeakyReLU()", "LeakyReLU(0.2f)", "LeakyReLU(negativeSlope: 0.1f)", "LeakyReLU(-0.5f)",
                "LeakyReLU(0f)", "LeakyReLU(1f)", "LeakyReLU(float.MaxValue)", "LeakyReLU(float.Epsilon)", "LeakyReLU(1e-3f)",
            })),
        };
    }

    private bool Chance(double probability) => _random.NextDouble() < probability;

    private T Pick<T>(T[] choices) => choices[_random.Next(choices.Length)];
}
