using System.Collections.Generic;
using System.IO;
using System.Linq;
using CompiledNets;

namespace CompiledNets.Samples;

/// <summary>Training curves and a confusion-matrix heat map as PNG files (ScottPlot), kept out of the runtime library.</summary>
internal static class Plots
{
    /// <summary>Loss per epoch and accuracy per epoch, training and validation: two PNG files.</summary>
    public static (string Loss, string Accuracy) TrainingCurves(TrainingHistory history, string directory)
    {
        double[] epochs = history.Epochs.Select(e => (double)e.Epoch).ToArray();
        string loss = Curves(history, epochs, "Loss", "cross-entropy", e => e.TrainLoss, e => e.ValidationLoss, Path.Combine(directory, "training-loss.png"));
        string accuracy = Curves(history, epochs, "Accuracy", "%", e => 100.0 * e.TrainAccuracy, e => 100.0 * e.ValidationAccuracy, Path.Combine(directory, "training-accuracy.png"));
        return (loss, accuracy);
    }

    /// <summary>Loss per epoch, training and validation, and one validation metric per epoch: two PNG files.</summary>
    public static (string Loss, string Metric) TrainingCurves(TrainingHistory history, string directory, string lossName, string metricName, System.Func<EpochResult, double> metric, string metricFile)
    {
        double[] epochs = history.Epochs.Select(e => (double)e.Epoch).ToArray();
        string loss = Curves(history, epochs, "Loss", lossName, e => e.TrainLoss, e => e.ValidationLoss, Path.Combine(directory, "training-loss.png"));
        string other = Curves(history, epochs, metricName, metricName, e => metric(e with { Validation = e.Train }), metric, Path.Combine(directory, metricFile));
        return (loss, other);
    }

    /// <summary>Each test sample as a point (actual, predicted), with the line predicted = actual.</summary>
    public static string PredictedVsActual(float[] actual, float[] predicted, string title, string path)
    {
        var plot = new ScottPlot.Plot();
        var points = plot.Add.ScatterPoints(actual.Select(v => (double)v).ToArray(), predicted.Select(v => (double)v).ToArray());
        points.LegendText = "test samples";
        double low = System.Math.Min(actual.Min(), predicted.Min()), high = System.Math.Max(actual.Max(), predicted.Max());
        var line = plot.Add.Line(low, low, high, high);
        line.LegendText = "predicted = actual";
        line.LinePattern = ScottPlot.LinePattern.Dashed;
        plot.Title(title);
        plot.XLabel("actual");
        plot.YLabel("predicted");
        plot.ShowLegend();
        plot.SavePng(path, 600, 600);
        return Path.GetFullPath(path);
    }

    /// <summary>The ROC curve (false against true positive rate) with its area, and the chance diagonal.</summary>
    public static string RocCurve(RocCurve curve, double auc, string title, string path)
    {
        var plot = new ScottPlot.Plot();
        var line = plot.Add.ScatterLine(curve.FalsePositiveRates, curve.TruePositiveRates);
        line.LegendText = string.Create(System.Globalization.CultureInfo.InvariantCulture, $"ROC (AUC = {auc:F4})");
        var chance = plot.Add.Line(0, 0, 1, 1);
        chance.LegendText = "chance";
        chance.LinePattern = ScottPlot.LinePattern.Dashed;
        plot.Axes.SetLimits(0, 1, 0, 1.02);
        plot.Title(title);
        plot.XLabel("false positive rate");
        plot.YLabel("true positive rate");
        plot.ShowLegend(ScottPlot.Alignment.LowerRight);
        plot.SavePng(path, 600, 600);
        return Path.GetFullPath(path);
    }

    private static string Curves(TrainingHistory history, double[] epochs, string title, string unit, System.Func<EpochResult, double> train, System.Func<EpochResult, double> validation, string path)
    {
        var plot = new ScottPlot.Plot();
        plot.Add.ScatterLine(epochs, history.Epochs.Select(train).ToArray()).LegendText = "train";
        plot.Add.ScatterLine(epochs, history.Epochs.Select(validation).ToArray()).LegendText = "validation";
        if (history.BestEpoch > 0)
        {
            plot.Add.VerticalLine(history.BestEpoch).LegendText = $"best epoch ({history.BestEpoch})";
        }
        plot.Title(title);
        plot.XLabel("epoch");
        plot.YLabel(unit);
        plot.ShowLegend();
        plot.SavePng(path, 800, 450);
        return Path.GetFullPath(path);
    }

    /// <summary>Rows are true classes, columns predicted; each cell shows its count.</summary>
    public static string ConfusionHeatmap(ConfusionMatrix matrix, IReadOnlyList<string> classNames, string path)
    {
        int n = matrix.ClassCount;
        var counts = new double[n, n];
        for (int actual = 0; actual < n; actual++)
        {
            for (int predicted = 0; predicted < n; predicted++)
            {
                counts[actual, predicted] = matrix[actual, predicted];
            }
        }

        var plot = new ScottPlot.Plot();
        var heatmap = plot.Add.Heatmap(counts);
        heatmap.Colormap = new ScottPlot.Colormaps.Viridis();
        plot.Add.ColorBar(heatmap);
        for (int actual = 0; actual < n; actual++)
        {
            for (int predicted = 0; predicted < n; predicted++)
            {
                var label = plot.Add.Text(matrix[actual, predicted].ToString(), predicted, n - 1 - actual);
                label.LabelAlignment = ScottPlot.Alignment.MiddleCenter;
                label.LabelFontColor = counts[actual, predicted] > 0.5 * counts.Cast<double>().Max() ? ScottPlot.Colors.Black : ScottPlot.Colors.White;
            }
        }
        var positions = Enumerable.Range(0, n).Select(i => (double)i).ToArray();
        plot.Axes.Bottom.SetTicks(positions, classNames.ToArray());
        plot.Axes.Left.SetTicks(positions, classNames.Reverse().ToArray());
        plot.Title("Confusion matrix (test set)");
        plot.XLabel("predicted");
        plot.YLabel("true");
        plot.SavePng(path, 150 + 60 * n, 100 + 55 * n);
        return Path.GetFullPath(path);
    }
}
