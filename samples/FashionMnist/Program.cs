using System;
using System.IO;
using System.Linq;
using CompiledNets;
using CompiledNets.Samples;
using FashionMnist;
using Spectre.Console;

// Train a 784-256-128-10 MLP on Fashion-MNIST for 10 epochs and report on its 10,000 test images.
const string DefaultDirectory = "/usr/share/datasets/fashion-mnist";
string dataDirectory = DefaultDirectory;
string outputDirectory = Path.GetFullPath("fashion-mnist-output");
for (int i = 0; i + 1 < args.Length; i += 2)
{
    switch (args[i])
    {
        case "--data": dataDirectory = args[i + 1]; break;
        case "--out": outputDirectory = Path.GetFullPath(args[i + 1]); break;
        default:
            Console.Error.WriteLine($"Unknown option {args[i]}. Usage: FashionMnist [--data DIR] [--out DIR]");
            return 2;
    }
}

Dataset trainAll, test;
try
{
    (trainAll, test) = Datasets.LoadFashionMnist(dataDirectory);
}
catch (FileNotFoundException error)
{
    Console.Error.WriteLine($"Fashion-MNIST was not found: {error.Message}");
    Console.Error.WriteLine($"Install it with `apt-get install -y dataset-fashion-mnist` (files go to {DefaultDirectory}),");
    Console.Error.WriteLine("or pass --data DIR with train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz, t10k-images-idx3-ubyte.gz, t10k-labels-idx1-ubyte.gz.");
    return 1;
}
Directory.CreateDirectory(outputDirectory);

// 10 % of the training images become the validation set; pixels are standardized with the
// training split's per-pixel mean and standard deviation (the test set never informs them).
DatasetSplit split = trainAll.Split(trainFraction: 0.9, validationFraction: 0.1, seed: 42, stratify: true);
var standardizer = Standardizer.Fit(split.Train);
Dataset train = standardizer.Transform(split.Train);
Dataset validation = standardizer.Transform(split.Validation);
test = standardizer.Transform(test);
AnsiConsole.MarkupLine($"Fashion-MNIST: {train.Count} train / {validation.Count} validation / {test.Count} test images");

var trainLoader = new DataLoader(train, batchSize: 64, shuffle: true, seed: 1);
var validationLoader = new DataLoader(validation, batchSize: 1000);
var testLoader = new DataLoader(test, batchSize: 1000);

var net = new FashionNet(seed: 0);
var trainer = new Trainer(net, new CrossEntropyLoss(), new Sgd(net, lr: 0.01f, momentum: 0.9f));
TrainingHistory history = TrainingView.Fit(trainer, trainLoader, validationLoader, epochs: 10, earlyStopping: null);
TrainingView.PrintEpochTable(history, markBest: false);
double secondsPerEpoch = history.Epochs.Average(e => e.Elapsed.TotalSeconds);
AnsiConsole.MarkupLine($"Seconds per epoch: {secondsPerEpoch:F2} (training {train.Count} images and validating {validation.Count}, {net.ThreadCount} thread(s))");

TestReport.Print(net, testLoader, test.ClassNames, history, outputDirectory);
return 0;
