using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace CompiledNets;

/// <summary>
/// A CSV file as read, before it becomes a <see cref="Dataset"/>: named columns of numbers or text, like a pandas
/// <c>DataFrame</c> from <c>read_csv</c>. Split it, fit a <see cref="OneHotEncoder"/> on the training rows, then turn each
/// part into a dataset with <see cref="ToDataset(string, OneHotEncoder?, int?, IReadOnlyList{string}?)"/> (class labels) or
/// <see cref="ToDataset(string[], OneHotEncoder?)"/> (float targets).
/// </summary>
/// <remarks>
/// <para>Parsing is Sep's (RFC 4180: quoted fields with separators, quotes doubled inside them and line breaks; LF or
/// CRLF; a UTF-8 or UTF-16 byte-order mark; gzip detected by its magic bytes). Fields are trimmed of spaces; blank lines
/// are skipped; every row has the first row's column count.</para>
/// <para>A column's kind is set by its first value: a number (invariant culture) makes a column of finite floats, anything
/// else a text column. A later value that does not fit, an empty field (a missing value) or NaN and infinity raise an
/// <see cref="InvalidDataException"/> naming the file, the 1-based line (the header counts) and the column.</para>
/// <para>A text column keeps the sorted distinct strings of the whole file (ordinal order, as scikit-learn's
/// <c>LabelEncoder</c> sorts them), so every part of a split names its classes alike.</para>
/// </remarks>
public sealed partial class CsvTable
{
    private readonly CsvColumn[] _columns;
    private readonly int[] _lines;

    internal CsvTable(string source, bool hasHeader, CsvColumn[] columns, int[] lines, int labelHint)
    {
        Source = source;
        HasHeader = hasHeader;
        _columns = columns;
        _lines = lines;
        LabelHint = labelHint;
        ColumnNames = Array.AsReadOnly(columns.Select(column => column.Name).ToArray());
    }

    /// <summary>
    /// Reads a CSV file (see the remarks on <see cref="CsvTable"/>). Without a header, columns are named <c>"0"</c>,
    /// <c>"1"</c>, … as pandas' <c>header=None</c> names them.
    /// </summary>
    /// <param name="path">The file; <c>.csv.gz</c> (any gzip file) is decompressed.</param>
    /// <param name="hasHeader">Whether the first non-blank line names the columns.</param>
    /// <param name="separator">The column separator.</param>
    public static CsvTable Read(string path, bool hasHeader = true, char separator = ',') =>
        CsvParser.Read(path, hasHeader, separator, CsvParser.LabelHint.None);

