using System;
using System.IO;
using CompiledNets;

namespace CompiledNets.Benchmarks;

/// <summary>
/// The data the workloads run on: real Fashion-MNIST (scaled to [0, 1] like torchvision's
/// <c>ToTensor()</c>) when it is installed, otherwise seeded random data of the same shape; and a
/// seeded random pool for the seed net. Timing does not depend on the values, but real data keeps
/// the training numerically ordinary (no overflow, no denormals) over many epochs.
/// </summary>
public static class BenchmarkData
{
    /// <summary>Training images per Fashion-MNIST epoch.</summary>
    public const int FashionTrainCount = 60_000;

    /// <summary>Test images, run through in batches of 1000 by the batched-inference workload.</summary>
    public const int FashionTestCount = 10_000;

    private const int Pixels = 28 * 28, Classes = 10;

    private static readonly Lazy<(Dataset Train, Dataset Test, string Source)> Fashion = new(LoadFashion);

    /// <summary>The 60,000 training images (or random stand-ins).</summary>
    public static Dataset FashionTrain => Fashion.Value.Train;

    /// <summary>The 10,000 test images (or random stand-ins).</summary>
    public static Dataset FashionTest => Fashion.Value.Test;

    /// <summary>Which data the Fashion-MNIST workloads use, for reports; cheap (looks at files only).</summary>
    public static string FashionSource => Fashion.IsValueCreated ? Fashion.Value.Source : DescribeSource();

    private static bool FashionInstalled =>
        File.Exists(Path.Combine(Datasets.FashionMnistDirectory, "train-images-idx3-ubyte.gz")) ||
        File.Exists(Path.Combine(Datasets.FashionMnistDirectory, "train-images-idx3-ubyte"));

    private static string DescribeSource() => FashionInstalled
        ? $"Fashion-MNIST from {Datasets.FashionMnistDirectory}, scaled by 1/255"
        : $"seeded random data of Fashion-MNIST's shape (Fashion-MNIST not found in {Datasets.FashionMnistDirectory}; `apt-get install -y dataset-fashion-mnist`)";

    private static (Dataset, Dataset, string) LoadFashion()
    {
        if (FashionInstalled)
        {
            var (train, test) = Datasets.LoadFashionMnist(Datasets.FashionMnistDirectory);
            return (train.Scale(1 / 255f), test.Scale(1 / 255f), DescribeSource());
        }
        return (RandomImages(FashionTrainCount, seed: 1), RandomImages(FashionTestCount, seed: 2), DescribeSource());
    }

    private static Dataset RandomImages(int count, int seed)
    {
        var random = new Random(seed);
        var pixels = new float[count * Pixels];
        var labels = new int[count];
        for (int i = 0; i < pixels.Length; i++) pixels[i] = random.NextSingle();
        for (int i = 0; i < labels.Length; i++) labels[i] = random.Next(Classes);
        return new Dataset(pixels, labels, Pixels, Classes);
    }

    /// <summary>
    /// <paramref name="count"/> samples for the seed net: 10 features uniform in [−1, 1) and random
    /// labels 0/1, so the loss cannot collapse to zero however long a benchmark trains on them.
    /// </summary>
    public static (float[] Inputs, int[] Labels) SeedPool(int count, int seed)
    {
        var random = new Random(seed);
        var inputs = new float[count * 10];
        var labels = new int[count];
        for (int i = 0; i < inputs.Length; i++) inputs[i] = 2 * random.NextSingle() - 1;
        for (int i = 0; i < labels.Length; i++) labels[i] = random.Next(2);
        return (inputs, labels);
    }
}
