using System;
using System.Globalization;
using System.IO;
using CompiledNets;
using CompiledNets.Samples;
using Diabetes;
using Spectre.Console;

// Regression on the diabetes set embedded in the runtime: predict disease progression one year after baseline from
// ten measurements. MSE on standardized targets, Adam with a cosine schedule, early stopping on validation R²; then the
// regression report on the untouched test split, in the target's units, and a predicted-vs-actual plot.
string outputDirectory = Path.GetFullPath(args.Length == 2 && args[0] == "--out" ? args[1] : "diabetes-output");
Directory.CreateDirectory(outputDirectory);

var recipe = new DiabetesRecipe();
AnsiConsole.MarkupLine($"Diabetes: {recipe.Data.Count} patients, {recipe.Data.FeatureCount} features; " +
    $"{recipe.Train.SampleCount} train / {recipe.Validation.SampleCount} validation / {recipe.Test.SampleCount} test");

var started = DateTime.UtcNow;
TrainingHistory history = TrainingView.Fit(recipe.Trainer, recipe.Train, recipe.Validation, DiabetesRecipe.Epochs, recipe.EarlyStopping);
double seconds = (DateTime.UtcNow - started).TotalSeconds;
TrainingView.PrintEpochTable(history, markBest: true);
AnsiConsole.MarkupLine($"Trained {history.Epochs.Count} epochs in {seconds:F2} s.");

var (actual, predicted) = recipe.PredictTest();
var report = RegressionReport.From(actual, predicted, outputNames: ["progression"]);
Console.WriteLine();
Console.WriteLine(report.ToString());
AnsiConsole.MarkupLine(string.Create(CultureInfo.InvariantCulture,
    $"[bold]Test R²: {report.Average.R2Score:F3}, MAE {report.Average.MeanAbsoluteError:F1}, RMSE {report.Average.RootMeanSquaredError:F1}[/] ({actual.Length} patients)"));

var (lossPlot, r2Plot) = Plots.TrainingCurves(history, outputDirectory, "MSE (standardized)", "R²", e => e.Validation.R2Score, "training-r2.png");
string scatter = Plots.PredictedVsActual(actual, predicted, "Diabetes progression, test set", Path.Combine(outputDirectory, "predicted-vs-actual.png"));
Console.WriteLine($"Wrote {lossPlot}");
Console.WriteLine($"Wrote {r2Plot}");
Console.WriteLine($"Wrote {scatter}");
