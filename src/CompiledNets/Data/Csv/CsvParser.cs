using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using nietras.SeparatedValues;

namespace CompiledNets;

/// <summary>
/// Reads CSV text into a <see cref="CsvTable"/> with Sep (RFC 4180 quoting, any line ending, a byte-order mark): the
/// first non-blank row is the header when there is one, every row must have its column count, a column's kind is set by
/// its first value (a number, or text), and every later value must fit it. Errors name the source, the 1-based physical
/// line (the header counts) and the 1-based column with its name.
/// </summary>
internal static class CsvParser
{
    /// <summary>The longest row read, in characters: Sep's limit (a row of a million features fits several times over).</summary>
    internal const int MaxLineLength = 1 << 24;

    /// <summary>Where a class-label column is when the caller knows before reading: read as exact integers, or as text.</summary>
    internal readonly record struct LabelHint(int Index, string? Name)
    {
        public static LabelHint None => new(-2, null);

        /// <summary>The label's column once the header (or the first row) is known; -1 for none.</summary>
        public int Resolve(IReadOnlyList<string> names, string source, bool hasHeader)
        {
            if (Name is not null)
            {
                return CsvTable.IndexOf(names, Name, source, hasHeader, "labelColumn");
            }
            return Index switch
            {
                -2 => -1,
                -1 => names.Count - 1,
                _ when Index >= names.Count => throw new ArgumentOutOfRangeException(
                    "labelColumn", Index, $"Expected labelColumn in [-1, {names.Count}) for '{source}', which has {names.Count} columns, but got {Index}."),
                _ => Index,
            };
        }
    }

    /// <summary>A separator that can occur inside a number or a quoted field would split them apart.</summary>
    public static void CheckSeparator(char separator)
    {
        bool sepAccepts;
        try
        {
            _ = new Sep(separator);
            sepAccepts = true;
        }
        catch (ArgumentException)
        {
            sepAccepts = false;
        }
        if (!sepAccepts || char.IsLetterOrDigit(separator) || separator is '.' or '+' or '-' or '"' or '\r' or '\n' or ' ')
        {
            throw new ArgumentException($"Expected a separator that cannot occur in a number (such as ',', ';' or '\\t') but got '{separator}'.", nameof(separator));
        }
    }

    public static CsvTable Read(string path, bool hasHeader, char separator, LabelHint label)
    {
        CheckSeparator(separator);
        using Stream stream = DataFile.Open(path, nameof(path), out _);
        return Read(stream, path, hasHeader, separator, label);
    }

    /// <summary>Reads from an open stream; <paramref name="source"/> names it in error messages.</summary>
    public static CsvTable Read(Stream stream, string source, bool hasHeader, char separator, LabelHint label)
    {
        CheckSeparator(separator);
        using var text = new StreamReader(stream, detectEncodingFromByteOrderMarks: true);
        int nextLine = 1;
        // Sep reads its first block when created: decompression errors may surface here already.
        using SepReader reader = Guard(source, nextLine, () => Sep.Reader(options => options with
        {
            HasHeader = false,
            // Quotes are checked and unescaped below, strictly (Sep's own unescaping lets an unclosed quote run to the end).
            Unescape = false,
            DisableColCountCheck = true,
            Sep = new Sep(separator),
        }).From(text));
        var unquote = new Unquoter();

        List<string>? names = null;
        ColumnBuilder[] columns = [];
        var lines = new List<int>();
        int labelIndex = -1;
        while (MoveNext(reader, source, nextLine))
        {
            SepReader.Row row = reader.Current;
            // Sep numbers the first row's start one too far; its end is right, and from the second row on both are.
            int line = row.RowIndex == 0 ? 1 : row.LineNumberFrom;
            nextLine = row.LineNumberToExcl;
            // Blank lines are skipped, as pandas.read_csv does by default.
            if (row.ColCount == 1 && row[0].Span.IsWhiteSpace()) continue;
            if (names is null)
            {
                names = hasHeader ? HeaderNames(row, unquote, source, line) : DefaultNames(row.ColCount);
                if (label != LabelHint.None && names.Count < 2)
                {
                    throw Error(source, line, $"expected at least 2 columns (features and a label) separated by '{separator}' but found 1");
                }
                labelIndex = label.Resolve(names, source, hasHeader);
                columns = new ColumnBuilder[names.Count];
                for (int c = 0; c < columns.Length; c++) columns[c] = new ColumnBuilder(names[c], c, hasHeader, c == labelIndex);
                if (hasHeader) continue;
            }
            if (row.ColCount != columns.Length)
            {
                // A quote out of place makes Sep join fields (and lines): name it rather than the count it caused.
                for (int c = 0; c < row.ColCount; c++) unquote.Field(row[c].Span, c, source, line);
                throw Error(source, line, $"expected {columns.Length} columns (as on the first line) but found {row.ColCount}");
            }
            for (int c = 0; c < columns.Length; c++)
            {
                columns[c].Add(unquote.Field(row[c].Span, c, source, line), source, line);
            }
            lines.Add(line);
        }
        if (lines.Count == 0)
        {
            throw new InvalidDataException($"'{source}': expected at least one data row but found none{(hasHeader && names is not null ? " after the header" : "")}.");
        }
        var built = new CsvColumn[columns.Length];
        for (int c = 0; c < built.Length; c++) built[c] = columns[c].Build();
        return new CsvTable(source, hasHeader, built, lines.ToArray(), labelIndex);
    }

