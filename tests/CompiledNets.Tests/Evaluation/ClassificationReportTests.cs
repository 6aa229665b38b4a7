using System;
using Xunit;

namespace CompiledNets.Tests;

/// <summary>
/// Metrics against the hand-worked <see cref="MetricsExample"/>, and report text against what
/// scikit-learn 1.2.1 printed for the same labels (<c>classification_report(y_true, y_pred, labels=range(n),
/// zero_division=0)</c>), pinned so that a formatting change is a deliberate one.
/// </summary>
public sealed class ClassificationReportTests
{
    private const double Tolerance = 1e-12;

    private static void AssertMetrics(string name, double precision, double recall, double f1, int support, ClassMetrics actual)
    {
        Assert.Equal(name, actual.Name);
        Assert.True(Math.Abs(precision - actual.Precision) <= Tolerance, $"{name}: precision {actual.Precision}, expected {precision}");
        Assert.True(Math.Abs(recall - actual.Recall) <= Tolerance, $"{name}: recall {actual.Recall}, expected {recall}");
        Assert.True(Math.Abs(f1 - actual.F1) <= Tolerance, $"{name}: F1 {actual.F1}, expected {f1}");
        Assert.Equal(support, actual.Support);
    }

    [Fact]
    public void Per_class_metrics_match_the_hand_computed_values()
    {
        var report = ClassificationReport.From(MetricsExample.Matrix(), MetricsExample.Names);

        Assert.Equal(3, report.Classes.Count);
        AssertMetrics("cat", 0.75, 0.75, 0.75, 4, report.Classes[0]);
        AssertMetrics("dog", 0, 0, 0, 2, report.Classes[1]); // never predicted: precision 0/0 counts as 0
        AssertMetrics("bird", 2.0 / 3, 1, 0.8, 4, report.Classes[2]);
    }

    [Fact]
    public void Accuracy_and_averages_match_the_hand_computed_values()
    {
        var report = ClassificationReport.From(MetricsExample.Matrix(), MetricsExample.Names);

        Assert.True(Math.Abs(0.7 - report.Accuracy) <= Tolerance, $"accuracy {report.Accuracy}");
        AssertMetrics("macro avg", 17.0 / 36, 7.0 / 12, 31.0 / 60, 10, report.MacroAverage);
        AssertMetrics("weighted avg", 17.0 / 30, 0.7, 0.62, 10, report.WeightedAverage);
    }

    [Fact]
    public void F1_is_the_harmonic_mean_of_precision_and_recall()
    {
        var report = ClassificationReport.From(MetricsExample.FromCounts(new[,] { { 5, 2, 1 }, { 3, 7, 0 }, { 2, 2, 9 } }));

        foreach (ClassMetrics row in report.Classes)
        {
            double harmonic = 2 * row.Precision * row.Recall / (row.Precision + row.Recall);
            Assert.True(Math.Abs(harmonic - row.F1) <= Tolerance, $"{row.Name}: F1 {row.F1}, 2PR/(P+R) {harmonic}");
        }
        // Class 0: TP 5, predicted 10, support 8: P = 1/2, R = 5/8, F1 = 2·5/(10 + 8) = 5/9.
        AssertMetrics("0", 0.5, 5.0 / 8, 5.0 / 9, 8, report.Classes[0]);
    }

    [Fact]
    public void A_predicted_class_without_support_has_recall_zero_and_counts_in_the_macro_average()
    {
        // Class 2 has no samples but was predicted once: TP 0, so precision 0/1 = 0 and recall 0/0 → 0.
        var report = ClassificationReport.From(MetricsExample.FromCounts(new[,] { { 2, 1, 1 }, { 0, 3, 0 }, { 0, 0, 0 } }));

        AssertMetrics("0", 1, 0.5, 2.0 / 3, 4, report.Classes[0]);
        AssertMetrics("1", 0.75, 1, 6.0 / 7, 3, report.Classes[1]);
        AssertMetrics("2", 0, 0, 0, 0, report.Classes[2]);
        AssertMetrics("macro avg", 7.0 / 12, 0.5, 32.0 / 63, 7, report.MacroAverage); // scikit-learn: 0.5833, 0.5, 0.5079
        AssertMetrics("weighted avg", (4 + 0.75 * 3) / 7, 5.0 / 7, (4 * 2.0 / 3 + 3 * 6.0 / 7) / 7, 7, report.WeightedAverage);
    }

    [Fact]
    public void A_class_that_never_occurs_still_counts_in_the_macro_average()
    {
        // The example with a fourth class that is neither a label nor a prediction, as with labels=range(4).
        var report = ClassificationReport.From(MetricsExample.FromCounts(new[,] { { 3, 0, 1, 0 }, { 1, 0, 1, 0 }, { 0, 0, 4, 0 }, { 0, 0, 0, 0 } }));

        AssertMetrics("3", 0, 0, 0, 0, report.Classes[3]);
        AssertMetrics("macro avg", 17.0 / 48, 7.0 / 16, 31.0 / 80, 10, report.MacroAverage);
        AssertMetrics("weighted avg", 17.0 / 30, 0.7, 0.62, 10, report.WeightedAverage);
    }

