using System;
using System.Globalization;
using System.Text;

namespace CompiledNets;

public sealed partial class ClassificationReport
{
    private static readonly string[] Headers = ["precision", "recall", "f1-score", "support"];

    // Every number column is 9 wide, as in scikit-learn; the name column fits the longest name or "weighted avg".
    private const int ColumnWidth = 9;

    /// <summary>The report with 2 decimals, scikit-learn's default <c>digits=2</c>; see <see cref="ToString(int)"/>.</summary>
    public override string ToString() => ToString(2);

    /// <summary>
    /// The report laid out character for character as <c>sklearn.metrics.classification_report(...,
    /// digits=digits)</c> prints it: a header <c>precision recall f1-score support</c>, a blank line, one
    /// row per class, a blank line, then <c>accuracy</c> (its value in the f1-score column, support = total),
    /// <c>macro avg</c> and <c>weighted avg</c>. Names are right-aligned to the widest of the class names,
    /// <c>"weighted avg"</c> and <paramref name="digits"/>; numbers are right-aligned in columns of 9,
    /// rounded half to even on the exact binary value as Python's <c>format</c> does (0.125 → 0.12);
    /// every line ends with <c>\n</c>.
    /// </summary>
    /// <remarks>
    /// One corner differs: when a class is neither a label nor a prediction, scikit-learn (given
    /// <c>labels=range(n)</c>) titles the accuracy row <c>micro avg</c> and fills its precision and recall
    /// columns, with the same value as accuracy; this report always prints the <c>accuracy</c> row.
    /// </remarks>
    /// <example>
    /// <code>
    ///               precision    recall  f1-score   support
    ///
    ///          cat       0.75      0.75      0.75         4
    ///          dog       0.00      0.00      0.00         2
    ///         bird       0.67      1.00      0.80         4
    ///
    ///     accuracy                           0.70        10
    ///    macro avg       0.47      0.58      0.52        10
    /// weighted avg       0.57      0.70      0.62        10
    /// </code>
    /// </example>
    public string ToString(int digits)
    {
        if (digits < 0) throw new ArgumentOutOfRangeException(nameof(digits), digits, "Expected 0 or more decimals.");

        int width = Math.Max(WeightedAverage.Name.Length, digits);
        foreach (ClassMetrics row in Classes) width = Math.Max(width, row.Name.Length);

        var text = new StringBuilder();
        text.Append(' ', width).Append(' ');
        foreach (string header in Headers) text.Append(' ').Append(header.PadLeft(ColumnWidth));
        text.Append("\n\n");
        foreach (ClassMetrics row in Classes) AppendRow(text, row, width, digits);
        text.Append('\n');

        // The accuracy row leaves precision and recall blank and shows accuracy under f1-score.
        text.Append("accuracy".PadLeft(width)).Append(' ');
        text.Append(' ').Append(' ', ColumnWidth).Append(' ').Append(' ', ColumnWidth);
        AppendCell(text, Number(Accuracy, digits));
        AppendCell(text, Count(MacroAverage.Support));
        text.Append('\n');
        AppendRow(text, MacroAverage, width, digits);
        AppendRow(text, WeightedAverage, width, digits);
        return text.ToString();
    }

    private static void AppendRow(StringBuilder text, ClassMetrics row, int width, int digits)
    {
        text.Append(row.Name.PadLeft(width)).Append(' ');
        AppendCell(text, Number(row.Precision, digits));
        AppendCell(text, Number(row.Recall, digits));
        AppendCell(text, Number(row.F1, digits));
        AppendCell(text, Count(row.Support));
        text.Append('\n');
    }

    private static void AppendCell(StringBuilder text, string value) => text.Append(' ').Append(value.PadLeft(ColumnWidth));

    private static string Number(double value, int digits) => value.ToString("F" + digits.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);

    private static string Count(int value) => value.ToString(CultureInfo.InvariantCulture);
}
