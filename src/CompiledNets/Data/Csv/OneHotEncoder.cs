using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace CompiledNets;

/// <summary>What <see cref="OneHotEncoder"/> does with a category it did not see when fitted, as scikit-learn's <c>handle_unknown</c>.</summary>
public enum HandleUnknown
{
    /// <summary>Raise an error naming the file, line, column and value (scikit-learn's default, <c>'error'</c>).</summary>
    Error,

    /// <summary>Encode it as all zeros (<c>'ignore'</c>).</summary>
    Ignore,
}

/// <summary>
/// Turns categorical columns of a <see cref="CsvTable"/> into one feature per category (1 for the row's category, 0 for
/// the others), like scikit-learn's <c>OneHotEncoder(handle_unknown=...)</c>: <see cref="Fit"/> it on the training rows
/// only, then pass it to <see cref="CsvTable.ToDataset(string, OneHotEncoder?, int?, IReadOnlyList{string}?)"/> for every part, so validation and
/// test rows are encoded with what training saw.
/// </summary>
/// <remarks>
/// The categories of a column are its distinct values in the fitted rows, sorted as scikit-learn sorts them (text
/// ordinally, numbers by value). In the dataset, each encoded column's block of features takes the column's place; 
/// <see cref="GetFeatureNamesOut"/> names them <c>column_category</c> as scikit-learn does.
/// </remarks>
public sealed class OneHotEncoder
{
    private readonly string[] _columns;
    private readonly Dictionary<string, string[]> _categories = new(StringComparer.Ordinal);

    /// <summary>Creates an encoder of the named columns (text or numbers); fit it before use.</summary>
    /// <param name="columns">The columns to encode.</param>
    /// <param name="handleUnknown">What a category not seen when fitting becomes.</param>
    public OneHotEncoder(IReadOnlyList<string> columns, HandleUnknown handleUnknown = HandleUnknown.Error)
    {
        ArgumentNullException.ThrowIfNull(columns);
        if (columns.Count == 0) throw new ArgumentException("Expected at least one column to encode but got none.", nameof(columns));
        if (columns.Distinct(StringComparer.Ordinal).Count() != columns.Count)
        {
            throw new ArgumentException($"Expected distinct columns but got {string.Join(", ", columns.Select(c => $"'{c}'"))}.", nameof(columns));
        }
        if (!Enum.IsDefined(handleUnknown)) throw new ArgumentOutOfRangeException(nameof(handleUnknown), handleUnknown, "Expected HandleUnknown.Error or HandleUnknown.Ignore.");
        _columns = columns.Select(column => column ?? throw new ArgumentException("Expected column names but one is null.", nameof(columns))).ToArray();
        HandleUnknown = handleUnknown;
    }

    /// <summary>The columns this encoder encodes.</summary>
    public IReadOnlyList<string> Columns => _columns;

    /// <summary>What an unseen category becomes.</summary>
    public HandleUnknown HandleUnknown { get; }

    /// <summary>Whether <see cref="Fit"/> has run.</summary>
    public bool IsFitted => _categories.Count > 0;

    /// <summary>
    /// Learns each column's categories from <paramref name="table"/>'s rows (the training part of a split); returns this
    /// encoder, as scikit-learn's <c>fit</c> returns <c>self</c>. Fitting again replaces what was learned.
    /// </summary>
    public OneHotEncoder Fit(CsvTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        if (table.RowCount == 0) throw new ArgumentException("Expected rows to fit on but the table has none.", nameof(table));
        var learned = new Dictionary<string, string[]>(StringComparer.Ordinal);
        foreach (string name in _columns)
        {
            CsvColumn column = table.Column(name, nameof(table));
            learned[name] = column.Kind == CsvColumnKind.Text
                ? column.Codes!.Distinct().Order().Select(code => column.Categories![code]).ToArray()
                : Enumerable.Range(0, table.RowCount).DistinctBy(column.Number).OrderBy(column.Number).Select(column.Text).ToArray();
        }
        _categories.Clear();
        foreach (var (name, categories) in learned) _categories[name] = categories;
        return this;
    }

    /// <summary>The categories learned for <paramref name="column"/>, in feature order.</summary>
    public IReadOnlyList<string> Categories(string column)
    {
        ThrowIfNotFitted();
        return _categories.TryGetValue(column, out string[]? categories)
            ? categories
            : throw new ArgumentException($"Expected one of the encoded columns ({string.Join(", ", _columns.Select(c => $"'{c}'"))}) but got '{column}'.", nameof(column));
    }

    /// <summary>The names of the encoded features, <c>column_category</c>, column by column, as scikit-learn's <c>get_feature_names_out()</c>.</summary>
    public IReadOnlyList<string> GetFeatureNamesOut()
    {
        ThrowIfNotFitted();
        return _columns.SelectMany(column => _categories[column].Select(category => $"{column}_{category}")).ToArray();
    }

    internal bool Encodes(string column) => _categories.ContainsKey(column);

    internal int Width(string column) => _categories[column].Length;

    /// <summary>
    /// For each row of the column at <paramref name="columnIndex"/> in <paramref name="table"/>, the index of its category, or -1 for an unseen
    /// one under <see cref="HandleUnknown.Ignore"/>; an unseen one under <see cref="HandleUnknown.Error"/> raises.
    /// </summary>
    internal int[] Indices(CsvTable table, int columnIndex)
    {
        CsvColumn column = table.ColumnAt(columnIndex);
        string[] categories = _categories[column.Name];
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < categories.Length; i++) index[categories[i]] = i;
        var result = new int[table.RowCount];
        for (int row = 0; row < result.Length; row++)
        {
            string value = column.Text(row);
            if (index.TryGetValue(value, out int found))
            {
                result[row] = found;
            }
            else if (HandleUnknown == HandleUnknown.Ignore)
            {
                result[row] = -1;
            }
            else
            {
                string known = categories.Length <= 20 ? string.Join(", ", categories.Select(c => $"'{c}'")) : string.Join(", ", categories.Take(20).Select(c => $"'{c}'")) + ", …";
                throw CsvParser.Error(table.Source, table.Line(row),
                    $"{CsvParser.Describe(columnIndex, column.Name, table.HasHeader)}: '{value}' is a category the OneHotEncoder did not see when fitted " +
                    $"(it knows {known}); fit it on rows that hold it, or create it with handleUnknown: HandleUnknown.Ignore to encode unknown categories as zeros");
            }
        }
        return result;
    }

    private void ThrowIfNotFitted()
    {
        if (!IsFitted) throw new InvalidOperationException("This OneHotEncoder is not fitted yet: call Fit on the training rows first.");
    }
}