    [Fact]
    public void Report_text_matches_scikit_learn()
    {
        var report = ClassificationReport.From(MetricsExample.Matrix(), MetricsExample.Names);

        const string expected =
            "              precision    recall  f1-score   support\n" +
            "\n" +
            "         cat       0.75      0.75      0.75         4\n" +
            "         dog       0.00      0.00      0.00         2\n" +
            "        bird       0.67      1.00      0.80         4\n" +
            "\n" +
            "    accuracy                           0.70        10\n" +
            "   macro avg       0.47      0.58      0.52        10\n" +
            "weighted avg       0.57      0.70      0.62        10\n";
        Assert.Equal(expected, report.ToString());
        Assert.Equal(expected, report.ToString(2));
    }

    [Fact]
    public void Report_text_with_four_digits_and_index_names_matches_scikit_learn()
    {
        var report = ClassificationReport.From(MetricsExample.Matrix());

        Assert.Equal(
            "              precision    recall  f1-score   support\n\n" +
            "           0     0.7500    0.7500    0.7500         4\n" +
            "           1     0.0000    0.0000    0.0000         2\n" +
            "           2     0.6667    1.0000    0.8000         4\n\n" +
            "    accuracy                         0.7000        10\n" +
            "   macro avg     0.4722    0.5833    0.5167        10\n" +
            "weighted avg     0.5667    0.7000    0.6200        10\n",
            report.ToString(4));
    }

    [Fact]
    public void Report_text_widens_for_long_names_and_rounds_ties_to_even_as_python_does()
    {
        // Class 0 was predicted 8 times, once rightly: precision 1/8 = 0.125 exactly, which Python prints as 0.12.
        var report = ClassificationReport.From(MetricsExample.FromCounts(new[,] { { 1, 1 }, { 7, 5 } }), ["a rather long class name", "b"]);

        Assert.Equal(
            "                          precision    recall  f1-score   support\n\n" +
            "a rather long class name       0.12      0.50      0.20         2\n" +
            "                       b       0.83      0.42      0.56        12\n\n" +
            "                accuracy                           0.43        14\n" +
            "               macro avg       0.48      0.46      0.38        14\n" +
            "            weighted avg       0.73      0.43      0.50        14\n",
            report.ToString());
    }

    [Fact]
    public void Report_text_with_zero_and_many_digits_matches_scikit_learn()
    {
        var report = ClassificationReport.From(MetricsExample.FromCounts(new[,] { { 1, 1 }, { 7, 5 } }), ["a", "b"]);

        // digits=0: 0.5 rounds to even (0); digits=14: the name column grows to 14 and numbers overflow their 9 columns.
        Assert.Equal(
            "              precision    recall  f1-score   support\n\n" +
            "           a          0         0         0         2\n" +
            "           b          1         0         1        12\n\n" +
            "    accuracy                              0        14\n" +
            "   macro avg          0         0         0        14\n" +
            "weighted avg          1         0         1        14\n",
            report.ToString(0));
        Assert.Equal(
            "                precision    recall  f1-score   support\n\n" +
            "             a  0.12500000000000 0.50000000000000 0.20000000000000         2\n" +
            "             b  0.83333333333333 0.41666666666667 0.55555555555556        12\n\n" +
            "      accuracy                      0.42857142857143        14\n" +
            "     macro avg  0.47916666666667 0.45833333333333 0.37777777777778        14\n" +
            "  weighted avg  0.73214285714286 0.42857142857143 0.50476190476190        14\n",
            report.ToString(14));
    }

    [Fact]
    public void The_report_keeps_a_copy_of_the_matrix()
    {
        ConfusionMatrix matrix = MetricsExample.Matrix();
        var report = ClassificationReport.From(matrix);

        matrix.Add([1, 1, 1], [1, 1, 1]);

        Assert.Equal(MetricsExample.Expected, MetricsExample.Counts(report.Matrix));
        Assert.Equal(10, report.Matrix.Total);
        Assert.Equal(0, report.Classes[1].Precision);
        Assert.Equal(13, matrix.Total);
    }

    [Fact]
    public void Bad_arguments_are_rejected_with_their_names()
    {
        Assert.Equal("matrix", Assert.Throws<ArgumentNullException>(() => ClassificationReport.From(null!)).ParamName);

        var empty = Assert.Throws<ArgumentException>(() => ClassificationReport.From(new ConfusionMatrix(3)));
        Assert.Equal("matrix", empty.ParamName);
        Assert.Contains("at least one sample but its Total is 0", empty.Message);

        var names = Assert.Throws<ArgumentException>(() => ClassificationReport.From(MetricsExample.Matrix(), ["cat", "dog", "bird", "fish"]));
        Assert.Equal("classNames", names.ParamName);
        Assert.Contains("Expected 3 class names (one per class) but got 4.", names.Message);

        var nullName = Assert.Throws<ArgumentException>(() => ClassificationReport.From(MetricsExample.Matrix(), ["cat", null!, "bird"]));
        Assert.Equal("classNames", nullName.ParamName);
        Assert.Contains("classNames[1] is null", nullName.Message);

        var report = ClassificationReport.From(MetricsExample.Matrix());
        Assert.Equal("digits", Assert.Throws<ArgumentOutOfRangeException>(() => report.ToString(-1)).ParamName);
    }
}