    /// <summary>Reads CSV text from a stream; <paramref name="source"/> names it in error messages.</summary>
    public static CsvTable Read(Stream stream, string source, bool hasHeader = true, char separator = ',')
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentException.ThrowIfNullOrEmpty(source);
        return CsvParser.Read(stream, source, hasHeader, separator, CsvParser.LabelHint.None);
    }

    /// <summary>The file (or stream) the table was read from, as error messages name it.</summary>
    public string Source { get; }

    /// <summary>Whether the file had a header row.</summary>
    public bool HasHeader { get; }

    /// <summary>The column names, in file order.</summary>
    public IReadOnlyList<string> ColumnNames { get; }

    /// <summary>Number of data rows.</summary>
    public int RowCount => _lines.Length;

    /// <summary>The column read as exact integer labels because it was named as the label before reading; -1 for none.</summary>
    internal int LabelHint { get; }

    /// <summary>Whether <paramref name="column"/> holds text (its first value was not a number).</summary>
    public bool IsText(string column) => Column(column, nameof(column)).Kind == CsvColumnKind.Text;

    /// <summary>The sorted distinct values of a text column over the whole file; for a number column, empty.</summary>
    public IReadOnlyList<string> Categories(string column) => Column(column, nameof(column)).Categories ?? [];

    /// <summary>The 1-based line of the file that data row <paramref name="row"/> came from.</summary>
    public int LineOf(int row) => (uint)row < (uint)_lines.Length
        ? _lines[row]
        : throw new ArgumentOutOfRangeException(nameof(row), row, $"Expected a row in [0, {RowCount}) but got {row}.");

    /// <summary>A table of the rows at <paramref name="indices"/>, in that order (repeats allowed), like <c>df.iloc[indices]</c>.</summary>
    public CsvTable Rows(ReadOnlySpan<int> indices)
    {
        for (int i = 0; i < indices.Length; i++)
        {
            if ((uint)indices[i] >= (uint)RowCount)
            {
                throw new ArgumentOutOfRangeException(nameof(indices), indices[i], $"Expected every index in [0, {RowCount}) but indices[{i}] = {indices[i]}.");
            }
        }
        var lines = new int[indices.Length];
        for (int i = 0; i < lines.Length; i++) lines[i] = _lines[indices[i]];
        var columns = new CsvColumn[_columns.Length];
        for (int c = 0; c < columns.Length; c++) columns[c] = _columns[c].Rows(indices);
        return new CsvTable(Source, HasHeader, columns, lines, LabelHint);
    }

    /// <summary>The table without the named columns (an identifier, say), like <c>df.drop(columns=...)</c>.</summary>
    public CsvTable DropColumns(params string[] columns)
    {
        ArgumentNullException.ThrowIfNull(columns);
        var dropped = new HashSet<int>(columns.Select(name => IndexOf(ColumnNames, name, Source, HasHeader, nameof(columns))));
        var kept = Enumerable.Range(0, _columns.Length).Where(c => !dropped.Contains(c)).ToArray();
        if (kept.Length == 0) throw new ArgumentException("Expected at least one column to remain but every column was dropped.", nameof(columns));
        int hint = dropped.Contains(LabelHint) ? -1 : Array.IndexOf(kept, LabelHint);
        return new CsvTable(Source, HasHeader, kept.Select(c => _columns[c]).ToArray(), _lines, hint);
    }

    /// <summary>
    /// A seeded split of the rows into training, validation and test tables, by the rules of <see cref="Dataset.Split"/>;
    /// with <paramref name="stratifyBy"/>, each part keeps that column's class proportions.
    /// </summary>
    public (CsvTable Train, CsvTable Validation, CsvTable Test) Split(double trainFraction, double validationFraction, int seed, string? stratifyBy = null)
    {
        int[]? classes = null;
        if (stratifyBy is not null)
        {
            CsvColumn column = Column(stratifyBy, nameof(stratifyBy));
            classes = column.Kind switch
            {
                CsvColumnKind.Text => column.Codes,
                CsvColumnKind.Integer => column.Integers,
                _ => column.Numbers!.All(value => value == MathF.Floor(value) && Math.Abs(value) < 1 << 24)
                    ? column.Numbers!.Select(value => (int)value).ToArray()
                    : throw new ArgumentException($"Expected a column of classes (text or integers) to stratify by, but '{stratifyBy}' holds fractional numbers.", nameof(stratifyBy)),
            };
        }
        int[][] parts = Splitter.Parts(RowCount, trainFraction, validationFraction, seed, classes);
        return (Rows(parts[0]), Rows(parts[1]), Rows(parts[2]));
    }

    internal CsvColumn Column(string name, string argument) => _columns[IndexOf(ColumnNames, name, Source, HasHeader, argument)];

    internal CsvColumn ColumnAt(int index) => _columns[index];

    internal int ColumnCount => _columns.Length;

    internal int Line(int row) => _lines[row];

    /// <summary>The index of the column named <paramref name="name"/>; an <see cref="ArgumentException"/> listing the names when there is none.</summary>
    internal static int IndexOf(IReadOnlyList<string> names, string name, string source, bool hasHeader, string argument)
    {
        ArgumentNullException.ThrowIfNull(name, argument);
        for (int c = 0; c < names.Count; c++)
        {
            if (names[c] == name) return c;
        }
        string shown = names.Count <= 30 ? string.Join(", ", names.Select(n => $"'{n}'")) : string.Join(", ", names.Take(30).Select(n => $"'{n}'")) + ", …";
        string header = hasHeader ? "" : " (the file has no header, so columns are named by their 0-based index)";
        throw new ArgumentException($"Expected the name of a column of '{source}' but got '{name}'; its columns are {shown}{header}.", argument);
    }
}
