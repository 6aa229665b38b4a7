using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;

namespace CompiledNets.Tests.Golden;

/// <summary>Reads the fixtures the scripts in <c>tests/fixtures</c> wrote, and compares numbers with a relative tolerance.</summary>
internal static class FixtureJson
{
    /// <summary>The root of <c>Fixtures/{relativePath}</c> in the test output directory.</summary>
    public static JsonElement Load(string relativePath)
    {
        string path = Path.Combine(AppContext.BaseDirectory, "Fixtures", relativePath);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"Missing fixture {path}; regenerate it with the script in tests/fixtures.", path);
        }
        return JsonDocument.Parse(File.ReadAllText(path)).RootElement.Clone();
    }

    /// <summary>The names of the cases in <paramref name="list"/>, as xUnit member data.</summary>
    public static IEnumerable<object[]> Names(this JsonElement root, string list) =>
        root.GetProperty(list).EnumerateArray().Select(c => new object[] { c.GetProperty("name").GetString()! });

    /// <summary>The case named <paramref name="name"/> in <paramref name="list"/>.</summary>
    public static JsonElement Case(this JsonElement root, string list, string name) =>
        root.GetProperty(list).EnumerateArray().Single(c => c.GetProperty("name").GetString() == name);

    /// <summary>A number, with the string "NaN" for NaN (the fixtures' convention).</summary>
    public static double Number(this JsonElement element) =>
        element.ValueKind == JsonValueKind.String && element.GetString() == "NaN" ? double.NaN : element.GetDouble();

    public static float[] Floats(this JsonElement element) => element.EnumerateArray().Select(e => (float)e.Number()).ToArray();

    public static double[] Doubles(this JsonElement element) => element.EnumerateArray().Select(e => e.Number()).ToArray();

    public static int[] Ints(this JsonElement element) => element.EnumerateArray().Select(e => e.GetInt32()).ToArray();

    public static bool Has(this JsonElement element, string name) =>
        element.TryGetProperty(name, out JsonElement value) && value.ValueKind != JsonValueKind.Null;

    /// <summary>|actual − expected| / max(|expected|, floor): the relative difference, with a floor for values near 0.</summary>
    public static double Relative(double actual, double expected, double floor)
    {
        if (double.IsNaN(expected) && double.IsNaN(actual)) return 0;
        return Math.Abs(actual - expected) / Math.Max(Math.Abs(expected), floor);
    }

    /// <summary>The largest <see cref="Relative"/> difference over two arrays of the same length.</summary>
    public static double MaxRelative(ReadOnlySpan<float> actual, ReadOnlySpan<float> expected, double floor)
    {
        if (actual.Length != expected.Length)
        {
            throw new ArgumentException($"Expected {expected.Length} values but got {actual.Length}.");
        }
        double max = 0;
        for (int i = 0; i < actual.Length; i++)
        {
            max = Math.Max(max, Relative(actual[i], expected[i], floor));
        }
        return max;
    }
}
