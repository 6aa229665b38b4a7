using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using CompiledNets.Tests.Golden;
using Xunit;

namespace CompiledNets.Tests.Evaluation;

/// <summary>Regression and binary metrics against scikit-learn 1.2 (<c>tests/fixtures/make_metric_fixtures.py</c>).</summary>
public class MetricGoldenTests
{
    private static readonly JsonElement Fixture = FixtureJson.Load("Metrics/metrics.json");

    public static IEnumerable<object[]> Regression() => Fixture.Names("regression");

    public static IEnumerable<object[]> Binary() => Fixture.Names("binary");

    [Theory]
    [MemberData(nameof(Regression))]
    public void Regression_metrics_match_scikit_learn(string name)
    {
        JsonElement c = Fixture.Case("regression", name);
        float[] yTrue = c.GetProperty("yTrue").Floats(), yPred = c.GetProperty("yPred").Floats();
        int outputs = c.GetProperty("outputs").GetInt32();
        // The fixture's values are doubles; these metrics read floats, so compare to float precision.
        void Near(string key, double actual) => Assert.True(FixtureJson.Relative(actual, c.GetProperty(key).GetDouble(), 1e-6) < 1e-6, $"{key}: {actual}");
        Near("meanAbsoluteError", RegressionMetrics.MeanAbsoluteError(yTrue, yPred, outputs));
        Near("meanSquaredError", RegressionMetrics.MeanSquaredError(yTrue, yPred, outputs));
        Near("rootMeanSquaredError", RegressionMetrics.RootMeanSquaredError(yTrue, yPred, outputs));
        Near("r2Score", RegressionMetrics.R2Score(yTrue, yPred, outputs));
        double[] perOutput = RegressionMetrics.R2PerOutput(yTrue, yPred, outputs);
        double[] expected = c.GetProperty("r2PerOutput").Doubles();
        for (int i = 0; i < outputs; i++) Assert.True(FixtureJson.Relative(perOutput[i], expected[i], 1e-6) < 1e-6, $"output {i}: {perOutput[i]}");
        RegressionReport report = RegressionReport.From(yTrue, yPred, outputs);
        Assert.Equal(RegressionMetrics.R2Score(yTrue, yPred, outputs), report.Average.R2Score);
        Assert.Contains("samples", report.ToString());
    }

    [Theory]
    [MemberData(nameof(Binary))]
    public void Roc_auc_curve_and_report_at_a_threshold_match_scikit_learn(string name)
    {
        JsonElement c = Fixture.Case("binary", name);
        int[] labels = c.GetProperty("yTrue").Ints();
        float[] scores = c.GetProperty("scores").Floats();
        Assert.Equal(c.GetProperty("rocAuc").GetDouble(), BinaryMetrics.RocAuc(labels, scores), 9);
        RocCurve curve = BinaryMetrics.RocCurve(labels, scores);
        JsonElement expected = c.GetProperty("rocCurve");
        Assert.Equal(expected.GetProperty("fpr").Doubles(), curve.FalsePositiveRates, new Tolerance(1e-12));
        Assert.Equal(expected.GetProperty("tpr").Doubles(), curve.TruePositiveRates, new Tolerance(1e-12));
        Assert.Equal(expected.GetProperty("thresholds").Doubles(), curve.Thresholds, new Tolerance(1e-6));
        ClassificationReport report = BinaryMetrics.ReportAtThreshold(labels, scores, (float)c.GetProperty("threshold").GetDouble());
        Assert.Equal(c.GetProperty("report").GetString(), report.ToString());
    }

    [Fact]
    public void One_class_and_bad_labels_are_refused()
    {
        Assert.Contains("Only one class", Assert.Throws<ArgumentException>(() => BinaryMetrics.RocAuc([1, 1], [0.2f, 0.4f])).Message);
        Assert.Contains("labels[1] = 2", Assert.Throws<ArgumentOutOfRangeException>(() => BinaryMetrics.RocAuc([0, 2], [0.2f, 0.4f])).Message);
        Assert.Equal("yPred", Assert.Throws<ArgumentException>(() => RegressionMetrics.R2Score([1f, 2f], [1f])).ParamName);
        Assert.Equal("yTrue", Assert.Throws<ArgumentException>(() => RegressionMetrics.MeanSquaredError([1f, 2f, 3f], [1f, 2f, 3f], outputs: 2)).ParamName);
    }

    private sealed class Tolerance(double relative) : IEqualityComparer<double>
    {
        public bool Equals(double x, double y) => FixtureJson.Relative(x, y, 1e-9) <= relative;
        public int GetHashCode(double obj) => 0;
    }
}
