using System;

namespace CompiledNets;

/// <summary>
/// Regression metrics computed as scikit-learn 1.2's <c>sklearn.metrics</c> with <c>multioutput='uniform_average'</c>:
/// each is computed per output column (rows of <c>outputs</c> floats, row-major) and the columns' values are averaged.
/// Accumulated in double.
/// </summary>
public static class RegressionMetrics
{
    /// <summary><c>mean_absolute_error</c>: the mean of |y − ŷ| per output, averaged over the outputs.</summary>
    public static double MeanAbsoluteError(ReadOnlySpan<float> yTrue, ReadOnlySpan<float> yPred, int outputs = 1) =>
        Average(yTrue, yPred, outputs, static (t, p, o, n, column) => ColumnMean(t, p, o, column, static d => Math.Abs(d)));

    /// <summary><c>mean_squared_error</c>: the mean of (y − ŷ)² per output, averaged over the outputs.</summary>
    public static double MeanSquaredError(ReadOnlySpan<float> yTrue, ReadOnlySpan<float> yPred, int outputs = 1) =>
        Average(yTrue, yPred, outputs, static (t, p, o, n, column) => ColumnMean(t, p, o, column, static d => d * d));

    /// <summary><c>mean_squared_error(squared=False)</c>: the square root of each output's mean squared error, averaged over the outputs.</summary>
    public static double RootMeanSquaredError(ReadOnlySpan<float> yTrue, ReadOnlySpan<float> yPred, int outputs = 1) =>
        Average(yTrue, yPred, outputs, static (t, p, o, n, column) => Math.Sqrt(ColumnMean(t, p, o, column, static d => d * d)));

    /// <summary>
    /// <c>r2_score</c>: per output <c>1 − Σ(y − ŷ)² / Σ(y − ȳ)²</c>, averaged over the outputs. An output whose true values
    /// are all equal scores 1 when predicted exactly and 0 otherwise (scikit-learn's <c>force_finite</c>).
    /// </summary>
    public static double R2Score(ReadOnlySpan<float> yTrue, ReadOnlySpan<float> yPred, int outputs = 1) =>
        Average(yTrue, yPred, outputs, static (t, p, o, n, column) => R2Column(t, p, o, column));

    /// <summary>The R² of each output column.</summary>
    public static double[] R2PerOutput(ReadOnlySpan<float> yTrue, ReadOnlySpan<float> yPred, int outputs = 1)
    {
        Check(yTrue, yPred, outputs);
        var scores = new double[outputs];
        for (int column = 0; column < outputs; column++)
        {
            scores[column] = R2Column(yTrue, yPred, outputs, column);
        }
        return scores;
    }

    internal static double R2Column(ReadOnlySpan<float> yTrue, ReadOnlySpan<float> yPred, int outputs, int column)
    {
        int rows = yTrue.Length / outputs;
        double mean = 0;
        for (int r = 0; r < rows; r++) mean += yTrue[r * outputs + column];
        mean /= rows;
        double residual = 0, total = 0;
        for (int r = 0; r < rows; r++)
        {
            double t = yTrue[r * outputs + column], d = t - yPred[r * outputs + column], m = t - mean;
            residual += d * d;
            total += m * m;
        }
        if (total == 0)
        {
            return residual == 0 ? 1 : 0;
        }
        return 1 - residual / total;
    }

    private delegate double ColumnMetric(ReadOnlySpan<float> yTrue, ReadOnlySpan<float> yPred, int outputs, int rows, int column);

    private static double Average(ReadOnlySpan<float> yTrue, ReadOnlySpan<float> yPred, int outputs, ColumnMetric metric)
    {
        Check(yTrue, yPred, outputs);
        double sum = 0;
        for (int column = 0; column < outputs; column++)
        {
            sum += metric(yTrue, yPred, outputs, yTrue.Length / outputs, column);
        }
        return sum / outputs;
    }

    private static double ColumnMean(ReadOnlySpan<float> yTrue, ReadOnlySpan<float> yPred, int outputs, int column, Func<double, double> f)
    {
        int rows = yTrue.Length / outputs;
        double sum = 0;
        for (int r = 0; r < rows; r++)
        {
            sum += f((double)yTrue[r * outputs + column] - yPred[r * outputs + column]);
        }
        return sum / rows;
    }

    internal static void Check(ReadOnlySpan<float> yTrue, ReadOnlySpan<float> yPred, int outputs)
    {
        if (outputs < 1) throw new ArgumentOutOfRangeException(nameof(outputs), outputs, "Expected at least one output per row.");
        if (yTrue.Length == 0) throw new ArgumentException("Expected at least one row of true values but got none.", nameof(yTrue));
        if (yTrue.Length % outputs != 0)
        {
            throw new ArgumentException($"Expected whole rows of {outputs} outputs but got {yTrue.Length} true values.", nameof(yTrue));
        }
        if (yPred.Length != yTrue.Length)
        {
            throw new ArgumentException($"Expected {yTrue.Length} predictions, one per true value, but got {yPred.Length}.", nameof(yPred));
        }
        FiniteCheck.ThrowIfNotFinite(yTrue, outputs, nameof(yTrue));
        FiniteCheck.ThrowIfNotFinite(yPred, outputs, nameof(yPred));
    }
}
