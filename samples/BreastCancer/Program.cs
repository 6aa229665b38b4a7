using System;
using System.Globalization;
using System.IO;
using BreastCancer;
using CompiledNets;
using CompiledNets.Samples;
using Spectre.Console;

// A binary task on the breast cancer set embedded in the runtime: detect malignant tumours from 30 measurements.
// BCEWithLogitsLoss with posWeight for the rarer class, Adam with a one-cycle schedule per batch, early stopping on
// validation loss; then the report at logit 0 (probability 0.5), the ROC AUC and the ROC curve of the untouched test split.
string outputDirectory = Path.GetFullPath(args.Length == 2 && args[0] == "--out" ? args[1] : "breast-cancer-output");
Directory.CreateDirectory(outputDirectory);

var recipe = new BreastCancerRecipe();
AnsiConsole.MarkupLine(string.Create(CultureInfo.InvariantCulture,
    $"Breast cancer: {recipe.Data.Count} tumours, {recipe.Data.FeatureCount} features; {recipe.Train.SampleCount} train / " +
    $"{recipe.Validation.SampleCount} validation / {recipe.Test.SampleCount} test; posWeight {recipe.PosWeight:F3}"));

var started = DateTime.UtcNow;
TrainingHistory history = TrainingView.Fit(recipe.Trainer, recipe.Train, recipe.Validation, BreastCancerRecipe.Epochs, recipe.EarlyStopping);
double seconds = (DateTime.UtcNow - started).TotalSeconds;
TrainingView.PrintEpochTable(history, markBest: true);
AnsiConsole.MarkupLine($"Trained {history.Epochs.Count} epochs in {seconds:F2} s.");

var (labels, logits) = recipe.ScoreTest();
var report = BinaryMetrics.ReportAtThreshold(labels, logits, threshold: 0f, classNames: ["other", "malignant"]);
double auc = BinaryMetrics.RocAuc(labels, logits);
Console.WriteLine();
Console.WriteLine(report.ToString(3));
AnsiConsole.MarkupLine(string.Create(CultureInfo.InvariantCulture,
    $"[bold]Test ROC AUC: {auc:F4}, accuracy {100 * report.Accuracy:F2} %, malignant recall {100 * report.Classes[1].Recall:F1} %[/] ({labels.Length} tumours)"));

var (lossPlot, aucPlot) = Plots.TrainingCurves(history, outputDirectory, "BCE with logits", "ROC AUC", e => e.Validation.RocAuc, "training-roc-auc.png");
string roc = Plots.RocCurve(BinaryMetrics.RocCurve(labels, logits), auc, "Malignant tumours, test set", Path.Combine(outputDirectory, "roc-curve.png"));
Console.WriteLine($"Wrote {lossPlot}");
Console.WriteLine($"Wrote {aucPlot}");
Console.WriteLine($"Wrote {roc}");
