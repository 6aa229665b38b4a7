using System;
using System.IO;
using CompiledNets;
using CompiledNets.Samples;
using Digits;
using Spectre.Console;

// Train an MLP on the digits set embedded in the runtime (1,797 8x8 images, 10 classes):
// split, standardize with training statistics, train with early stopping on validation loss,
// then report on the untouched test split and draw the curves and the confusion matrix.
string outputDirectory = Path.GetFullPath(args.Length == 2 && args[0] == "--out" ? args[1] : "digits-output");
Directory.CreateDirectory(outputDirectory);

// 1. Data, model, loss and optimizer (DigitsRecipe, shared with samples/DigitsService): a stratified
//    70 / 15 / 15 split, standardized with the training statistics; DigitsNet; cross-entropy; SGD with momentum.
var recipe = new DigitsRecipe();
Dataset digits = recipe.Digits;
var net = recipe.Network;
var (trainLoader, validationLoader, testLoader) = (recipe.Train, recipe.Validation, recipe.Test);
AnsiConsole.MarkupLine($"Digits: {digits.Count} images, {trainLoader.SampleCount} train / {validationLoader.SampleCount} validation / {testLoader.SampleCount} test");

// 2. Train: up to 100 epochs; stop after 10 without lowering the validation loss by 0.001; keep the best weights.
var started = DateTime.UtcNow;
TrainingHistory history = TrainingView.Fit(recipe.Trainer, trainLoader, validationLoader, DigitsRecipe.Epochs, recipe.EarlyStopping);
double seconds = (DateTime.UtcNow - started).TotalSeconds;
TrainingView.PrintEpochTable(history, markBest: true);
AnsiConsole.MarkupLine($"Trained {history.Epochs.Count} epochs in {seconds:F2} s; the first step finished {TrainingView.FirstStepAfterStart?.TotalMilliseconds:F0} ms after the process started.");

// 3. Evaluate once on the untouched test split, then draw the curves and the confusion matrix.
TestReport.Print(net, testLoader, digits.ClassNames, history, outputDirectory);

// 4. Save the network and the statistics its inputs need: samples/DigitsService serves them.
ModelFiles.Save(outputDirectory, DigitsRecipe.ModelFileName, net, recipe.Standardizer);
AnsiConsole.MarkupLine($"Saved {ModelFiles.WeightsPath(outputDirectory, DigitsRecipe.ModelFileName)} and {ModelFiles.StandardizerPath(outputDirectory, DigitsRecipe.ModelFileName)}.");
