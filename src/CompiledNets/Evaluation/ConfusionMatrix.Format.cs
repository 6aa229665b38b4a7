using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace CompiledNets;

public sealed partial class ConfusionMatrix
{
    private const string CornerHeading = @"true \ predicted";

    /// <summary>The matrix as a table with the class indices as headers; see <see cref="ToString(IReadOnlyList{string})"/>.</summary>
    public override string ToString() => ToString(null);

    /// <summary>
    /// The matrix as an aligned text table: one row per true class, one column per predicted class, each
    /// headed by its name (the class index when <paramref name="classNames"/> is null), and
    /// <c>true \ predicted</c> in the corner. Names and counts are right-aligned, columns are two spaces
    /// apart, and every line ends with <c>\n</c> (as scikit-learn's reports do), whatever the platform.
    /// </summary>
    /// <example>
    /// <code>
    /// true \ predicted  cat  dog  bird
    ///              cat    3    0     1
    ///              dog    1    0     1
    ///             bird    0    0     4
    /// </code>
    /// </example>
    public string ToString(IReadOnlyList<string>? classNames)
    {
        string[] names = ClassNames.Resolve(classNames, ClassCount, nameof(classNames));

        // A column is as wide as its heading or its widest count; the row headings as the widest name or the corner.
        int headingWidth = CornerHeading.Length;
        var widths = new int[ClassCount];
        for (int column = 0; column < ClassCount; column++)
        {
            headingWidth = Math.Max(headingWidth, names[column].Length);
            widths[column] = names[column].Length;
            for (int row = 0; row < ClassCount; row++)
            {
                widths[column] = Math.Max(widths[column], Format(this[row, column]).Length);
            }
        }

        var text = new StringBuilder();
        text.Append(CornerHeading.PadLeft(headingWidth));
        for (int column = 0; column < ClassCount; column++)
        {
            text.Append("  ").Append(names[column].PadLeft(widths[column]));
        }
        text.Append('\n');
        for (int row = 0; row < ClassCount; row++)
        {
            text.Append(names[row].PadLeft(headingWidth));
            for (int column = 0; column < ClassCount; column++)
            {
                text.Append("  ").Append(Format(this[row, column]).PadLeft(widths[column]));
            }
            text.Append('\n');
        }
        return text.ToString();
    }

    private static string Format(int count) => count.ToString(CultureInfo.InvariantCulture);
}
