using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace CompiledNets;

/// <summary>The regression metrics of one output column.</summary>
public sealed record RegressionMetricsRow(string Name, double MeanAbsoluteError, double MeanSquaredError, double RootMeanSquaredError, double R2Score);

/// <summary>
/// Mean absolute error, mean squared error, its root and R² per output and averaged over the outputs (scikit-learn's
/// <c>uniform_average</c>), with a text form like <see cref="ClassificationReport"/>'s.
/// </summary>
public sealed class RegressionReport
{
    private RegressionReport(IReadOnlyList<RegressionMetricsRow> outputs, RegressionMetricsRow average, int rows)
    {
        Outputs = outputs;
        Average = average;
        Rows = rows;
    }

    /// <summary>One entry per output column.</summary>
    public IReadOnlyList<RegressionMetricsRow> Outputs { get; }

    /// <summary>The average over the outputs (what <see cref="RegressionMetrics"/> returns).</summary>
    public RegressionMetricsRow Average { get; }

    /// <summary>The samples measured.</summary>
    public int Rows { get; }

    /// <summary>The report of <paramref name="yPred"/> against <paramref name="yTrue"/> (rows of <paramref name="outputs"/> floats).</summary>
    /// <param name="yTrue">The true values.</param>
    /// <param name="yPred">The predictions.</param>
    /// <param name="outputs">Values per row.</param>
    /// <param name="outputNames">A name per output, or null for "output 0", "output 1", ….</param>
    public static RegressionReport From(ReadOnlySpan<float> yTrue, ReadOnlySpan<float> yPred, int outputs = 1, IReadOnlyList<string>? outputNames = null)
    {
        RegressionMetrics.Check(yTrue, yPred, outputs);
        if (outputNames is not null && outputNames.Count != outputs)
        {
            throw new ArgumentException($"Expected {outputs} output names but got {outputNames.Count}.", nameof(outputNames));
        }
        int rows = yTrue.Length / outputs;
        var rowsOut = new List<RegressionMetricsRow>(outputs);
        var column = new float[rows];
        var predicted = new float[rows];
        for (int c = 0; c < outputs; c++)
        {
            for (int r = 0; r < rows; r++)
            {
                column[r] = yTrue[r * outputs + c];
                predicted[r] = yPred[r * outputs + c];
            }
            rowsOut.Add(new RegressionMetricsRow(outputNames?[c] ?? $"output {c}", RegressionMetrics.MeanAbsoluteError(column, predicted),
                RegressionMetrics.MeanSquaredError(column, predicted), RegressionMetrics.RootMeanSquaredError(column, predicted), RegressionMetrics.R2Score(column, predicted)));
        }
        var average = new RegressionMetricsRow("average", RegressionMetrics.MeanAbsoluteError(yTrue, yPred, outputs), RegressionMetrics.MeanSquaredError(yTrue, yPred, outputs),
            RegressionMetrics.RootMeanSquaredError(yTrue, yPred, outputs), RegressionMetrics.R2Score(yTrue, yPred, outputs));
        return new RegressionReport(rowsOut, average, rows);
    }

    /// <summary>A table: one line per output (and the average when there are several), four significant columns, the sample count.</summary>
    public override string ToString()
    {
        int width = Math.Max(8, Max(Outputs));
        var text = new StringBuilder();
        text.Append(' ', width).AppendLine("         MAE          MSE         RMSE           R2");
        foreach (RegressionMetricsRow row in Outputs.Count > 1 ? [.. Outputs, Average] : Outputs)
        {
            text.Append(row.Name.PadLeft(width))
                .Append(string.Create(CultureInfo.InvariantCulture, $" {row.MeanAbsoluteError,12:G6} {row.MeanSquaredError,12:G6} {row.RootMeanSquaredError,12:G6} {row.R2Score,12:F4}"))
                .AppendLine();
        }
        text.AppendLine().Append("samples".PadLeft(width)).Append(' ').Append(Rows.ToString(CultureInfo.InvariantCulture)).AppendLine();
        return text.ToString();
    }

    private static int Max(IReadOnlyList<RegressionMetricsRow> rows)
    {
        int max = 0;
        foreach (RegressionMetricsRow row in rows) max = Math.Max(max, row.Name.Length);
        return max;
    }
}
