using System;
using System.Collections.Generic;

namespace CompiledNets;

/// <summary>
/// Accuracy, per-class precision, recall, F1 and support, and their macro and weighted averages, computed
/// from a <see cref="ConfusionMatrix"/> as <c>sklearn.metrics.classification_report(y_true, y_pred,
/// labels=range(n), zero_division=0)</c> computes them.
/// </summary>
/// <remarks>
/// <para>
/// For class <c>k</c>, with TP = <c>C[k, k]</c>, FP = column <c>k</c> minus TP, FN = row <c>k</c> minus TP:
/// precision = TP / (TP + FP), recall = TP / (TP + FN), F1 = 2PR / (P + R), computed as the equal
/// 2TP / (2TP + FP + FN), which needs one division. Accuracy = Σ_k C[k, k] / total.
/// </para>
/// <para>
/// Zero denominators: a class never predicted has precision 0, a class without samples has recall 0, and
/// F1 is then 0 too: scikit-learn's result with its default <c>zero_division="warn"</c>, without the warning.
/// </para>
/// <para>
/// Averages: macro is the unweighted mean over all <see cref="ConfusionMatrix.ClassCount"/> classes;
/// weighted is the mean weighted by support, Σ_k metric_k · support_k / total. Every class of the matrix
/// counts, also one that never occurs in the labels nor in the predictions (its zeros lower the macro
/// average). That is scikit-learn's behaviour when it is given <c>labels=range(n)</c>; called without
/// <c>labels</c>, it would drop such a class. Weighted averages are the same either way, as the class has no
/// support. Both averages report the total as their support, as scikit-learn does.
/// </para>
/// </remarks>
public sealed partial class ClassificationReport
{
    private ClassificationReport(ConfusionMatrix matrix, double accuracy, ClassMetrics[] classes, ClassMetrics macroAverage, ClassMetrics weightedAverage)
    {
        Matrix = matrix;
        Accuracy = accuracy;
        Classes = Array.AsReadOnly(classes);
        MacroAverage = macroAverage;
        WeightedAverage = weightedAverage;
    }

    /// <summary>Fraction of samples predicted correctly (0..1), like <c>sklearn.metrics.accuracy_score</c>.</summary>
    public double Accuracy { get; }

    /// <summary>One entry per class, in class order.</summary>
    public IReadOnlyList<ClassMetrics> Classes { get; }

    /// <summary>Unweighted mean of each metric over every class; support = total samples.</summary>
    public ClassMetrics MacroAverage { get; }

    /// <summary>Support-weighted mean of each metric; support = total samples. Its recall equals <see cref="Accuracy"/>.</summary>
    public ClassMetrics WeightedAverage { get; }

    /// <summary>A copy of the matrix the report was computed from, taken when it was made.</summary>
    public ConfusionMatrix Matrix { get; }

    /// <summary>
    /// The report for <paramref name="matrix"/>, with <paramref name="classNames"/> (one per class) naming
    /// the rows, or the class indices when it is null. The matrix is copied, so counting more into it later
    /// does not change this report.
    /// </summary>
    public static ClassificationReport From(ConfusionMatrix matrix, IReadOnlyList<string>? classNames = null)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        if (matrix.Total == 0)
        {
            throw new ArgumentException("Expected a confusion matrix with at least one sample but its Total is 0.", nameof(matrix));
        }
        string[] names = ClassNames.Resolve(classNames, matrix.ClassCount, nameof(classNames));
        matrix = matrix.Clone();

        int n = matrix.ClassCount;
        long total = matrix.Total, correct = 0;
        var classes = new ClassMetrics[n];
        double macroPrecision = 0, macroRecall = 0, macroF1 = 0;
        double weightedPrecision = 0, weightedRecall = 0, weightedF1 = 0;
        for (int k = 0; k < n; k++)
        {
            // Row k sums to the class's support (TP + FN), column k to how often it was predicted (TP + FP).
            long truePositives = matrix[k, k], support = 0, predicted = 0;
            for (int j = 0; j < n; j++)
            {
                support += matrix[k, j];
                predicted += matrix[j, k];
            }
            correct += truePositives;

            double precision = Ratio(truePositives, predicted);
            double recall = Ratio(truePositives, support);
            double f1 = Ratio(2 * truePositives, support + predicted);
            classes[k] = new ClassMetrics(names[k], precision, recall, f1, checked((int)support));

            macroPrecision += precision;
            macroRecall += recall;
            macroF1 += f1;
            weightedPrecision += precision * support;
            weightedRecall += recall * support;
            weightedF1 += f1 * support;
        }

        int totalSupport = checked((int)total);
        return new ClassificationReport(
            matrix,
            (double)correct / total,
            classes,
            new ClassMetrics("macro avg", macroPrecision / n, macroRecall / n, macroF1 / n, totalSupport),
            new ClassMetrics("weighted avg", weightedPrecision / total, weightedRecall / total, weightedF1 / total, totalSupport));
    }

    // scikit-learn's zero_division=0: an undefined ratio counts as 0.
    private static double Ratio(long numerator, long denominator) => denominator == 0 ? 0 : (double)numerator / denominator;
}
