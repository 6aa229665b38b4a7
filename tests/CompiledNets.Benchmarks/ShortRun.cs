using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text.Json;
using CompiledNets;

namespace CompiledNets.Benchmarks;

/// <summary>
/// <c>--short-run wine|cancer</c>: one short training run in a fresh process, the way a user's first program trains
/// (200 epochs of an MLP with one hidden layer of 32, batches of 16, SGD with momentum), on scikit-learn's wine
/// (178 rows) or breast-cancer (569 rows) set split 80/20, standardized. Prints one JSON line with the training time
/// and the time of each of the first ten epochs: the JIT's share of a short run (bench/short_runs.py compares the
/// default tiered JIT with <c>DOTNET_TieredCompilation=0</c>).
/// </summary>
public static class ShortRun
{
    /// <summary>Where Debian's python3-sklearn keeps its bundled datasets.</summary>
    public const string SklearnData = "/usr/lib/python3/dist-packages/sklearn/datasets/data";

    public static int Run(string[] args)
    {
        string name = args.SkipWhile(a => a != "--short-run").Skip(1).FirstOrDefault() ?? "wine";
        (INetwork net, string file, int rows, int features, int classes) = name switch
        {
            "wine" => ((INetwork)new WineNet(seed: 0), "wine_data.csv", 178, 13, 3),
            "cancer" => (new CancerNet(seed: 0), "breast_cancer.csv", 569, 30, 2),
            _ => throw new ArgumentException($"Expected --short-run wine or cancer but got '{name}'."),
        };
        string path = Path.Combine(SklearnData, file);
        Dataset data = File.Exists(path) ? ReadSklearn(path, features, classes) : Random(rows, features, classes);
        DatasetSplit split = data.Split(trainFraction: 0.8, validationFraction: 0, seed: 0, stratify: true);
        Standardizer standardizer = Standardizer.Fit(split.Train);
        var loader = new DataLoader(standardizer.Transform(split.Train), batchSize: 16, shuffle: true, seed: 0);
        net.ThreadCount = 1;
        var criterion = new CrossEntropyLoss();
        var optimizer = new Sgd(net, lr: 0.01f, momentum: 0.9f);

        var epochs = new List<double>();
        long start = Stopwatch.GetTimestamp();
        for (int epoch = 0; epoch < 200; epoch++)
        {
            long epochStart = Stopwatch.GetTimestamp();
            foreach (var (inputs, labels) in loader)
            {
                optimizer.ZeroGrad();
                var loss = criterion.Forward(net.Forward(inputs), labels);
                loss.Backward();
                optimizer.Step();
            }
            epochs.Add(Stopwatch.GetElapsedTime(epochStart).TotalSeconds);
        }
        double seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
        Console.WriteLine(JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["dataset"] = name,
            ["source"] = File.Exists(path) ? path : "seeded random data of the same shape",
            ["train_rows"] = loader.SampleCount,
            ["seconds"] = seconds,
            ["epoch_seconds"] = epochs.Take(10).ToArray(),
            ["tiered_compilation"] = Environment.GetEnvironmentVariable("DOTNET_TieredCompilation") ?? "default",
        }));
        return 0;
    }

    /// <summary>scikit-learn's bundled CSV: a first line of counts and class names, then the features and the class index.</summary>
    private static Dataset ReadSklearn(string path, int features, int classes)
    {
        var x = new List<float>();
        var y = new List<int>();
        foreach (string line in File.ReadLines(path).Skip(1))
        {
            string[] cells = line.Split(',');
            x.AddRange(cells.Take(features).Select(c => float.Parse(c, System.Globalization.CultureInfo.InvariantCulture)));
            y.Add(int.Parse(cells[features], System.Globalization.CultureInfo.InvariantCulture));
        }
        return new Dataset(x.ToArray(), y.ToArray(), features, classes);
    }

    private static Dataset Random(int rows, int features, int classes)
    {
        var rng = new Rng(5);
        var x = new float[rows * features];
        rng.FillUniform(x, -1, 1);
        var y = new int[rows];
        for (int i = 0; i < rows; i++) y[i] = i % classes;
        return new Dataset(x, y, features, classes);
    }
}
