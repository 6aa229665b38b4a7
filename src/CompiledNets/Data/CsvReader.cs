using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;

namespace CompiledNets;

/// <summary>
/// Reads a numeric CSV file into a <see cref="Dataset"/>: every row holds the same number of
/// columns, one of them an integer class label and the others float features. See
/// <see cref="Datasets.ReadCsv"/> for the rules.
/// </summary>
/// <remarks>
/// Rows are parsed into growing lists and the dataset is built only after the last row, so a
/// malformed file throws without returning anything half-read. Errors name the source and the
/// 1-based physical line (the header counts as line 1), plus the 1-based column where one is at fault.
/// </remarks>
internal static class CsvReader
{
    /// <summary>The longest line read, in characters (a row of a million features fits several times over).</summary>
    internal const int MaxLineLength = 1 << 25;

    /// <summary>
    /// The most classes inferred from the labels when no class count is given: a larger label is far more likely a
    /// wrong label column than a class, and would size every per-class table.
    /// </summary>
    internal const int MaxInferredClassCount = 1 << 16;

    public static Dataset Read(string path, int labelColumn, bool hasHeader, char separator, int? classCount)
    {
        CheckArguments(labelColumn, separator, classCount);
        using Stream stream = DataFile.Open(path, nameof(path), out _);
        return Read(stream, path, labelColumn, hasHeader, separator, classCount, classNames: null);
    }

    /// <summary>Reads from an open stream; <paramref name="source"/> names it in error messages.</summary>
    public static Dataset Read(
        Stream stream, string source, int labelColumn, bool hasHeader, char separator, int? classCount, IReadOnlyList<string>? classNames)
    {
        CheckArguments(labelColumn, separator, classCount);
        using var text = new StreamReader(stream);
        var reader = new LineReader(text, MaxLineLength);
        var features = new List<float>();
        var labels = new List<int>();
        int columns = 0, label = -1, lineNumber = 0, maxLabel = -1;
        bool headerPending = hasHeader;
        while (ReadLine(reader, source, ref lineNumber) is { } line)
        {
            // Blank lines are skipped, as pandas.read_csv does by default.
            if (string.IsNullOrWhiteSpace(line)) continue;
            int lineColumns = line.AsSpan().Count(separator) + 1;
            if (columns == 0)
            {
                // The first line, header or data, fixes the column count and so the label column.
                if (lineColumns < 2)
                {
                    throw Error(source, lineNumber, $"expected at least 2 columns (features and a label) separated by '{separator}' but found 1");
                }
                if (labelColumn >= lineColumns)
                {
                    throw new ArgumentOutOfRangeException(
                        nameof(labelColumn), labelColumn, $"Expected labelColumn in [-1, {lineColumns}) for '{source}', which has {lineColumns} columns, but got {labelColumn}.");
                }
                columns = lineColumns;
                label = labelColumn < 0 ? columns - 1 : labelColumn;
            }
            else if (lineColumns != columns)
            {
                throw Error(source, lineNumber, $"expected {columns} columns (as on the first line) but found {lineColumns}");
            }
            if (headerPending)
            {
                headerPending = false;
                continue;
            }

            int column = 0;
            foreach (Range range in line.AsSpan().Split(separator))
            {
                ReadOnlySpan<char> field = line.AsSpan(range).Trim();
                if (column == label)
                {
                    int value = ParseLabel(field, source, lineNumber, column, classCount);
                    labels.Add(value);
                    maxLabel = Math.Max(maxLabel, value);
                }
                else
                {
                    features.Add(ParseFeature(field, source, lineNumber, column));
                }
                column++;
            }
        }
        if (labels.Count == 0)
        {
            throw new InvalidDataException($"'{source}': expected at least one data row but found none{(hasHeader ? " after the header" : "")}.");
        }
        return new Dataset(features.ToArray(), labels.ToArray(), columns - 1, classCount ?? maxLabel + 1, classNames);
    }

    private static void CheckArguments(int labelColumn, char separator, int? classCount)
    {
        if (labelColumn < -1)
        {
            throw new ArgumentOutOfRangeException(nameof(labelColumn), labelColumn, $"Expected labelColumn >= 0, or -1 for the last column, but got {labelColumn}.");
        }
        // A separator that can occur inside a number would split numbers apart.
        if (char.IsLetterOrDigit(separator) || separator is '.' or '+' or '-' or '\r' or '\n')
        {
            throw new ArgumentException($"Expected a separator that cannot occur in a number (such as ',', ';' or '\\t') but got '{separator}'.", nameof(separator));
        }
        if (classCount < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(classCount), classCount, $"Expected classCount >= 1 (or null to use the largest label + 1) but got {classCount}.");
        }
    }

    /// <summary>The next line, with decompression errors and overlong lines reported at the line being read.</summary>
    private static string? ReadLine(LineReader reader, string source, ref int lineNumber)
    {
        lineNumber++;
        try
        {
            return reader.ReadLine();
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"'{source}', line {lineNumber}: {e.Message}.", e);
        }
    }

    private static float ParseFeature(ReadOnlySpan<char> field, string source, int line, int column)
    {
        // .NET's number parsing ignores trailing NUL characters, so "2\0" would read as 2.
        if (!field.Contains('\0') && float.TryParse(field, NumberStyles.Float, CultureInfo.InvariantCulture, out float value) && float.IsFinite(value))
        {
            return value;
        }
        throw Error(source, line, $"column {column + 1}: expected a finite number but found {Quote(field)}");
    }

    /// <summary>Accepts <c>3</c> and also <c>3.0</c> (as pandas writes integer labels of a float column).</summary>
    private static int ParseLabel(ReadOnlySpan<char> field, string source, int line, int column, int? classCount)
    {
        // .NET's number parsing ignores trailing NUL characters, so "1\0" would read as 1.
        int value = 0;
        bool hasNul = field.Contains('\0');
        bool isInteger = !hasNul && int.TryParse(field, NumberStyles.Integer, CultureInfo.InvariantCulture, out value);
        if (!isInteger
            && !hasNul && double.TryParse(field, NumberStyles.Float, CultureInfo.InvariantCulture, out double real)
            && real == Math.Floor(real) && real >= 0 && real < int.MaxValue)
        {
            value = (int)real;
            isInteger = true;
        }
        if (!isInteger || value < 0)
        {
            throw Error(source, line, $"column {column + 1}: expected a non-negative integer label but found {Quote(field)}");
        }
        if (value >= classCount)
        {
            throw Error(source, line, $"column {column + 1}: expected a label in [0, {classCount}) (classCount = {classCount}) but found {value}");
        }
        if (classCount is null && value >= MaxInferredClassCount)
        {
            throw Error(source, line,
                $"column {column + 1}: expected a label below {MaxInferredClassCount} when classCount is not given but found {value} " +
                "(is this the label column? pass classCount to allow more classes)");
        }
        return value;
    }

    /// <summary>The field as a message shows it: NUL spelled <c>\0</c>, a long field cut to its first 40 characters.</summary>
    private static string Quote(ReadOnlySpan<char> field)
    {
        if (field.IsEmpty)
        {
            return "an empty field";
        }
        string shown = field[..Math.Min(field.Length, 40)].ToString().Replace("\0", "\\0", StringComparison.Ordinal);
        return field.Length > 40 ? $"'{shown}…' ({field.Length} characters)" : $"'{shown}'";
    }

    private static InvalidDataException Error(string source, int line, string message) => new($"'{source}', line {line}: {message}.");
}