    /// <summary>The next row, with errors reported as <see cref="Guard"/> reports them (a loop without a delegate per row).</summary>
    private static bool MoveNext(SepReader reader, string source, int nextLine)
    {
        try
        {
            return reader.MoveNext();
        }
        catch (Exception e) when (e is InvalidDataException or NotSupportedException)
        {
            throw Located(e, source, nextLine);
        }
    }

    /// <summary>Runs a read of Sep's; decompression errors and overlong rows are reported at the line being read.</summary>
    private static T Guard<T>(string source, int nextLine, Func<T> read)
    {
        try
        {
            return read();
        }
        catch (Exception e) when (e is InvalidDataException or NotSupportedException)
        {
            throw Located(e, source, nextLine);
        }
    }

    private static InvalidDataException Located(Exception e, string source, int nextLine) => e is InvalidDataException
        ? new InvalidDataException($"'{source}', line {nextLine}: {e.Message.TrimEnd('.')}.", e)
        : new InvalidDataException(
            $"'{source}', line {nextLine}: expected a line of at most {MaxLineLength} characters but this one is longer " +
            "(or a quoted field is never closed): not a text file of rows, or a damaged one.", e);

    private static List<string> HeaderNames(SepReader.Row row, Unquoter unquote, string source, int line)
    {
        var names = new List<string>(row.ColCount);
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int c = 0; c < row.ColCount; c++)
        {
            string name = unquote.Field(row[c].Span, c, source, line).ToString();
            if (!seen.TryAdd(name, c))
            {
                throw Error(source, line, $"column {c + 1}: the header name '{name}' is also column {seen[name] + 1}'s; columns are picked by name, so names must differ");
            }
            names.Add(name);
        }
        return names;
    }

    /// <summary>Without a header, columns are named by their 0-based index, as pandas' <c>header=None</c> names them.</summary>
    private static List<string> DefaultNames(int count)
    {
        var names = new List<string>(count);
        for (int c = 0; c < count; c++) names.Add(c.ToString(CultureInfo.InvariantCulture));
        return names;
    }

    internal static InvalidDataException Error(string source, int line, string message) => new($"'{source}', line {line}: {message}.");

    /// <summary>How messages name a column: <c>column 3</c>, with its header name when there is a header.</summary>
    internal static string Describe(int index, string name, bool hasHeader) => hasHeader ? $"column {index + 1} ('{name}')" : $"column {index + 1}";

    /// <summary>The field as a message shows it: NUL and line breaks spelled <c>\0</c>, <c>\r</c>, <c>\n</c>, a long field cut to its first 40 characters.</summary>
    internal static string Quote(ReadOnlySpan<char> field)
    {
        if (field.IsEmpty)
        {
            return "an empty field";
        }
        string shown = field[..Math.Min(field.Length, 40)].ToString()
            .Replace("\0", "\\0", StringComparison.Ordinal).Replace("\r", "\\r", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);
        return field.Length > 40 ? $"'{shown}…' ({field.Length} characters)" : $"'{shown}'";
    }

    /// <summary>
    /// A field as RFC 4180 means it: trimmed of spaces, and when quoted, without its outer quotes and with each doubled quote
    /// inside made one. A quoted field that is never closed, a lone quote inside one, or a quote inside an unquoted field is
    /// an error at its line.
    /// </summary>
    private sealed class Unquoter
    {
        private char[] _buffer = new char[256];

        public ReadOnlySpan<char> Field(ReadOnlySpan<char> raw, int column, string source, int line)
        {
            ReadOnlySpan<char> field = raw.Trim(' ');
            if (field.IndexOf('"') < 0)
            {
                return field.Trim();
            }
            if (field[0] != '"')
            {
                throw Error(source, line, $"column {column + 1}: found a quote inside the unquoted field {Quote(field)}; quote the whole field and double the quotes inside it (RFC 4180)");
            }
            if (field.Length < 2 || field[^1] != '"')
            {
                throw Error(source, line, $"column {column + 1}: a quoted field starts here but is never closed (a quote is missing)");
            }
            ReadOnlySpan<char> inner = field[1..^1];
            if (inner.IndexOf('"') < 0)
            {
                return inner;
            }
            if (_buffer.Length < inner.Length) _buffer = new char[Math.Max(inner.Length, 2 * _buffer.Length)];
            int length = 0;
            for (int i = 0; i < inner.Length; i++)
            {
                if (inner[i] == '"')
                {
                    if (i + 1 >= inner.Length || inner[i + 1] != '"')
                    {
                        throw Error(source, line, $"column {column + 1}: a quote inside a quoted field must be doubled (\"\") but one stands alone");
                    }
                    i++;
                }
                _buffer[length++] = inner[i];
            }
            return _buffer.AsSpan(0, length);
        }
    }

    /// <summary>Collects one column's values; its kind is set by the first value.</summary>
    private sealed class ColumnBuilder(string name, int index, bool hasHeader, bool isLabel)
    {
        private CsvColumnKind? _kind;
        private readonly List<float> _numbers = [];
        private readonly List<int> _integers = [];
        private readonly List<int> _codes = [];
        private readonly List<string> _categories = [];
        private readonly Dictionary<string, int> _categoryCodes = new(StringComparer.Ordinal);

        public void Add(ReadOnlySpan<char> field, string source, int line)
        {
            if (field.IsEmpty)
            {
                throw Error(source, line, $"{Column}: expected a value but found an empty field (a missing value; fill or drop it before reading)");
            }
            // .NET's number parsing ignores trailing NUL characters, so "2\0" would read as 2: a NUL is never a number.
            bool hasNul = field.Contains('\0');
            _kind ??= !hasNul && double.TryParse(field, NumberStyles.Float, CultureInfo.InvariantCulture, out _)
                ? (isLabel ? CsvColumnKind.Integer : CsvColumnKind.Number)
                : CsvColumnKind.Text;
            switch (_kind)
            {
                case CsvColumnKind.Number:
                    if (hasNul || !float.TryParse(field, NumberStyles.Float, CultureInfo.InvariantCulture, out float value) || !float.IsFinite(value))
                    {
                        throw Error(source, line, $"{Column}: expected a finite number but found {Quote(field)}");
                    }
                    _numbers.Add(value);
                    break;
                case CsvColumnKind.Integer:
                    _integers.Add(ParseLabel(field, hasNul, source, line));
                    break;
                default:
                    var lookup = _categoryCodes.GetAlternateLookup<ReadOnlySpan<char>>();
                    if (!lookup.TryGetValue(field, out int code))
                    {
                        code = _categories.Count;
                        string category = field.ToString();
                        _categories.Add(category);
                        _categoryCodes.Add(category, code);
                    }
                    _codes.Add(code);
                    break;
            }
        }

        private string Column => Describe(index, name, hasHeader);

        /// <summary>Accepts <c>3</c> and also <c>3.0</c> (as pandas writes integer labels of a float column).</summary>
        private int ParseLabel(ReadOnlySpan<char> field, bool hasNul, string source, int line)
        {
            int value = 0;
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
                throw Error(source, line, $"{Column}: expected a non-negative integer label but found {Quote(field)}");
            }
            return value;
        }

        public CsvColumn Build() => _kind switch
        {
            CsvColumnKind.Number => CsvColumn.OfNumbers(name, _numbers.ToArray()),
            CsvColumnKind.Integer => CsvColumn.OfIntegers(name, _integers.ToArray()),
            _ => CsvColumn.OfText(name, _codes, _categories),
        };
    }
}
