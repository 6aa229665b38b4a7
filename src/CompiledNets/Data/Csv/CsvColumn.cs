using System;
using System.Collections.Generic;
using System.Linq;

namespace CompiledNets;

/// <summary>How a CSV column's values are held, decided by its first value (see <see cref="CsvTable"/>).</summary>
internal enum CsvColumnKind
{
    /// <summary>Finite floats.</summary>
    Number,

    /// <summary>Non-negative integers read exactly: a class-label column named before reading.</summary>
    Integer,

    /// <summary>Strings, each held as its index into the column's sorted categories.</summary>
    Text,
}

/// <summary>One column of a <see cref="CsvTable"/>: its values for every row, in the representation of its kind.</summary>
internal sealed class CsvColumn
{
    private CsvColumn(string name, CsvColumnKind kind, float[]? numbers, int[]? integers, int[]? codes, string[]? categories, double largest)
    {
        Largest = largest;
        Name = name;
        Kind = kind;
        Numbers = numbers;
        Integers = integers;
        Codes = codes;
        Categories = categories;
    }

    public static CsvColumn OfNumbers(string name, float[] values) =>
        new(name, CsvColumnKind.Number, values, null, null, null, values.Length == 0 ? double.NaN : values.Max());

    public static CsvColumn OfIntegers(string name, int[] values) =>
        new(name, CsvColumnKind.Integer, null, values, null, null, values.Length == 0 ? double.NaN : values.Max());

    /// <summary>A text column from codes in order of first appearance: the categories are sorted (ordinal) and the codes renumbered.</summary>
    public static CsvColumn OfText(string name, List<int> firstSeenCodes, List<string> firstSeenCategories)
    {
        string[] categories = firstSeenCategories.ToArray();
        int[] order = new int[categories.Length];
        for (int i = 0; i < order.Length; i++) order[i] = i;
        Array.Sort(categories, order, StringComparer.Ordinal);
        var rank = new int[order.Length];
        for (int sorted = 0; sorted < order.Length; sorted++) rank[order[sorted]] = sorted;
        var codes = new int[firstSeenCodes.Count];
        for (int i = 0; i < codes.Length; i++) codes[i] = rank[firstSeenCodes[i]];
        return new(name, CsvColumnKind.Text, null, null, codes, categories, double.NaN);
    }

    public string Name { get; }

    /// <summary>The largest value of a number or integer column over the whole file (NaN for text): the class count of labels.</summary>
    public double Largest { get; }

    public CsvColumnKind Kind { get; }

    /// <summary>The values of a <see cref="CsvColumnKind.Number"/> column.</summary>
    public float[]? Numbers { get; }

    /// <summary>The values of an <see cref="CsvColumnKind.Integer"/> column.</summary>
    public int[]? Integers { get; }

    /// <summary>Each row's index into <see cref="Categories"/>, for a <see cref="CsvColumnKind.Text"/> column.</summary>
    public int[]? Codes { get; }

    /// <summary>The distinct strings of the whole file's column, sorted ordinally (as NumPy's <c>unique</c> sorts strings).</summary>
    public string[]? Categories { get; }

    /// <summary>The value of a number or integer column in <paramref name="row"/>.</summary>
    public double Number(int row) => Kind == CsvColumnKind.Integer ? Integers![row] : Numbers![row];

    /// <summary>The column's value in <paramref name="row"/> as text, for messages and categories.</summary>
    public string Text(int row) => Kind switch
    {
        CsvColumnKind.Text => Categories![Codes![row]],
        CsvColumnKind.Integer => Integers![row].ToString(System.Globalization.CultureInfo.InvariantCulture),
        // -0 reads as 0, as NumPy's unique counts them as one value.
        _ => (Numbers![row] == 0f ? 0f : Numbers[row]).ToString("R", System.Globalization.CultureInfo.InvariantCulture),
    };

    /// <summary>The same column over the rows at <paramref name="indices"/> (the categories stay the whole file's).</summary>
    public CsvColumn Rows(ReadOnlySpan<int> indices) => Kind switch
    {
        CsvColumnKind.Text => new(Name, Kind, null, null, Pick(Codes!, indices), Categories, Largest),
        CsvColumnKind.Integer => new(Name, Kind, null, Pick(Integers!, indices), null, null, Largest),
        _ => new(Name, Kind, Pick(Numbers!, indices), null, null, null, Largest),
    };

    private static T[] Pick<T>(T[] values, ReadOnlySpan<int> indices)
    {
        var picked = new T[indices.Length];
        for (int i = 0; i < picked.Length; i++) picked[i] = values[indices[i]];
        return picked;
    }
}
