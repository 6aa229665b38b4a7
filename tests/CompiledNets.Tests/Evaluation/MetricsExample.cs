namespace CompiledNets.Tests;

/// <summary>
/// The hand-worked 3-class example the metrics tests share. Rows are true classes, columns predictions:
/// <code>
///          cat dog bird   support
///   cat     3   0   1       4
///   dog     1   0   1       2     dog is never predicted: precision 0/0 → 0
///   bird    0   0   4       4
/// </code>
/// cat: P = 3/4, R = 3/4, F1 = 3/4. dog: P = R = F1 = 0. bird: P = 4/6, R = 4/4, F1 = 2·4/(6 + 4) = 0.8.
/// Accuracy = 7/10. Macro P = (3/4 + 0 + 2/3)/3 = 17/36, R = (3/4 + 0 + 1)/3 = 7/12, F1 = (3/4 + 0 + 0.8)/3 = 31/60.
/// Weighted P = (3/4·4 + 0·2 + 2/3·4)/10 = 17/30, R = 7/10, F1 = (3/4·4 + 0.8·4)/10 = 0.62.
/// </summary>
internal static class MetricsExample
{
    public static readonly string[] Names = ["cat", "dog", "bird"];

    public static readonly int[,] Expected = { { 3, 0, 1 }, { 1, 0, 1 }, { 0, 0, 4 } };

    // The same ten pairs in a scrambled order, so the matrix cannot come out right by accident of order.
    public static readonly int[] Labels = [2, 0, 1, 0, 2, 1, 0, 2, 0, 2];
    public static readonly int[] Predicted = [2, 0, 0, 2, 2, 2, 0, 2, 0, 2];

    public static ConfusionMatrix Matrix()
    {
        var matrix = new ConfusionMatrix(3);
        matrix.Add(Predicted, Labels);
        return matrix;
    }

    /// <summary>A matrix of <paramref name="counts"/> (rows true, columns predicted), added pair by pair.</summary>
    public static ConfusionMatrix FromCounts(int[,] counts)
    {
        var matrix = new ConfusionMatrix(counts.GetLength(0));
        for (int actual = 0; actual < counts.GetLength(0); actual++)
        {
            for (int predicted = 0; predicted < counts.GetLength(1); predicted++)
            {
                for (int i = 0; i < counts[actual, predicted]; i++) matrix.Add([predicted], [actual]);
            }
        }
        return matrix;
    }

    public static int[,] Counts(ConfusionMatrix matrix)
    {
        var counts = new int[matrix.ClassCount, matrix.ClassCount];
        for (int actual = 0; actual < matrix.ClassCount; actual++)
        {
            for (int predicted = 0; predicted < matrix.ClassCount; predicted++) counts[actual, predicted] = matrix[actual, predicted];
        }
        return counts;
    }
}
