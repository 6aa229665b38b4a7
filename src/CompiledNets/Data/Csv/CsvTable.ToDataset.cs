using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace CompiledNets;

public sealed partial class CsvTable
{
    /// <summary>The most classes inferred from integer labels when no class count is given: a larger label is more likely a wrong column.</summary>
    internal const int MaxInferredClassCount = 1 << 16;

    /// <summary>
    /// A classification dataset: <paramref name="labelColumn"/> gives each row's class, every other column a feature
    /// (text columns through <paramref name="encoder"/>). A text label column's classes are its sorted distinct values over
    /// the whole file, kept in <see cref="Dataset.ClassNames"/> (as <c>LabelEncoder().fit(y).classes_</c>); an integer
    /// column's values are the class indices (<c>3.0</c> reads as 3).
    /// </summary>
    /// <param name="labelColumn">The name of the label column.</param>
    /// <param name="encoder">A fitted <see cref="OneHotEncoder"/> of the text (or categorical) feature columns; every text feature column must be one of its columns.</param>
    /// <param name="classCount">For integer labels, the number of classes (by default the file's largest label + 1); for text labels, if given, it must equal the number of names.</param>
    /// <param name="classNames">
    /// For text labels read from separate files, the class names to number them by (those of the training file's
    /// dataset, as a <c>LabelEncoder</c> fitted on it), so every file numbers its classes alike; a label not among them
    /// is an error naming its line. By default the file's own sorted labels.
    /// </param>
    public Dataset ToDataset(string labelColumn, OneHotEncoder? encoder = null, int? classCount = null, IReadOnlyList<string>? classNames = null)
    {
        int label = IndexOf(ColumnNames, labelColumn, Source, HasHeader, nameof(labelColumn));
        if (classCount < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(classCount), classCount, $"Expected classCount >= 1 (or null to use the largest label + 1) but got {classCount}.");
        }
        CsvColumn column = _columns[label];
        int[] labels;
        IReadOnlyList<string>? names = null;
        int classes;
        if (column.Kind == CsvColumnKind.Text && classNames is not null)
        {
            names = classNames.ToArray();
            var index = new Dictionary<string, int>(StringComparer.Ordinal);
            for (int c = 0; c < names.Count; c++)
            {
                if (names[c] is null || !index.TryAdd(names[c], c))
                {
                    throw new ArgumentException($"Expected distinct, non-null class names but classNames[{c}] is {(names[c] is null ? "null" : $"'{names[c]}' again")}.", nameof(classNames));
                }
            }
            if (classCount is { } given && given != names.Count)
            {
                throw new ArgumentOutOfRangeException(nameof(classCount), classCount, $"Expected classCount {names.Count} (one per class name) or null but got {given}.");
            }
            labels = new int[RowCount];
            for (int row = 0; row < RowCount; row++)
            {
                string name = column.Text(row);
                labels[row] = index.TryGetValue(name, out int found)
                    ? found
                    : throw CsvParser.Error(Source, _lines[row],
                        $"{CsvParser.Describe(label, column.Name, HasHeader)}: expected one of the {names.Count} class names given but found '{name}'");
            }
            classes = names.Count;
        }
        else if (column.Kind == CsvColumnKind.Text)
        {
            names = column.Categories!;
            if (classCount is { } given && given != names.Count)
            {
                throw new ArgumentOutOfRangeException(nameof(classCount), classCount,
                    $"Expected classCount {names.Count} (the label column '{column.Name}' of '{Source}' names {names.Count} classes) or null but got {given}.");
            }
            labels = column.Codes!;
            classes = names.Count;
        }
        else
        {
            labels = IntegerLabels(column, label, classCount);
            classes = classCount ?? (int)column.Largest + 1;
        }
        float[] features = Features([label], encoder, nameof(labelColumn), out int featureCount);
        return new Dataset(features, labels, featureCount, classes, names);
    }

    /// <summary>
    /// A dataset of float targets (regression, or 0/1 targets of a binary task): <paramref name="targetColumns"/> (numbers)
    /// give each row's targets, in that order, every other column a feature (text columns through <paramref name="encoder"/>).
    /// </summary>
    /// <param name="targetColumns">The names of the target columns, at least one.</param>
    /// <param name="encoder">A fitted <see cref="OneHotEncoder"/> of the text (or categorical) feature columns.</param>
    public Dataset ToDataset(string[] targetColumns, OneHotEncoder? encoder = null)
    {
        ArgumentNullException.ThrowIfNull(targetColumns);
        if (targetColumns.Length == 0) throw new ArgumentException("Expected at least one target column but got none.", nameof(targetColumns));
        int[] indices = targetColumns.Select(name => IndexOf(ColumnNames, name, Source, HasHeader, nameof(targetColumns))).ToArray();
        if (indices.Distinct().Count() != indices.Length)
        {
            throw new ArgumentException($"Expected distinct target columns but got {string.Join(", ", targetColumns.Select(t => $"'{t}'"))}.", nameof(targetColumns));
        }
        foreach (int index in indices)
        {
            if (_columns[index].Kind == CsvColumnKind.Text)
            {
                throw new ArgumentException(
                    $"Expected number columns as float targets but '{_columns[index].Name}' of '{Source}' holds text{Example(_columns[index])}; " +
                    "for class labels call ToDataset(labelColumn).", nameof(targetColumns));
            }
        }
        var targets = new float[RowCount * indices.Length];
        for (int row = 0; row < RowCount; row++)
        {
            for (int t = 0; t < indices.Length; t++) targets[row * indices.Length + t] = (float)_columns[indices[t]].Number(row);
        }
        float[] features = Features(indices, encoder, nameof(targetColumns), out int featureCount);
        return new Dataset(features, targets, featureCount, indices.Length, targetColumns);
    }

    /// <summary>The feature names of <see cref="ToDataset(string[], OneHotEncoder?)"/>'s rows: the columns but the targets, encoded ones expanded.</summary>
    public IReadOnlyList<string> FeatureNames(IReadOnlyList<string> targetColumns, OneHotEncoder? encoder = null)
    {
        ArgumentNullException.ThrowIfNull(targetColumns);
        var excluded = targetColumns.Select(name => IndexOf(ColumnNames, name, Source, HasHeader, nameof(targetColumns))).ToHashSet();
        var names = new List<string>();
        for (int c = 0; c < _columns.Length; c++)
        {
            if (excluded.Contains(c)) continue;
            if (encoder is not null && encoder.Encodes(_columns[c].Name))
            {
                names.AddRange(encoder.Categories(_columns[c].Name).Select(category => $"{_columns[c].Name}_{category}"));
            }
            else
            {
                names.Add(_columns[c].Name);
            }
        }
        return names;
    }

    /// <summary>" (for example 'red' on line 2)" for a message, or nothing for a table without rows.</summary>
    private string Example(CsvColumn column) => RowCount == 0 ? "" : $" (for example '{column.Text(0)}' on line {_lines[0]})";

    private int[] IntegerLabels(CsvColumn column, int index, int? classCount)
    {
        var labels = new int[RowCount];
        string where = CsvParser.Describe(index, column.Name, HasHeader);
        for (int row = 0; row < labels.Length; row++)
        {
            double value = column.Number(row);
            // A float column holds integers exactly only below 2^24.
            if (value < 0 || value != Math.Floor(value) || (column.Kind == CsvColumnKind.Number && value >= 1 << 24))
            {
                throw CsvParser.Error(Source, _lines[row], $"{where}: expected a non-negative integer label but found {column.Text(row)}" +
                    (value >= 1 << 24 ? " (read as a float, labels are exact only below 16777216: name the label column when reading)" : ""));
            }
            int label = (int)value;
            if (label >= classCount)
            {
                throw CsvParser.Error(Source, _lines[row], $"{where}: expected a label in [0, {classCount}) (classCount = {classCount}) but found {label}");
            }
            if (classCount is null && label >= MaxInferredClassCount)
            {
                throw CsvParser.Error(Source, _lines[row],
                    $"{where}: expected a label below {MaxInferredClassCount} when classCount is not given but found {label} " +
                    "(is this the label column? pass classCount to allow more classes)");
            }
            labels[row] = label;
        }
        return labels;
    }

    /// <summary>Every column but <paramref name="excluded"/> as float features, row-major; encoded columns expand in place.</summary>
    private float[] Features(int[] excluded, OneHotEncoder? encoder, string targetArgument, out int featureCount)
    {
        if (encoder is { IsFitted: false }) throw new InvalidOperationException("The OneHotEncoder is not fitted yet: call Fit on the training rows first.");
        if (encoder is not null)
        {
            foreach (string name in encoder.Columns)
            {
                int index = IndexOf(ColumnNames, name, Source, HasHeader, nameof(encoder));
                if (excluded.Contains(index)) throw new ArgumentException($"Expected the encoder's columns to be features but '{name}' is the target.", nameof(encoder));
            }
        }
        var layout = new List<(int Column, int Width, int[]? Categories)>();
        featureCount = 0;
        for (int c = 0; c < _columns.Length; c++)
        {
            if (excluded.Contains(c)) continue;
            CsvColumn column = _columns[c];
            if (encoder is not null && encoder.Encodes(column.Name))
            {
                layout.Add((c, encoder.Width(column.Name), encoder.Indices(this, c)));
                featureCount += encoder.Width(column.Name);
            }
            else if (column.Kind == CsvColumnKind.Text)
            {
                throw new ArgumentException(
                    $"Expected number columns as features but {CsvParser.Describe(c, column.Name, HasHeader)} of '{Source}' holds text{Example(column)}; " +
                    "one-hot encode it with a OneHotEncoder fitted on the training rows, or drop it with DropColumns.",
                    nameof(encoder));
            }
            else
            {
                layout.Add((c, 1, null));
                featureCount++;
            }
        }
        if (featureCount == 0) throw new ArgumentException($"Expected at least one feature column in '{Source}' besides the target(s) but there is none.", targetArgument);
        var features = new float[(long)RowCount * featureCount];
        int offset = 0;
        foreach (var (c, width, categories) in layout)
        {
            for (int row = 0; row < RowCount; row++)
            {
                int at = row * featureCount + offset;
                if (categories is null) features[at] = (float)_columns[c].Number(row);
                else if (categories[row] >= 0) features[at + categories[row]] = 1f;
            }
            offset += width;
        }
        return features;
    }
}
