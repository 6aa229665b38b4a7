using System;
using System.IO;
using System.Linq;
using CompiledNets;
using CompiledNets.Samples;
using FashionMnistCnn;
using Spectre.Console;

// Train a LeNet-5-like CNN with batch normalization and dropout on Fashion-MNIST with Adam (lr 3e-3, cosine-annealed over
// the epochs) for 15 epochs, and report on
// its 10,000 test images (classification report, confusion matrix, loss and accuracy curves as PNG).
const string DefaultDirectory = "/usr/share/datasets/fashion-mnist";
string dataDirectory = DefaultDirectory;
string outputDirectory = Path.GetFullPath("fashion-mnist-cnn-output");
int epochs = 15;
int? threads = null;
float lr = 3e-3f;
int batchSize = 64;
for (int i = 0; i + 1 < args.Length; i += 2)
{
    switch (args[i])
    {
        case "--data": dataDirectory = args[i + 1]; break;
        case "--out": outputDirectory = Path.GetFullPath(args[i + 1]); break;
        case "--epochs": epochs = int.Parse(args[i + 1], System.Globalization.CultureInfo.InvariantCulture); break;
        case "--threads": threads = int.Parse(args[i + 1], System.Globalization.CultureInfo.InvariantCulture); break;
        case "--lr": lr = float.Parse(args[i + 1], System.Globalization.CultureInfo.InvariantCulture); break;
        case "--batch": batchSize = int.Parse(args[i + 1], System.Globalization.CultureInfo.InvariantCulture); break;
        default:
            Console.Error.WriteLine($"Unknown option {args[i]}. Usage: FashionMnistCnn [--data DIR] [--out DIR] [--epochs N] [--threads N] [--lr X] [--batch N]");
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

// 10 % of the training images become the validation set; pixels are standardized with the training split's
// per-pixel mean and standard deviation (the test set never informs them). Samples stay rows of 784 floats: the
// network reads each as [1, 28, 28].
DatasetSplit split = trainAll.Split(trainFraction: 0.9, validationFraction: 0.1, seed: 42, stratify: true);
var standardizer = Standardizer.Fit(split.Train);
Dataset train = standardizer.Transform(split.Train);
Dataset validation = standardizer.Transform(split.Validation);
test = standardizer.Transform(test);
AnsiConsole.MarkupLine($"Fashion-MNIST: {train.Count} train / {validation.Count} validation / {test.Count} test images");

var trainLoader = new DataLoader(train, batchSize, shuffle: true, seed: 1);
var validationLoader = new DataLoader(validation, batchSize: 1000);
var testLoader = new DataLoader(test, batchSize: 1000);

// The Trainer switches the network to Eval() for validation (running statistics, no dropout) and back to Train().
var net = new FashionCnn(seed: 0);
if (threads is int count) net.ThreadCount = count;
var optimizer = new Adam(net, lr);
var trainer = new Trainer(net, new CrossEntropyLoss(), optimizer) { Scheduler = new CosineAnnealingLR(optimizer, tMax: epochs) };
TrainingHistory history = TrainingView.Fit(trainer, trainLoader, validationLoader, epochs, earlyStopping: null);
TrainingView.PrintEpochTable(history, markBest: false);
double secondsPerEpoch = history.Epochs.Average(e => e.Elapsed.TotalSeconds);
AnsiConsole.MarkupLine($"Seconds per epoch: {secondsPerEpoch:F2} (training {train.Count} images and validating {validation.Count}, {net.ThreadCount} thread(s))");

net.Eval();
TestReport.Print(net, testLoader, test.ClassNames, history, outputDirectory);
return 0;
