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
