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

// 1. Data: 70 % train, 15 % validation (to choose when to stop), 15 % test (to measure once).
Dataset digits = Datasets.LoadDigits();
DatasetSplit split = digits.Split(trainFraction: 0.7, validationFraction: 0.15, seed: 42, stratify: true);
var standardizer = Standardizer.Fit(split.Train);
Dataset train = standardizer.Transform(split.Train);
Dataset validation = standardizer.Transform(split.Validation);
Dataset test = standardizer.Transform(split.Test);
AnsiConsole.MarkupLine($"Digits: {digits.Count} images, {train.Count} train / {validation.Count} validation / {test.Count} test");

var trainLoader = new DataLoader(train, batchSize: 32, shuffle: true, seed: 1);
var validationLoader = new DataLoader(validation, batchSize: 256);
var testLoader = new DataLoader(test, batchSize: 256);

// 2. Model, loss and optimizer.
var net = new DigitsNet(seed: 0);
var trainer = new Trainer(net, new CrossEntropyLoss(), new Sgd(net, lr: 0.01f, momentum: 0.9f));

// 3. Train: up to 100 epochs; stop after 10 without lowering the validation loss by 0.001; keep the best weights.
var started = DateTime.UtcNow;
TrainingHistory history = TrainingView.Fit(trainer, trainLoader, validationLoader, epochs: 100, new EarlyStopping(patience: 10, minDelta: 0.001f));
double seconds = (DateTime.UtcNow - started).TotalSeconds;
TrainingView.PrintEpochTable(history, markBest: true);
AnsiConsole.MarkupLine($"Trained {history.Epochs.Count} epochs in {seconds:F2} s; the first step finished {TrainingView.FirstStepAfterStart?.TotalMilliseconds:F0} ms after the process started.");

// 4. Evaluate once on the untouched test split, then draw the curves and the confusion matrix.
TestReport.Print(net, testLoader, digits.ClassNames, history, outputDirectory);
