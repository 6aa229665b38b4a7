using System;
using System.Collections.Generic;
using System.IO;
using CompiledNets;
using Spectre.Console;

namespace CompiledNets.Samples;

/// <summary>The end of a sample run: the test-set report and confusion matrix, then the pictures.</summary>
internal static class TestReport
{
    /// <summary>Evaluates <paramref name="net"/> on the test batches, prints the report and writes the PNG files.</summary>
    public static void Print(INetwork net, DataLoader test, IReadOnlyList<string> classNames, TrainingHistory history, string outputDirectory)
    {
        var matrix = ConfusionMatrix.Evaluate(net, test, classNames.Count);
        var report = ClassificationReport.From(matrix, classNames);
        Console.WriteLine();
        Console.WriteLine(report.ToString());
        Console.WriteLine(matrix.ToString(classNames));
        AnsiConsole.MarkupLine($"[bold]Test accuracy: {100 * report.Accuracy:F2} %[/]");

        var (lossPlot, accuracyPlot) = Plots.TrainingCurves(history, outputDirectory);
        string heatmap = Plots.ConfusionHeatmap(matrix, classNames, Path.Combine(outputDirectory, "confusion-matrix.png"));
        Console.WriteLine($"Wrote {lossPlot}");
        Console.WriteLine($"Wrote {accuracyPlot}");
        Console.WriteLine($"Wrote {heatmap}");
    }
}
